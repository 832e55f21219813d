/**
 * Faults a test switches on while the sandbox runs, in-process (`sandbox.faults.inject(...)`) or
 * over HTTP (`POST /_sandbox/faults`). Each applies to the next matching `/v1` request(s):
 * - `500`, `503`: Stripe's `api_error`, answered before anything executes (nothing saved under the
 *   idempotency key, `Stripe-Should-Retry: true`);
 * - `429`: Stripe's rate limit error with `Stripe-Rate-Limited-Reason` (Stripe documents no
 *   `Retry-After` header, so none is sent);
 * - `slow`: waits `delayMs`, then executes and answers normally — it still executes if the client
 *   gave up meanwhile, like a real server;
 * - `drop-before-commit`: closes the connection without executing;
 * - `drop-after-commit`: executes (and saves the result under the idempotency key), then closes the
 *   connection without answering: the client cannot know the outcome.
 */
export type FaultKind = '500' | '503' | '429' | 'slow' | 'drop-before-commit' | 'drop-after-commit';

export const FAULT_KINDS: readonly FaultKind[] = [
  '500',
  '503',
  '429',
  'slow',
  'drop-before-commit',
  'drop-after-commit',
];

export interface FaultSpec {
  kind: FaultKind;
  /** How many matching requests it hits; default 1; `'always'` until cleared. */
  times?: number | 'always';
  /** For `slow`. Default 1000 ms. */
  delayMs?: number;
  /** Only requests with this method (`POST`, `GET`). */
  method?: string;
  /** Only requests whose path starts with this (`/v1/payment_intents`). */
  path?: string;
}

export interface ActiveFault {
  id: number;
  kind: FaultKind;
  remaining: number;
  delayMs: number;
  method: string | null;
  path: string | null;
}

export interface TriggeredFault {
  id: number;
  kind: FaultKind;
  method: string;
  path: string;
  requestId: string;
}

export class FaultPlan {
  private readonly active: ActiveFault[] = [];
  private nextId = 1;
  /** Every fault that hit a request, oldest first. */
  readonly triggered: TriggeredFault[] = [];

  inject(spec: FaultSpec): ActiveFault {
    if (!FAULT_KINDS.includes(spec.kind)) {
      throw new Error(`unknown fault kind "${String(spec.kind)}"; expected one of ${FAULT_KINDS.join(', ')}`);
    }
    const times = spec.times === 'always' ? Number.POSITIVE_INFINITY : (spec.times ?? 1);
    if (!(times >= 1)) throw new Error('times must be at least 1');
    const fault: ActiveFault = {
      id: this.nextId++,
      kind: spec.kind,
      remaining: times,
      delayMs: spec.delayMs ?? 1000,
      method: spec.method ? spec.method.toUpperCase() : null,
      path: spec.path ?? null,
    };
    this.active.push(fault);
    return fault;
  }

  /** The fault that applies to this request, if any (consumes one of its `times`). */
  take(method: string, path: string, requestId: string): ActiveFault | undefined {
    const fault = this.active.find(
      (candidate) =>
        (candidate.method === null || candidate.method === method) &&
        (candidate.path === null || path.startsWith(candidate.path)),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.active.splice(this.active.indexOf(fault), 1);
    this.triggered.push({ id: fault.id, kind: fault.kind, method, path, requestId });
    return fault;
  }

  pending(): readonly ActiveFault[] {
    return this.active.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.active.length = 0;
  }
}
