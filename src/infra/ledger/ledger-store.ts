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
import { sqlOf, type Database } from '../database';
import { postEntries } from './batch';

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

/** The PostgreSQL SQLSTATE and message of a pg, Prisma or driver-adapter error, if any. */
function pgFailure(error: unknown): PgFailure | null {
  if (typeof error !== 'object' || error === null) return null;
  // node-postgres's own error (statements sent straight through the pool: sqlOf).
  const driver = error as { severity?: unknown; code?: unknown; message?: unknown };
  if (typeof driver.severity === 'string' && typeof driver.code === 'string') {
    return { code: driver.code, message: typeof driver.message === 'string' ? driver.message : '' };
  }
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
      // Straight through pg (four round trips; Prisma's interactive transaction took eight).
      // The client is released before an existing entry is read: a read through Prisma needs a
      // connection of the same pool.
      const client = await sqlOf(this.db).connect();
      let posted: PostResult | null;
      try {
        await client.query('BEGIN');
        posted = await this.insertOrMatch(draft, async <R>(statement: Statement, values: unknown[]) => {
          const { rows } = await client.query({ ...statement, values });
          return rows as R[];
        });
        await client.query(posted === null ? 'ROLLBACK' : 'COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      return posted ?? (await matchExisting((key) => this.read(this.db, key), draft));
    } catch (error) {
      throw ledgerError(error, draft);
    }
  }

  /**
   * Posts many entries (no reversals) set-based (src/infra/ledger/batch.ts), `batchSize` to a
   * transaction, in business-key order (two callers posting the same keys at once then wait for
   * each other instead of deadlocking). Each is idempotent by business key as with `post`: an
   * entry posted before with the same content is kept, with other content refused
   * (IDEMPOTENCY_KEY_REUSED). A key given twice is posted once, or refused before anything is
   * written if its two entries differ. Answers how many were new and how many were there already.
   */
  async postMany(
    drafts: readonly LedgerEntryDraft[],
    batchSize = 500,
  ): Promise<{ created: number; existing: number }> {
    const byKey = new Map<string, LedgerEntryDraft>();
    for (const draft of drafts) {
      const first = byKey.get(draft.businessKey);
      if (first === undefined) byKey.set(draft.businessKey, draft);
      else if (!sameEntry(first, draft)) {
        throw new AppError(
          'IDEMPOTENCY_KEY_REUSED',
          `two different entries are given under ${draft.businessKey}`,
          {
            field: 'businessKey',
            details: { businessKey: draft.businessKey },
          },
        );
      }
    }
    const sorted = [...byKey.values()].sort((a, b) =>
      a.businessKey < b.businessKey ? -1 : a.businessKey > b.businessKey ? 1 : 0,
    );
    let created = 0;
    for (let i = 0; i < sorted.length; i += batchSize) {
      const batch = sorted.slice(i, i + batchSize);
      const posted = await this.db.$transaction((tx) => postEntries(tx, batch), TRANSACTION_OPTIONS);
      created += posted.created.size;
    }
    return { created, existing: sorted.length - created };
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
        const posted = await this.insertOrMatch(draft, <R>(statement: Statement, values: unknown[]) =>
          tx.$queryRawUnsafe<R[]>(statement.text, ...values),
        );
        return posted ?? (await matchExisting((key) => this.read(tx, key), draft));
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
    const {
      rows: [row],
    } = await sqlOf(this.db).query<{
      settlement_currency: string;
      platform_fee_bps: number;
      platform_fee_fixed: string;
      reserve_bps: number;
      reserve_days: number;
    }>({
      name: 'borderline.merchant-fee-terms',
      text: `SELECT settlement_currency, platform_fee_bps, platform_fee_fixed, reserve_bps, reserve_days
               FROM merchants WHERE id = $1`,
      values: [merchantId],
    });
    if (row === undefined) {
      throw new AppError('NOT_FOUND', `merchant ${merchantId} does not exist`, { field: 'merchantId' });
    }
    return {
      platformFeeBps: row.platform_fee_bps,
      platformFeeFixed: money(
        toSafeAmount(BigInt(row.platform_fee_fixed), 'platformFeeFixed'),
        row.settlement_currency,
      ),
      reserveBps: row.reserve_bps,
      reserveDays: row.reserve_days,
    };
  }

  private async read(db: Tx | Database, businessKey: string): Promise<PostedEntry | null> {
    const row = await db.journalEntry.findUnique({ where: { businessKey }, include: entryWithLines });
    return row === null ? null : toPosted(row);
  }

  /**
   * The entry, then its accounts (created on first use) and lines: two statements in the caller's
   * transaction, run by `run` (a pg client of the pool under Prisma for a posting of its own, or
   * the Prisma transaction a refund posting holds its lock in). ON CONFLICT DO NOTHING: a
   * concurrent insert of the key makes this one wait, then skip; null when the key was posted
   * before (then `matchExisting`).
   */
  private async insertOrMatch(draft: LedgerEntryDraft, run: RunStatement): Promise<PostResult | null> {
    const [entry] = await run<{ id: string; created_at: Date | string }>(INSERT_ENTRY, [
      draft.businessKey,
      draft.kind,
      draft.orderId,
      draft.merchantId,
      draft.description,
      draft.occurredAt,
      draft.reversesEntryId,
    ]);
    if (entry === undefined) return null;
    const refs = [...new Set(draft.lines.map((l) => l.account))].sort().map((code) => parseAccountCode(code));
    const settlements = lineSettlements(draft).map(settlementColumns);
    const column = <T>(pick: (c: ReturnType<typeof settlementColumns>) => T) => settlements.map(pick);
    const lines = await run<{ id: string; line_no: number }>(INSERT_ACCOUNTS_AND_LINES, [
      entry.id,
      draft.occurredAt,
      refs.map((r) => r.code),
      refs.map((r) => r.kind),
      refs.map((r) => r.type),
      refs.map((r) => r.normalBalance),
      refs.map((r) => r.currency),
      refs.map((r) => r.party),
      refs.map((r) => r.merchantId),
      draft.lines.map((l) => l.account),
      draft.lines.map((l) => l.amount.currency),
      draft.lines.map((l) => String(l.amount.amount)),
      column((c) => c.settlementClass),
      column((c) => numberOrNull(c.breakdownGross)),
      column((c) => numberOrNull(c.breakdownRefunds)),
      column((c) => numberOrNull(c.breakdownFees)),
      column((c) => numberOrNull(c.breakdownDutiesTaxes)),
      column((c) => numberOrNull(c.breakdownCarrier)),
      column((c) => numberOrNull(c.breakdownReserveHeld)),
    ]);
    // The draft is what was stored (its occurredAt already at the column's millisecond precision).
    const ids = new Map(lines.map((line) => [line.line_no, line.id]));
    return {
      ...draft,
      id: entry.id,
      createdAt: new Date(entry.created_at).toISOString(),
      lines: draft.lines.map((line, i) => ({
        id: ids.get(i + 1)!,
        lineNo: i + 1,
        account: line.account,
        amount: line.amount,
      })),
      created: true,
    };
  }
}

/** Runs one statement of a posting, in the posting's transaction, and answers its rows. */
type RunStatement = <R>(statement: Statement, values: unknown[]) => Promise<R[]>;

/** A statement's text and its name (pg parses and plans a named statement once per connection). */
interface Statement {
  name: string;
  text: string;
}

const numberOrNull = (n: number | null) => (n === null ? null : String(n));

/** The entry, once per business key (no row: posted before). */
const INSERT_ENTRY: Statement = {
  name: 'borderline.ledger-entry',
  text: `
  INSERT INTO journal_entries (business_key, kind, order_id, merchant_id, description, occurred_at, reverses_entry_id)
  VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::uuid)
  ON CONFLICT (business_key) DO NOTHING
  RETURNING id::text AS id, created_at`,
};

/**
 * The entry's accounts ($3–$9, sorted by code: concurrent postings create them in the same order)
 * and its lines in order ($10–$19; line_no is the position). A separate statement from the entry's
 * insert: a line may only be added once its entry's insert has finished (trigger
 * ledger_line_before_insert). Foreign keys are checked at the end of the statement, so the lines
 * may use the accounts it creates; the balance and the settlement breakdown are checked at commit.
 */
const INSERT_ACCOUNTS_AND_LINES: Statement = {
  name: 'borderline.ledger-lines',
  text: `
  WITH accounts AS (
    INSERT INTO ledger_accounts (code, kind, type, normal_balance, currency, party, merchant_id)
    SELECT a.code, a.kind, a.type::ledger_account_type, a.normal_balance::ledger_normal_balance, a.currency,
           a.party, a.merchant_id
      FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
           WITH ORDINALITY AS a(code, kind, type, normal_balance, currency, party, merchant_id, n)
     ORDER BY a.n
    ON CONFLICT (code) DO NOTHING)
  INSERT INTO journal_lines (entry_id, line_no, account_code, currency, amount, occurred_at, settlement_class,
                             breakdown_gross, breakdown_refunds, breakdown_fees, breakdown_duties_taxes,
                             breakdown_carrier, breakdown_reserve_held)
  SELECT $1::uuid, l.n, l.account_code, l.currency, l.amount, $2::timestamptz, l.settlement_class,
         l.gross, l.refunds, l.fees, l.duties_taxes, l.carrier, l.reserve_held
    FROM unnest($10::text[], $11::text[], $12::bigint[], $13::text[], $14::bigint[], $15::bigint[],
                $16::bigint[], $17::bigint[], $18::bigint[], $19::bigint[])
         WITH ORDINALITY AS l(account_code, currency, amount, settlement_class, gross, refunds, fees,
                              duties_taxes, carrier, reserve_held, n)
  RETURNING id::text AS id, line_no`,
};

/** The entry stored under the draft's key, when its content is the draft's; refused otherwise. */
async function matchExisting(
  read: (businessKey: string) => Promise<PostedEntry | null>,
  draft: LedgerEntryDraft,
): Promise<PostResult> {
  const existing = await read(draft.businessKey);
  if (existing === null) {
    throw new AppError('INTERNAL', `entry ${draft.businessKey} neither inserted nor found; retry`);
  }
  if (!sameEntry(existing, draft)) throw reused(draft.businessKey, existing.id);
  return { ...existing, created: false };
}

function reused(businessKey: string, existingEntryId: string): AppError {
  return new AppError(
    'IDEMPOTENCY_KEY_REUSED',
    `ledger entry ${businessKey} is already posted with other content; a correction is a new entry (e.g. a reversal)`,
    { field: 'businessKey', details: { businessKey, existingEntryId } },
  );
}
