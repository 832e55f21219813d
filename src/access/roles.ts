/**
 * Who calls Borderline. Each API key has exactly one role; each route names the roles it
 * admits. No role implies another: an admin manages keys but does not refund.
 */
export const ROLES = ['checkout', 'support', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The identity a request acts as, once its key is verified. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
}
