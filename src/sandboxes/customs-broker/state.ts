import type {
  Declaration,
  DeclarationIssue,
  DeclarationRequest,
  DeclarationStatus,
} from '../../domain/customs/port';
import { reviewDeclaration } from '../../domain/customs/rules';
import { fnv1a, type SeededIds } from '../shared/seeded-ids';
import { movementReference } from './ids';

/** What customs will answer; `pending` keeps the declaration pending until `decide`. */
export type ForcedStatus = 'accepted' | 'rejected' | 'correction_requested' | 'pending';

export interface ForcedOutcome {
  status: ForcedStatus;
  /** Issues to report; a forced rejection or correction without any gets one `FORCED_…` issue. */
  issues?: DeclarationIssue[];
  /** Processing delay for this declaration instead of the configured one. */
  delayMs?: number;
}

export type DecidedStatus = Exclude<ForcedStatus, 'pending'>;

export interface DeclarationRecord {
  id: string;
  reference: string;
  orderId: string;
  /** Canonical form of the submitted body: the same reference with another body is a conflict. */
  fingerprint: string;
  request: DeclarationRequest;
  submittedAtMs: number;
  /** When customs' answer becomes visible; null while it stays pending (forced). */
  decideAtMs: number | null;
  decision: { status: DecidedStatus; issues: DeclarationIssue[]; movementReference: string | null } | null;
  clearedAtMs: number | null;
  voidedAtMs: number | null;
  voidReason: string | null;
  forced: boolean;
}

/** `number` ms, or a range from which each reference gets its own fixed delay. */
export type ProcessingDelay = number | { minMs: number; maxMs: number };

export function delayFor(reference: string, delay: ProcessingDelay): number {
  if (typeof delay === 'number') return Math.max(0, delay);
  const min = Math.max(0, Math.min(delay.minMs, delay.maxMs));
  const max = Math.max(delay.minMs, delay.maxMs, 0);
  return min + (fnv1a(reference) % (max - min + 1));
}

function defaultIssues(status: DecidedStatus): DeclarationIssue[] {
  if (status === 'rejected')
    return [{ code: 'FORCED_REJECTION', message: 'rejected by the sandbox test control' }];
  if (status === 'correction_requested') {
    return [{ code: 'FORCED_CORRECTION', message: 'correction requested by the sandbox test control' }];
  }
  return [];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Forced outcomes, for the next declaration or for a given reference. */
export class OutcomeControls {
  private readonly queue: ForcedOutcome[] = [];
  private readonly byReference = new Map<string, ForcedOutcome>();

  /** The next new declaration (whatever its reference) gets this outcome. Several queue up. */
  forceNext(outcome: ForcedOutcome): void {
    this.queue.push(checkOutcome(outcome));
  }

  /** The declaration submitted under `reference` gets this outcome (takes precedence over forceNext). */
  forceReference(reference: string, outcome: ForcedOutcome): void {
    this.byReference.set(reference, checkOutcome(outcome));
  }

  take(reference: string): ForcedOutcome | undefined {
    const byReference = this.byReference.get(reference);
    if (byReference) {
      this.byReference.delete(reference);
      return byReference;
    }
    return this.queue.shift();
  }

  pending(): { next: ForcedOutcome[]; byReference: Record<string, ForcedOutcome> } {
    return { next: [...this.queue], byReference: Object.fromEntries(this.byReference) };
  }

  clear(): void {
    this.queue.length = 0;
    this.byReference.clear();
  }
}

function checkOutcome(outcome: ForcedOutcome): ForcedOutcome {
  const statuses: ForcedStatus[] = ['accepted', 'rejected', 'correction_requested', 'pending'];
  if (!statuses.includes(outcome.status)) {
    throw new Error(`unknown outcome "${String(outcome.status)}"; expected one of ${statuses.join(', ')}`);
  }
  if (outcome.delayMs !== undefined && !(Number.isFinite(outcome.delayMs) && outcome.delayMs >= 0)) {
    throw new Error('delayMs must be a number of milliseconds ≥ 0');
  }
  return { ...outcome, ...(outcome.issues ? { issues: outcome.issues.map((issue) => ({ ...issue })) } : {}) };
}

export class CustomsBrokerState {
  readonly declarations = new Map<string, DeclarationRecord>();
  readonly byReference = new Map<string, string>();

  constructor(
    private readonly ids: SeededIds,
    private readonly processingDelay: ProcessingDelay,
  ) {}

  create(
    request: DeclarationRequest,
    fingerprint: string,
    nowMs: number,
    forced: ForcedOutcome | undefined,
  ): DeclarationRecord {
    const id = this.ids.next('dcl');
    const review = reviewDeclaration(request);
    const status: ForcedStatus = forced?.status ?? review.outcome;
    const delayMs = forced?.delayMs ?? delayFor(request.reference, this.processingDelay);
    const record: DeclarationRecord = {
      id,
      reference: request.reference,
      orderId: request.orderId,
      fingerprint,
      request,
      submittedAtMs: nowMs,
      decideAtMs: status === 'pending' ? null : nowMs + delayMs,
      decision: null,
      clearedAtMs: null,
      voidedAtMs: null,
      voidReason: null,
      forced: forced !== undefined,
    };
    if (status !== 'pending') {
      const issues = forced ? (forced.issues ?? defaultIssues(status)) : review.issues;
      record.decision = this.decision(record, status, issues, nowMs + delayMs);
    }
    this.declarations.set(id, record);
    this.byReference.set(request.reference, id);
    return record;
  }

  /** Customs answers now (a declaration left pending by a forced `pending`, or any pending one). */
  decide(
    record: DeclarationRecord,
    outcome: { status: DecidedStatus; issues?: DeclarationIssue[] },
    nowMs: number,
  ): void {
    if (this.status(record, nowMs) !== 'pending') {
      throw new Error(`declaration ${record.id} is ${this.status(record, nowMs)}, not pending`);
    }
    record.decideAtMs = nowMs;
    record.decision = this.decision(
      record,
      outcome.status,
      outcome.issues ?? defaultIssues(outcome.status),
      nowMs,
    );
  }

  markCleared(record: DeclarationRecord, nowMs: number): void {
    const status = this.status(record, nowMs);
    if (status !== 'accepted')
      throw new Error(`only an accepted declaration can clear; ${record.id} is ${status}`);
    if (record.clearedAtMs === null) record.clearedAtMs = nowMs;
  }

  private decision(
    record: DeclarationRecord,
    status: DecidedStatus,
    issues: DeclarationIssue[],
    atMs: number,
  ) {
    return {
      status,
      issues,
      movementReference:
        status === 'accepted' ? movementReference(this.ids, record.id, record.request.shipTo, atMs) : null,
    };
  }

  /** Whether customs' answer was given (before `nowMs`, and before any void). */
  private decided(record: DeclarationRecord, nowMs: number): boolean {
    if (record.decision === null || record.decideAtMs === null) return false;
    return record.decideAtMs <= Math.min(nowMs, record.voidedAtMs ?? Number.POSITIVE_INFINITY);
  }

  status(record: DeclarationRecord, nowMs: number): DeclarationStatus {
    if (record.voidedAtMs !== null && record.voidedAtMs <= nowMs) return 'voided';
    if (!this.decided(record, nowMs)) return 'pending';
    return record.decision!.status;
  }

  view(record: DeclarationRecord, nowMs: number): Declaration {
    const decided = this.decided(record, nowMs);
    const times = [record.submittedAtMs];
    if (decided && record.decideAtMs !== null) times.push(record.decideAtMs);
    if (record.clearedAtMs !== null) times.push(record.clearedAtMs);
    if (record.voidedAtMs !== null) times.push(record.voidedAtMs);
    const movement = decided ? record.decision?.movementReference : null;
    return {
      declarationId: record.id,
      reference: record.reference,
      orderId: record.orderId,
      status: this.status(record, nowMs),
      issues: decided ? record.decision!.issues.map((issue) => ({ ...issue })) : [],
      ...(movement ? { movementReference: movement } : {}),
      submittedAt: iso(record.submittedAtMs),
      updatedAt: iso(Math.max(...times)),
      ...(record.clearedAtMs !== null ? { clearedAt: iso(record.clearedAtMs) } : {}),
      ...(record.voidedAtMs !== null ? { voidedAt: iso(record.voidedAtMs) } : {}),
      ...(record.voidReason !== null ? { voidReason: record.voidReason } : {}),
    };
  }

  findByReference(reference: string): DeclarationRecord | undefined {
    const id = this.byReference.get(reference);
    return id === undefined ? undefined : this.declarations.get(id);
  }

  reset(): void {
    this.declarations.clear();
    this.byReference.clear();
  }

  /**
   * Everything it holds, as JSON-ready data (the sandbox's snapshot file, shared/snapshot.ts). A
   * declaration's decision is a time (`decideAtMs`), not a timer, so a restored one is decided
   * when it would have been.
   */
  snapshot(): CustomsBrokerStateSnapshot {
    return { declarations: [...this.declarations.values()] };
  }

  restore(data: CustomsBrokerStateSnapshot): void {
    this.reset();
    for (const record of data.declarations) {
      this.declarations.set(record.id, record);
      this.byReference.set(record.reference, record.id);
    }
  }
}

/** Not its id seed: a restarted sandbox draws a new one (see CarrierStateSnapshot). */
export interface CustomsBrokerStateSnapshot {
  declarations: DeclarationRecord[];
}
