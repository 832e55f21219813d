/**
 * Seeding and inspecting settlement runs: merchants with fee terms, captures and refunds posted
 * straight to the ledger (orderCaptureEntry + LedgerStore, no order saga), a transfer port that
 * records what it is asked, and checks of the ledger a run must leave behind.
 */
import { orderCaptureEntry, type OrderCaptureInput } from '../../src/domain/ledger';
import { money, type Money } from '../../src/domain/money';
import type {
  FindMerchantTransferRequest,
  MerchantTransfer,
  PaymentsPort,
  TransferToMerchantRequest,
} from '../../src/domain/payments';
import type { StatementLine } from '../../src/domain/settlement';
import { AppError } from '../../src/errors';
import type { Database } from '../../src/infra/database';
import { ECB_SAMPLE_DAYS, ReferenceRateSource } from '../../src/infra/fx';
import { LedgerStore, type PostedEntry } from '../../src/infra/ledger';
import { SettlementStore } from '../../src/infra/settlement';
import { openTestDatabase, uniqueId } from './database';

/** What a settlement test file works with: the test database, its ledger and settlement store. */
export interface SettlementWorld {
  readonly db: Database;
  readonly ledger: LedgerStore;
  readonly store: SettlementStore;
  /** The sample reference rates (ECB_SAMPLE_DAYS). */
  readonly fx: ReferenceRateSource;
}

/** Opens the world before the file's tests and closes it after them (call at the top level). */
export function useSettlementWorld(): SettlementWorld {
  const world = { fx: new ReferenceRateSource(ECB_SAMPLE_DAYS) } as {
    db: Database;
    ledger: LedgerStore;
    store: SettlementStore;
    fx: ReferenceRateSource;
  };
  beforeAll(() => {
    world.db = openTestDatabase();
    world.ledger = new LedgerStore(world.db);
    world.store = new SettlementStore(world.db);
  });
  afterAll(async () => {
    await world.db.$disconnect();
  });
  return world;
}

export interface MerchantTerms {
  settlementCurrency?: string;
  stripeAccountId?: string | null;
  platformFeeBps?: number;
  /** Minor units of the settlement currency. */
  platformFeeFixed?: number;
  reserveBps?: number;
  reserveDays?: number;
}

export async function createMerchant(
  db: Database,
  terms: MerchantTerms = {},
  id = uniqueId('mer'),
): Promise<string> {
  await db.merchant.create({
    data: {
      id,
      name: `Settlement merchant ${id}`,
      country: 'DE',
      settlementCurrency: terms.settlementCurrency ?? 'EUR',
      stripeAccountId:
        terms.stripeAccountId === undefined
          ? `acct_${id.replace(/[^A-Za-z0-9]/g, '')}`
          : terms.stripeAccountId,
      platformFeeBps: terms.platformFeeBps ?? 290,
      platformFeeFixed: BigInt(terms.platformFeeFixed ?? 0),
      reserveBps: terms.reserveBps ?? 0,
      reserveDays: terms.reserveDays ?? 0,
    },
  });
  return id;
}

export interface CaptureSpec {
  merchantId: string;
  currency?: string;
  goods: number;
  shipping?: number;
  duties?: number;
  taxes?: number;
  /** Label cost in the order currency. */
  carrier?: number;
  occurredAt: string;
  orderId?: string;
}

/** The capture input for a spec, with the merchant's fee terms read from the database. */
export async function captureInput(ledger: LedgerStore, spec: CaptureSpec): Promise<OrderCaptureInput> {
  const currency = spec.currency ?? 'EUR';
  const m = (amount = 0) => money(amount, currency);
  const goods = m(spec.goods);
  const shipping = m(spec.shipping);
  const duties = m(spec.duties);
  const taxes = m(spec.taxes);
  return {
    orderId: spec.orderId ?? uniqueId('ord'),
    merchantId: spec.merchantId,
    destinationCountry: 'DE',
    captured: m(goods.amount + shipping.amount + duties.amount + taxes.amount),
    breakdown: { goods, shipping, duties, taxes, customsFees: m(0) },
    carrier: spec.carrier ? { carrierId: 'sample-express', cost: m(spec.carrier) } : null,
    feeTerms: await ledger.merchantFeeTerms(spec.merchantId),
    occurredAt: spec.occurredAt,
  };
}

export async function postCapture(ledger: LedgerStore, spec: CaptureSpec): Promise<OrderCaptureInput> {
  const input = await captureInput(ledger, spec);
  await ledger.post(orderCaptureEntry(input));
  return input;
}

/**
 * `merchants` new merchants without a platform fee, each with `salesEach` captures on
 * 2026-11-16 (goods 1,000 × n + k minor units): their ids, and what each is owed.
 */
export async function seedMerchantSales(
  db: Database,
  merchants: number,
  salesEach: number,
): Promise<{ merchants: string[]; owed: Map<string, number> }> {
  const ledger = new LedgerStore(db);
  const ids: string[] = [];
  const owed = new Map<string, number>();
  for (let i = 0; i < merchants; i++) {
    const merchantId = await createMerchant(db, { platformFeeBps: 0 });
    ids.push(merchantId);
    for (let k = 0; k < salesEach; k++) {
      const goods = 1_000 * (i + 1) + k;
      await postCapture(ledger, { merchantId, goods, occurredAt: `2026-11-16T1${k}:00:00Z` });
      owed.set(merchantId, (owed.get(merchantId) ?? 0) + goods);
    }
  }
  return { merchants: ids, owed };
}

export async function postRefund(
  ledger: LedgerStore,
  capture: OrderCaptureInput,
  amount: number,
  occurredAt: string,
): Promise<PostedEntry> {
  return ledger.postOrderRefund({
    refundId: uniqueId('re'),
    capture,
    amount: money(amount, capture.captured.currency),
    occurredAt,
  });
}

/** A PaymentsPort that only transfers: records each request, answers like the provider would. */
export class RecordingTransfers implements PaymentsPort {
  readonly requests: TransferToMerchantRequest[] = [];
  private readonly byKey = new Map<string, MerchantTransfer>();
  /** Merchants whose transfer is refused for good. */
  readonly refuse = new Set<string>();

  async transferToMerchant(request: TransferToMerchantRequest): Promise<MerchantTransfer> {
    this.requests.push(request);
    if (this.refuse.has(request.merchantId)) {
      throw new AppError('PAYMENT_REJECTED', `No such destination: '${request.destinationAccountId}'`);
    }
    const known = this.byKey.get(request.idempotencyKey);
    if (known) return known;
    const transfer: MerchantTransfer = {
      providerTransferId: uniqueId('tr'),
      destinationAccountId: request.destinationAccountId,
      runId: request.runId,
      merchantId: request.merchantId,
      amount: request.amount,
      amountReversed: money(0, request.amount.currency),
      reversed: false,
      transferGroup: request.transferGroup ?? null,
      providerBalanceTransactionId: null,
      createdAt: '2026-11-25T12:00:00.000Z',
    };
    this.byKey.set(request.idempotencyKey, transfer);
    return transfer;
  }

  /** Lookups made (payBatch looks a transfer up once the run's keys may have expired). */
  readonly lookups: FindMerchantTransferRequest[] = [];

  async findMerchantTransfer(request: FindMerchantTransferRequest): Promise<MerchantTransfer | null> {
    this.lookups.push(request);
    return (
      this.transfers.find(
        (t) =>
          t.transferGroup === request.transferGroup &&
          t.destinationAccountId === request.destinationAccountId &&
          t.runId === request.runId &&
          t.merchantId === request.merchantId,
      ) ?? null
    );
  }

  /** Distinct transfers made (one per idempotency key). */
  get transfers(): MerchantTransfer[] {
    return [...this.byKey.values()];
  }

  authorizePayment = unsupported;
  capturePayment = unsupported;
  cancelAuthorization = unsupported;
  retrievePayment = unsupported;
  findOrderPayment = unsupported;
  findRefund = unsupported;
  refundPayment = unsupported;
  reverseTransfer = unsupported;
  listBalanceTransactions = unsupported;
}

async function unsupported(): Promise<never> {
  throw new Error('not used by settlement');
}

/** Every line of the merchants' entries, as the reference model (merchantStatement) reads them. */
export async function statementLines(db: Database, merchantIds: readonly string[]): Promise<StatementLine[]> {
  const rows = await db.journalLine.findMany({
    where: { entry: { merchantId: { in: [...merchantIds] } } },
    include: { entry: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((l) => ({
    id: l.id.toString(),
    entryId: l.entryId,
    entryKind: l.entry.kind as StatementLine['entryKind'],
    businessKey: l.entry.businessKey,
    account: l.accountCode,
    amount: money(Number(l.amount), l.currency),
    occurredAt: l.occurredAt.toISOString(),
  }));
}

/**
 * The claims (line settled, by which run) of these merchants' lines, payable and reserve: a line
 * is settled by its settlement_items row's run if it has one, else by the run of the range of its
 * account that covers it (migration 20261126100000_settlement_ranges).
 */
export async function claimsOf(
  db: Database,
  merchantIds: readonly string[],
): Promise<{ lineId: string; runId: string }[]> {
  const rows = await db.$queryRaw<{ line_id: bigint; run_id: string }[]>`
    SELECT l.id AS line_id, COALESCE(s.run_id, r.run_id) AS run_id
      FROM journal_lines l
      JOIN ledger_accounts a ON a.code = l.account_code
      LEFT JOIN settlement_items s ON s.line_id = l.id
      LEFT JOIN settlement_ranges r ON r.account_code = l.account_code AND r.currency = l.currency
                                   AND l.id > r.after_line_id AND l.id <= r.through_line_id
     WHERE a.merchant_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(merchantIds)}::jsonb))
       AND (s.line_id IS NOT NULL OR r.run_id IS NOT NULL)
     ORDER BY l.id`;
  return rows.map((r) => ({ lineId: r.line_id.toString(), runId: r.run_id }));
}

/** Lines settled by any run, by line id. */
export async function settledLineIds(db: Database, merchantIds: readonly string[]): Promise<Set<string>> {
  return new Set((await claimsOf(db, merchantIds)).map((c) => c.lineId));
}

/** A merchant's balance on an account kind in a currency (debit positive), optionally only unsettled lines. */
export async function merchantBalance(
  db: Database,
  merchantId: string,
  kind: 'merchant_payable' | 'merchant_reserve',
  currency: string,
  onlyUnsettled = false,
): Promise<number> {
  const rows = await db.$queryRaw<{ total: bigint | null }[]>`
    SELECT sum(l.amount)::bigint AS total FROM journal_lines l
     WHERE l.account_code = ${`${kind}:${merchantId}:${currency}`}
       AND (${onlyUnsettled} = false
            OR (NOT EXISTS (SELECT 1 FROM settlement_items s WHERE s.line_id = l.id)
                AND NOT EXISTS (SELECT 1 FROM settlement_ranges r
                                 WHERE r.account_code = l.account_code AND r.currency = l.currency
                                   AND l.id > r.after_line_id AND l.id <= r.through_line_id)))`;
  return Number(rows[0]?.total ?? 0);
}

export const eur = (amount: number): Money => money(amount, 'EUR');

/** Parses the report: header + rows as objects (no quoted commas in what the tests compare). */
export function parseCsv(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trimEnd().split('\r\n');
  const names = header!.split(',');
  return lines.map((line) => {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i]!;
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        cells.push(cell);
        cell = '';
      } else cell += c;
    }
    cells.push(cell);
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}
