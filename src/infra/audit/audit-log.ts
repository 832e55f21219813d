import type { Prisma } from '../../generated/prisma/client';
import { AppError } from '../../errors';
import type { Database } from '../database';
import type { Summary } from './summary';

/** Who acted: an API key (id, name, role), or the keys command (no key id, role `cli`). */
export interface AuditActor {
  keyId: string | null;
  name: string;
  role: string;
}

/** What was asked: recorded before the action (intent) and again with its outcome (result). */
export interface AuditAction {
  requestId: string;
  actor: AuditActor;
  method: string;
  route: string;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  idempotencyKey?: string | undefined;
  body?: Summary | undefined;
}

export interface AuditResult extends AuditAction {
  /** The intent row written before the action, when the request reached its handler. */
  intentId?: bigint | undefined;
  statusCode: number;
  errorCode?: string | undefined;
  durationMs?: number | undefined;
}

export type AuditOutcome = 'succeeded' | 'refused' | 'failed' | 'unknown';

export interface AuditFilter {
  actorKeyId?: string;
  route?: string;
  subjectId?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

/** One audited action as GET /v1/audit shows it. */
export interface AuditEntry {
  id: string;
  /** When the answer was given (unknown outcome: when the action was about to run). */
  at: string;
  /** When the handler was about to act; null for requests refused before it. */
  startedAt: string | null;
  requestId: string;
  actor: AuditActor;
  method: string;
  route: string;
  subject: { type: string | null; id: string | null };
  idempotencyKey: string | null;
  body: unknown;
  outcome: AuditOutcome;
  statusCode: number | null;
  errorCode: string | null;
  durationMs: number | null;
}

export function outcomeOf(statusCode: number): Exclude<AuditOutcome, 'unknown'> {
  if (statusCode >= 500) return 'failed';
  return statusCode >= 400 ? 'refused' : 'succeeded';
}

/** The audit log in PostgreSQL (table audit_log, append-only). */
export class AuditLog {
  constructor(private readonly db: Database) {}

  /** Written before the action: returns the intent's id, to pair the result with it. */
  async recordIntent(action: AuditAction): Promise<bigint> {
    const row = await this.db.auditLog.create({
      data: { phase: 'intent', ...columns(action) },
      select: { id: true },
    });
    return row.id;
  }

  async recordResult(result: AuditResult): Promise<void> {
    await this.db.auditLog.create({
      data: {
        phase: 'result',
        ...columns(result),
        intentId: result.intentId ?? null,
        statusCode: result.statusCode,
        errorCode: result.errorCode ?? null,
        outcome: outcomeOf(result.statusCode),
        durationMs: result.durationMs === undefined ? null : Math.round(result.durationMs),
      },
    });
  }

  /**
   * Audited actions, newest first: each result (with its intent's time), and each intent that
   * has no result (outcome `unknown`: the request is still running, or the process stopped
   * between the action and its result).
   */
  async list(filter: AuditFilter): Promise<{ data: AuditEntry[]; nextCursor: string | null }> {
    const before = filter.cursor ? decodeCursor(filter.cursor) : undefined;
    const unanswered: Prisma.AuditLogWhereInput = { phase: 'intent', result: { is: null } };
    const where: Prisma.AuditLogWhereInput = {
      AND: [
        filter.outcome === 'unknown'
          ? unanswered
          : filter.outcome
            ? { phase: 'result', outcome: filter.outcome }
            : { OR: [{ phase: 'result' }, unanswered] },
        ...(filter.actorKeyId ? [{ actorKeyId: filter.actorKeyId }] : []),
        ...(filter.route ? [{ route: filter.route }] : []),
        ...(filter.subjectId ? [{ subjectId: filter.subjectId }] : []),
        ...(filter.from ? [{ occurredAt: { gte: filter.from } }] : []),
        ...(filter.to ? [{ occurredAt: { lt: filter.to } }] : []),
        ...(before !== undefined ? [{ id: { lt: before } }] : []),
      ],
    };
    const rows = await this.db.auditLog.findMany({
      where,
      orderBy: { id: 'desc' },
      take: filter.limit + 1,
      include: { intent: { select: { occurredAt: true } } },
    });
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toEntry),
      nextCursor: rows.length > filter.limit && last ? encodeCursor(last.id) : null,
    };
  }
}

function columns(action: AuditAction) {
  return {
    requestId: action.requestId.slice(0, 128),
    actorKeyId: action.actor.keyId,
    actorName: action.actor.name.slice(0, 200),
    actorRole: action.actor.role.slice(0, 20),
    method: action.method.slice(0, 10),
    route: action.route.slice(0, 300),
    subjectType: action.subjectType?.slice(0, 40) ?? null,
    subjectId: action.subjectId?.slice(0, 255) ?? null,
    idempotencyKey: action.idempotencyKey?.slice(0, 255) ?? null,
    ...(action.body === undefined || action.body === null
      ? {}
      : { body: action.body as Prisma.InputJsonValue }),
  };
}

type Row = Prisma.AuditLogGetPayload<{ include: { intent: { select: { occurredAt: true } } } }>;

function toEntry(row: Row): AuditEntry {
  const isResult = row.phase === 'result';
  return {
    id: row.id.toString(),
    at: row.occurredAt.toISOString(),
    startedAt: isResult ? (row.intent?.occurredAt.toISOString() ?? null) : row.occurredAt.toISOString(),
    requestId: row.requestId,
    actor: { keyId: row.actorKeyId, name: row.actorName, role: row.actorRole },
    method: row.method,
    route: row.route,
    subject: { type: row.subjectType, id: row.subjectId },
    idempotencyKey: row.idempotencyKey,
    body: row.body ?? null,
    outcome: isResult ? (row.outcome as AuditOutcome) : 'unknown',
    statusCode: row.statusCode,
    errorCode: row.errorCode,
    durationMs: row.durationMs,
  };
}

function encodeCursor(id: bigint): string {
  return Buffer.from(`audit:${id.toString()}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): bigint {
  const match = /^audit:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match)
    throw new AppError('VALIDATION_FAILED', 'cursor is not one this API returned', { field: 'cursor' });
  return BigInt(match[1]!);
}
