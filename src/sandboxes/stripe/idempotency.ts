import type { SandboxClock } from '../shared/clock';

/**
 * Stripe's idempotent requests (docs.stripe.com/api/idempotent_requests): the first request with
 * a key saves its status and body once the endpoint has started executing — errors included —
 * and later requests with the same key get that saved answer back (`Idempotent-Replayed: true`).
 * The same key with other parameters, or on another endpoint, is refused with an
 * `idempotency_error`. Keys are scoped to the API key and forgotten 24 hours after first use, on
 * the sandbox's clock (docs.stripe.com/idempotency: keys may be removed "after they're at least
 * 24 hours old. We generate a new request if a key is reused after the original is pruned"): the
 * same key then executes again, with the same parameters or others.
 */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface SavedResponse {
  status: number;
  body: string;
  requestId: string;
}

export interface Entry {
  fingerprint: string;
  createdMs: number;
  response: SavedResponse | null;
}

export type IdempotencyCheck =
  | { kind: 'new' }
  | { kind: 'replay'; response: SavedResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What makes two requests "the same": endpoint and parameters (order of keys does not matter). */
export function requestFingerprint(method: string, path: string, params: unknown): string {
  return `${method} ${path} ${canonical(params)}`;
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly ttlMs = IDEMPOTENCY_KEY_TTL_MS,
  ) {}

  begin(scope: string, key: string, fingerprint: string): IdempotencyCheck {
    this.prune();
    const id = `${scope}\u0000${key}`;
    const entry = this.entries.get(id);
    if (!entry) {
      this.entries.set(id, { fingerprint, createdMs: this.clock.now(), response: null });
      return { kind: 'new' };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (!entry.response) return { kind: 'in_progress' };
    return { kind: 'replay', response: entry.response };
  }

  complete(scope: string, key: string, response: SavedResponse): void {
    const entry = this.entries.get(`${scope}\u0000${key}`);
    if (entry) entry.response = response;
  }

  /** Forgets a key whose request ended before execution (validation failure, injected fault). */
  abandon(scope: string, key: string): void {
    const id = `${scope}\u0000${key}`;
    if (this.entries.get(id)?.response === null) this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }

  /** The keys whose request finished, with their answers (a request in flight is not kept). */
  snapshot(): [string, Entry][] {
    return [...this.entries].filter(([, entry]) => entry.response !== null);
  }

  restore(entries: [string, Entry][]): void {
    this.entries.clear();
    for (const [id, entry] of entries) this.entries.set(id, entry);
  }

  private prune(): void {
    const oldest = this.clock.now() - this.ttlMs;
    for (const [id, entry] of this.entries) {
      if (entry.createdMs <= oldest && entry.response !== null) this.entries.delete(id);
    }
  }
}
