import { AppError } from '../../errors';
import { money, type Money } from '../money';
import { ID_PATTERN, parseAccountCode } from './accounts';

/**
 * Journal entries. Sign convention: a line's `amount.amount` is signed minor units of
 * `amount.currency`: a DEBIT is positive, a CREDIT is negative. An entry balances when its lines
 * sum to zero in each currency. Every value is JSON-safe (ISO strings, safe integers), so drafts
 * and posted entries travel in Temporal payloads as they are.
 */
export const ENTRY_KINDS = [
  'capture',
  'refund',
  'fee',
  'payout',
  'reversal',
  'adjustment',
  'reserve_release',
  'fx_conversion',
  'processor_fee',
  'remittance',
] as const;

export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface LedgerLine {
  /** Account code, e.g. `merchant_payable:mer_123:EUR`; its currency is the amount's. */
  readonly account: string;
  /** Signed: debit positive, credit negative; never zero. */
  readonly amount: Money;
}

/** An entry ready to post. Build it with `ledgerEntry` (or a builder) so it is checked. */
export interface LedgerEntryDraft {
  /** Idempotency key of the business event: `order:<orderId>:capture`, `refund:<refundId>`, ... */
  readonly businessKey: string;
  readonly kind: EntryKind;
  readonly orderId: string | null;
  readonly merchantId: string | null;
  readonly description: string;
  /** Business time (ISO 8601, UTC, milliseconds), given by the caller. */
  readonly occurredAt: string;
  /** The entry this one reverses (kind `reversal` only). */
  readonly reversesEntryId: string | null;
  readonly lines: readonly LedgerLine[];
}

export interface LedgerEntryInput {
  readonly businessKey: string;
  readonly kind: EntryKind;
  readonly orderId?: string | null;
  readonly merchantId?: string | null;
  readonly description: string;
  readonly occurredAt: Date | string;
  readonly reversesEntryId?: string | null;
  readonly lines: readonly LedgerLine[];
}

export const MAX_BUSINESS_KEY_LENGTH = 255;
export const MAX_DESCRIPTION_LENGTH = 500;
const BUSINESS_KEY_PATTERN = /^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Debit `account` with `m` (a positive amount is a debit). */
export function debit(account: string, m: Money): LedgerLine {
  return { account, amount: money(m.amount, m.currency) };
}

/** Credit `account` with `m` (stored negated). */
export function credit(account: string, m: Money): LedgerLine {
  return { account, amount: money(-m.amount, m.currency) };
}

/** Sum of the lines per currency (BigInt, exact). */
export function sumsByCurrency(lines: readonly LedgerLine[]): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const line of lines) {
    sums.set(line.amount.currency, (sums.get(line.amount.currency) ?? 0n) + BigInt(line.amount.amount));
  }
  return sums;
}

export function isBalanced(lines: readonly LedgerLine[]): boolean {
  return [...sumsByCurrency(lines).values()].every((s) => s === 0n);
}

export function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new AppError('VALIDATION_FAILED', `${field} must be 1 to 64 letters, digits, '_', '-' or '.'`, {
      field,
    });
  }
  return value;
}

/** An ISO 8601 instant with millisecond precision (what TIMESTAMPTZ(3) keeps). */
export function toInstant(value: Date | string, field = 'occurredAt'): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  if (
    date === null ||
    Number.isNaN(date.getTime()) ||
    (typeof value === 'string' && !/^\d{4}-\d\d-\d\dT/.test(value))
  ) {
    throw new AppError('VALIDATION_FAILED', `${field} must be an ISO 8601 date-time`, { field });
  }
  return date.toISOString();
}

/** Business keys: `:`-separated ids, at most 255 characters. */
export function checkBusinessKey(key: unknown, field = 'businessKey'): string {
  if (typeof key !== 'string' || !BUSINESS_KEY_PATTERN.test(key) || key.length > MAX_BUSINESS_KEY_LENGTH) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${field} must be ':'-separated ids of letters, digits, '_', '-' or '.', at most ${MAX_BUSINESS_KEY_LENGTH} characters`,
      { field },
    );
  }
  return key;
}

/** Business keys of the entries Borderline posts (DESIGN.md: derived from the operation). */
export const ledgerKeys = {
  capture: (orderId: string) => `order:${checkId(orderId, 'orderId')}:capture`,
  refund: (refundId: string) => `refund:${checkId(refundId, 'refundId')}`,
  reversal: (businessKey: string) => checkBusinessKey(`reversal:${checkBusinessKey(businessKey)}`),
  /** The processor's fee on one of its balance transactions (`txn_…`), booked by reconciliation. */
  processorFee: (transactionId: string) => `processor-fee:${checkId(transactionId, 'transactionId')}`,
} as const;

/**
 * Checks an entry and returns it normalised: a known kind, a valid business key, at least two
 * lines, every line a non-zero safe integer on a valid account code of the line's currency, the
 * lines summing to zero per currency, and `reversesEntryId` set exactly for reversals.
 * Throws AppError('VALIDATION_FAILED') naming the offending field.
 */
export function ledgerEntry(input: LedgerEntryInput): LedgerEntryDraft {
  const businessKey = checkBusinessKey(input.businessKey);
  if (!(ENTRY_KINDS as readonly string[]).includes(input.kind)) {
    throw new AppError('VALIDATION_FAILED', `kind must be one of ${ENTRY_KINDS.join(', ')}`, {
      field: 'kind',
    });
  }
  const orderId = input.orderId == null ? null : checkId(input.orderId, 'orderId');
  const merchantId = input.merchantId == null ? null : checkId(input.merchantId, 'merchantId');
  if (typeof input.description !== 'string' || input.description.length > MAX_DESCRIPTION_LENGTH) {
    throw new AppError(
      'VALIDATION_FAILED',
      `description must be a string of at most ${MAX_DESCRIPTION_LENGTH} characters`,
      {
        field: 'description',
      },
    );
  }
  const occurredAt = toInstant(input.occurredAt);
  const reversesEntryId = input.reversesEntryId ?? null;
  if (reversesEntryId !== null && !UUID_PATTERN.test(reversesEntryId)) {
    throw new AppError('VALIDATION_FAILED', 'reversesEntryId must be the id (UUID) of a posted entry', {
      field: 'reversesEntryId',
    });
  }
  if ((input.kind === 'reversal') !== (reversesEntryId !== null)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'an entry of kind reversal, and only it, names the entry it reverses',
      {
        field: 'reversesEntryId',
      },
    );
  }
  if (!Array.isArray(input.lines) || input.lines.length < 2) {
    throw new AppError('VALIDATION_FAILED', 'an entry needs at least two lines', { field: 'lines' });
  }
  const lines = input.lines.map((line, i): LedgerLine => {
    const field = `lines.${i}`;
    const account = parseAccountCode(line?.account, `${field}.account`);
    const amount = money(line?.amount?.amount, line?.amount?.currency, `${field}.amount`);
    if (amount.amount === 0) {
      throw new AppError('VALIDATION_FAILED', 'a line moves a non-zero amount', { field: `${field}.amount` });
    }
    if (amount.currency !== account.currency) {
      throw new AppError(
        'VALIDATION_FAILED',
        `line in ${amount.currency} on account ${account.code}, which holds ${account.currency}`,
        { field: `${field}.amount.currency` },
      );
    }
    return { account: account.code, amount };
  });
  for (const [currency, total] of sumsByCurrency(lines)) {
    if (total !== 0n) {
      throw new AppError(
        'VALIDATION_FAILED',
        `entry ${businessKey} does not balance: its ${currency} lines sum to ${total} (debits must equal credits per currency)`,
        { field: 'lines', details: { currency, sum: total.toString() } },
      );
    }
  }
  return {
    businessKey,
    kind: input.kind,
    orderId,
    merchantId,
    description: input.description,
    occurredAt,
    reversesEntryId,
    lines,
  };
}

function lineKey(line: LedgerLine): string {
  return `${line.account}|${line.amount.currency}|${line.amount.amount}`;
}

/**
 * Whether two entries record the same business event: same key, kind, order, merchant,
 * occurrence time, reversed entry and the same lines (as a multiset: order does not matter).
 * The description is free text and is not compared.
 */
export function sameEntry(a: LedgerEntryDraft, b: LedgerEntryDraft): boolean {
  if (
    a.businessKey !== b.businessKey ||
    a.kind !== b.kind ||
    a.orderId !== b.orderId ||
    a.merchantId !== b.merchantId ||
    toInstant(a.occurredAt) !== toInstant(b.occurredAt) ||
    a.reversesEntryId !== b.reversesEntryId ||
    a.lines.length !== b.lines.length
  ) {
    return false;
  }
  const left = a.lines.map(lineKey).sort();
  const right = b.lines.map(lineKey).sort();
  return left.every((key, i) => key === right[i]);
}
