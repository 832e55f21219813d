import { AppError } from '../../errors';
import { Prisma } from '../../generated/prisma/client';
import {
  ledgerEntry,
  ledgerKeys,
  orderRefundEntry,
  parseAccountCode,
  sameEntry,
  toInstant,
  type AccountKind,
  type AccountType,
  type LedgerEntryDraft,
  type LedgerEntryInput,
  type LedgerLine,
  type MerchantFeeTerms,
  type NormalBalance,
  type OrderRefundInput,
} from '../../domain/ledger';
import { money, toSafeAmount, type Money } from '../../domain/money';
import { lineSettlements, settlementColumns } from '../../domain/settlement/breakdown';
import type { Database } from '../database';

/** A line as stored: its id (what settlement will reference) and its position in the entry. */
export interface PostedLine extends LedgerLine {
  readonly id: string;
  readonly lineNo: number;
}

/** An entry as stored. JSON-safe (ISO strings, safe integers): it can be an activity result. */
export interface PostedEntry extends LedgerEntryDraft {
  readonly id: string;
  readonly createdAt: string;
  readonly lines: readonly PostedLine[];
}

/** What `post` answers: the entry, and whether this call created it (false: it already existed). */
export interface PostResult extends PostedEntry {
  readonly created: boolean;
}

export interface BalanceFilter {
  readonly accountCode?: string;
  /** Accounts of this merchant (merchant_payable, merchant_reserve). */
  readonly merchantId?: string;
  readonly currency?: string;
  readonly kind?: AccountKind;
  /** Only lines whose entry occurred strictly before this instant. */
  readonly occurredBefore?: Date | string;
}

export interface AccountBalance {
  readonly account: string;
  readonly kind: AccountKind;
  readonly type: AccountType;
  readonly normalBalance: NormalBalance;
  readonly currency: string;
  readonly party: string | null;
  readonly merchantId: string | null;
  /** Sum of the debit lines (positive). */
  readonly debits: Money;
  /** Sum of the credit lines, as a positive amount. */
  readonly credits: Money;
  /** debits − credits: the ledger's sign convention (debit positive). */
  readonly balance: Money;
  /** The balance seen from the account's normal side: positive when it is on its normal side. */
  readonly normalBalanceAmount: Money;
}

export type RefundPosting = Omit<OrderRefundInput, 'earlierEntries'>;

type Tx = Prisma.TransactionClient;

const entryWithLines = { lines: { orderBy: { lineNo: 'asc' } } } satisfies Prisma.JournalEntryInclude;
type EntryRow = Prisma.JournalEntryGetPayload<{ include: typeof entryWithLines }>;

const TRANSACTION_OPTIONS = {
  isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted,
  maxWait: 10_000,
  timeout: 30_000,
} as const;

function toPosted(row: EntryRow): PostedEntry {
  return {
    id: row.id,
    businessKey: row.businessKey,
    kind: row.kind as PostedEntry['kind'],
    orderId: row.orderId,
    merchantId: row.merchantId,
    description: row.description,
    occurredAt: row.occurredAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    reversesEntryId: row.reversesEntryId,
    lines: row.lines.map((line) => ({
      id: line.id.toString(),
      lineNo: line.lineNo,
      account: line.accountCode,
      amount: money(toSafeAmount(line.amount, 'amount'), line.currency),
    })),
  };
}

interface PgFailure {
  code: string | undefined;
  message: string;
}

/** The PostgreSQL SQLSTATE and message inside a Prisma or driver-adapter error, if any. */
function pgFailure(error: unknown): PgFailure | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as {
    name?: string;
    meta?: { driverAdapterError?: { cause?: { originalCode?: string; originalMessage?: string } } };
    cause?: { originalCode?: string; code?: string; originalMessage?: string; message?: string };
  };
  const fromMeta = e.meta?.driverAdapterError?.cause;
  if (fromMeta) return { code: fromMeta.originalCode, message: fromMeta.originalMessage ?? '' };
  if (e.name === 'DriverAdapterError' && e.cause) {
    return {
      code: e.cause.originalCode ?? e.cause.code,
      message: e.cause.originalMessage ?? e.cause.message ?? '',
    };
  }
  return null;
}

/** Turns the database's refusals into AppErrors; anything else is rethrown as it is. */
function ledgerError(error: unknown, draft: LedgerEntryDraft): unknown {
  if (error instanceof AppError) return error;
  const pg = pgFailure(error);
  if (pg === null) return error;
  const details = { businessKey: draft.businessKey, sqlstate: pg.code };
  if (pg.code === '23503' && pg.message.includes('merchant_id')) {
    return new AppError('NOT_FOUND', `merchant ${draft.merchantId ?? '(of an account)'} does not exist`, {
      field: 'merchantId',
      details,
      cause: error,
    });
  }
  if (pg.code === '23503' && pg.message.includes('reverses_entry_id')) {
    return new AppError('NOT_FOUND', `entry ${draft.reversesEntryId} to reverse does not exist`, {
      field: 'reversesEntryId',
      details,
      cause: error,
    });
  }
  if (pg.code === '23505' && pg.message.includes('reverses_entry_id')) {
    return new AppError('CONFLICT', `entry ${draft.reversesEntryId} is already reversed`, {
      field: 'reversesEntryId',
      details,
      cause: error,
    });
  }
  if (pg.code === '23514' && pg.message.startsWith('ledger:')) {
    return new AppError('BUSINESS_RULE_VIOLATION', pg.message, { details, cause: error });
  }
  return error;
}

/**
 * The double-entry ledger in PostgreSQL (tables ledger_accounts, journal_entries, journal_lines).
 * One transaction per posting: the entry (idempotent by business key), its accounts (created on
 * first use) and its lines; the database checks at commit that the entry balances per currency.
 */
export class LedgerStore {
  constructor(private readonly db: Database) {}

  /**
   * Posts an entry once. The same business key again with the same content (kind, order,
   * merchant, occurredAt, reversed entry, lines in any order; not the description) answers the
   * stored entry with `created: false`; with other content it is refused with
   * IDEMPOTENCY_KEY_REUSED. Of concurrent posts of one key, one inserts and the others wait for
   * it and answer its entry.
   */
  async post(entry: LedgerEntryDraft | LedgerEntryInput): Promise<PostResult> {
    const draft = ledgerEntry(entry);
    try {
      return await this.db.$transaction((tx) => this.insertOrMatch(tx, draft), TRANSACTION_OPTIONS);
    } catch (error) {
      throw ledgerError(error, draft);
    }
  }

  /**
   * Posts a refund of an order (`refund:<refundId>`): under a per-order lock, reads the order's
   * earlier refunds and splits the amount over what is left (orderRefundEntry). A retry with the
   * same refund id, amount and time answers the stored entry; with another amount or time it is
   * refused with IDEMPOTENCY_KEY_REUSED.
   */
  async postOrderRefund(input: RefundPosting): Promise<PostResult> {
    const businessKey = ledgerKeys.refund(input.refundId);
    const orderId = input.capture.orderId;
    let draft: LedgerEntryDraft | null = null;
    try {
      return await this.db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`ledger:order:${orderId}`}, 0))`;
        const existing = await this.read(tx, businessKey);
        if (existing !== null) {
          const clearing = existing.lines
            .filter((l) => l.amount.amount < 0)
            .reduce((s, l) => s - l.amount.amount, 0);
          const same =
            existing.kind === 'refund' &&
            existing.orderId === orderId &&
            existing.occurredAt === toInstant(input.occurredAt) &&
            input.amount.currency === input.capture.captured.currency &&
            clearing === input.amount.amount;
          if (!same) throw reused(businessKey, existing.id);
          return { ...existing, created: false };
        }
        const earlier = await tx.journalEntry.findMany({
          where: { orderId },
          include: entryWithLines,
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        });
        draft = orderRefundEntry({ ...input, earlierEntries: earlier.map(toPosted) });
        return await this.insertOrMatch(tx, draft);
      }, TRANSACTION_OPTIONS);
    } catch (error) {
      throw draft === null ? error : ledgerError(error, draft);
    }
  }

  async getEntry(businessKey: string): Promise<PostedEntry | null> {
    return this.read(this.db, businessKey);
  }

  async getEntryById(id: string): Promise<PostedEntry | null> {
    const row = await this.db.journalEntry.findUnique({ where: { id }, include: entryWithLines });
    return row === null ? null : toPosted(row);
  }

  /** The order's entries, in posting order. */
  async entriesForOrder(orderId: string): Promise<PostedEntry[]> {
    const rows = await this.db.journalEntry.findMany({
      where: { orderId },
      include: entryWithLines,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toPosted);
  }

  /**
   * Balances per account (one row per account matching the filter, zero when it has no lines),
   * summed set-based in PostgreSQL.
   */
  async balances(filter: BalanceFilter = {}): Promise<AccountBalance[]> {
    const conditions: Prisma.Sql[] = [];
    if (filter.accountCode !== undefined) {
      conditions.push(Prisma.sql`a.code = ${parseAccountCode(filter.accountCode, 'accountCode').code}`);
    }
    if (filter.merchantId !== undefined) conditions.push(Prisma.sql`a.merchant_id = ${filter.merchantId}`);
    if (filter.currency !== undefined) conditions.push(Prisma.sql`a.currency = ${filter.currency}`);
    if (filter.kind !== undefined) conditions.push(Prisma.sql`a.kind = ${filter.kind}`);
    const before =
      filter.occurredBefore === undefined
        ? Prisma.empty
        : Prisma.sql`AND l.occurred_at < ${toInstant(filter.occurredBefore, 'occurredBefore')}::timestamptz`;
    const where =
      conditions.length === 0 ? Prisma.empty : Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}`;
    const rows = await this.db.$queryRaw<
      {
        code: string;
        kind: string;
        type: string;
        normal_balance: string;
        currency: string;
        party: string | null;
        merchant_id: string | null;
        debits: bigint;
        credits: bigint;
      }[]
    >`
      SELECT a.code, a.kind, a.type::text AS type, a.normal_balance::text AS normal_balance, a.currency,
             a.party, a.merchant_id,
             COALESCE(SUM(l.amount) FILTER (WHERE l.amount > 0), 0)::bigint AS debits,
             COALESCE(-SUM(l.amount) FILTER (WHERE l.amount < 0), 0)::bigint AS credits
        FROM ledger_accounts a
        LEFT JOIN journal_lines l ON l.account_code = a.code AND l.currency = a.currency ${before}
        ${where}
       GROUP BY a.code
       ORDER BY a.code`;
    return rows.map((row) => {
      const debits = toSafeAmount(row.debits, 'debits');
      const credits = toSafeAmount(row.credits, 'credits');
      const balance = toSafeAmount(BigInt(row.debits) - BigInt(row.credits), 'balance');
      const normalBalance = row.normal_balance as NormalBalance;
      return {
        account: row.code,
        kind: row.kind as AccountKind,
        type: row.type as AccountType,
        normalBalance,
        currency: row.currency,
        party: row.party,
        merchantId: row.merchant_id,
        debits: money(debits, row.currency),
        credits: money(credits, row.currency),
        balance: money(balance, row.currency),
        normalBalanceAmount: money(normalBalance === 'debit' ? balance : -balance, row.currency),
      };
    });
  }

  /** The merchant's fee terms (columns of merchants); the fixed fee is in its settlement currency. */
  async merchantFeeTerms(merchantId: string): Promise<MerchantFeeTerms> {
    const row = await this.db.merchant.findUnique({
      where: { id: merchantId },
      select: {
        settlementCurrency: true,
        platformFeeBps: true,
        platformFeeFixed: true,
        reserveBps: true,
        reserveDays: true,
      },
    });
    if (row === null) {
      throw new AppError('NOT_FOUND', `merchant ${merchantId} does not exist`, { field: 'merchantId' });
    }
    return {
      platformFeeBps: row.platformFeeBps,
      platformFeeFixed: money(toSafeAmount(row.platformFeeFixed, 'platformFeeFixed'), row.settlementCurrency),
      reserveBps: row.reserveBps,
      reserveDays: row.reserveDays,
    };
  }

  private async read(db: Tx | Database, businessKey: string): Promise<PostedEntry | null> {
    const row = await db.journalEntry.findUnique({ where: { businessKey }, include: entryWithLines });
    return row === null ? null : toPosted(row);
  }

  /** INSERT ... ON CONFLICT DO NOTHING: a concurrent insert of the key makes this one wait, then skip. */
  private async insertOrMatch(tx: Tx, draft: LedgerEntryDraft): Promise<PostResult> {
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO journal_entries (business_key, kind, order_id, merchant_id, description, occurred_at, reverses_entry_id)
      VALUES (${draft.businessKey}, ${draft.kind}, ${draft.orderId}, ${draft.merchantId}, ${draft.description},
              ${draft.occurredAt}::timestamptz, ${draft.reversesEntryId}::uuid)
      ON CONFLICT (business_key) DO NOTHING
      RETURNING id::text AS id`;
    const id = inserted[0]?.id;
    if (id === undefined) {
      const existing = await this.read(tx, draft.businessKey);
      if (existing === null) {
        throw new AppError('INTERNAL', `entry ${draft.businessKey} neither inserted nor found; retry`);
      }
      if (!sameEntry(existing, draft)) throw reused(draft.businessKey, existing.id);
      return { ...existing, created: false };
    }

    // Accounts on first use, in code order (concurrent posts lock them in the same order).
    const refs = [...new Set(draft.lines.map((l) => l.account))].sort().map((code) => parseAccountCode(code));
    await tx.ledgerAccount.createMany({
      data: refs.map((ref) => ({
        code: ref.code,
        kind: ref.kind,
        type: ref.type,
        normalBalance: ref.normalBalance,
        currency: ref.currency,
        party: ref.party,
        merchantId: ref.merchantId,
      })),
      skipDuplicates: true,
    });
    const settlements = lineSettlements(draft);
    await tx.journalLine.createMany({
      data: draft.lines.map((line, i) => ({
        entryId: id,
        lineNo: i + 1,
        accountCode: line.account,
        currency: line.amount.currency,
        amount: BigInt(line.amount.amount),
        occurredAt: new Date(draft.occurredAt),
        ...settlementColumns(settlements[i]!),
      })),
    });
    const row = await tx.journalEntry.findUniqueOrThrow({ where: { id }, include: entryWithLines });
    return { ...toPosted(row), created: true };
  }
}

function reused(businessKey: string, existingEntryId: string): AppError {
  return new AppError(
    'IDEMPOTENCY_KEY_REUSED',
    `ledger entry ${businessKey} is already posted with other content; a correction is a new entry (e.g. a reversal)`,
    { field: 'businessKey', details: { businessKey, existingEntryId } },
  );
}
