/**
 * Properties of settlement, on an in-memory ledger run through the reference model: whatever the
 * captures, refunds, fee terms and sequence of runs, every line is settled at most once, each
 * run's net is the sum of its components, and what runs pay plus what is still carried forward
 * is exactly what the merchant was owed.
 */
import * as fc from 'fast-check';
import {
  orderCaptureEntry,
  orderRefundEntry,
  type LedgerEntryDraft,
  type OrderCaptureInput,
  type PostedEntryLike,
} from '../../../../src/domain/ledger';
import { convert, money, type FxRateTable } from '../../../../src/domain/money';
import {
  carryForwardEntry,
  decidePayout,
  lineSettlements,
  merchantStatement,
  netOf,
  payoutEntry,
  reserveReleaseEntry,
  type LineSettlement,
  type SettlementPosting,
  type StatementLine,
} from '../../../../src/domain/settlement';

const MERCHANT = 'mer_p';
const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');

type CarriedLine = StatementLine & { settlement: LineSettlement | null };

/**
 * A run's statement from the lines it claims alone, as the SQL computes it: what each payable
 * line carries since it was posted (class and breakdown), never its entry's other lines.
 */
function statementFromLines(claimed: readonly CarriedLine[], payable: string, reserve: string) {
  const release = 0 - claimed.filter((l) => l.account === reserve).reduce((s, l) => s + l.amount.amount, 0);
  const c = { gross: 0, refunds: 0, fees: 0, dutiesTaxes: 0, carrier: 0, reserveHeld: 0 };
  let net = release;
  let reserveReleased = release;
  let broughtForward = 0;
  for (const l of claimed) {
    if (l.account !== payable) continue;
    net -= l.amount.amount;
    if (l.settlement!.settlementClass === 'released') reserveReleased -= l.amount.amount;
    if (l.settlement!.settlementClass === 'brought') broughtForward -= l.amount.amount;
    const b = l.settlement!.breakdown;
    if (b) for (const k of Object.keys(c) as (keyof typeof c)[]) c[k] += b[k];
  }
  const known = { ...c, reserveReleased, broughtForward, other: 0 };
  return { ...known, other: net - netOf(known), net, release };
}

class MemoryLedger {
  readonly lines: CarriedLine[] = [];
  readonly entries: (LedgerEntryDraft & { id: string })[] = [];
  readonly settledBy = new Map<string, number>();
  private next = 1;

  post(entry: LedgerEntryDraft): StatementLine[] {
    const id = `e${this.entries.length + 1}`;
    this.entries.push({ ...entry, id });
    const settlements = lineSettlements(entry);
    const posted = entry.lines.map((l, i) => ({
      settlement: settlements[i]!,
      id: String(this.next++),
      entryId: id,
      entryKind: entry.kind,
      businessKey: entry.businessKey,
      account: l.account,
      amount: l.amount,
      occurredAt: entry.occurredAt,
    }));
    this.lines.push(...posted);
    return posted;
  }

  /** Posts a settlement entry and settles the lines it names, for `run`. */
  postSettlement(posting: SettlementPosting, run: number): void {
    const posted = this.post(posting.entry);
    for (const claim of posting.claims) this.settle(posted[claim.lineIndex]!.id, run);
  }

  settle(lineId: string, run: number): void {
    if (this.settledBy.has(lineId)) throw new Error(`line ${lineId} settled twice`);
    this.settledBy.set(lineId, run);
  }

  balance(account: string, onlyUnsettled = false): number {
    return this.lines
      .filter((l) => l.account === account && (!onlyUnsettled || !this.settledBy.has(l.id)))
      .reduce((s, l) => s + l.amount.amount, 0);
  }
}

interface Sale {
  goods: number;
  shipping: number;
  taxes: number;
  carrier: number;
  day: number;
  refund: number; // share of the captured total refunded, in percent (0: none)
}

const sale: fc.Arbitrary<Sale> = fc.record({
  goods: fc.integer({ min: 1, max: 500_000 }),
  shipping: fc.integer({ min: 0, max: 5_000 }),
  taxes: fc.integer({ min: 0, max: 100_000 }),
  carrier: fc.integer({ min: 0, max: 20_000 }),
  day: fc.integer({ min: 0, max: 30 }),
  refund: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })),
});

const terms = fc.record({
  feeBps: fc.integer({ min: 0, max: 3_000 }),
  fixed: fc.integer({ min: 0, max: 500 }),
  reserveBps: fc.integer({ min: 0, max: 2_000 }),
  reserveDays: fc.integer({ min: 0, max: 10 }),
  hasAccount: fc.boolean(),
});

describe('settlement runs over any ledger', () => {
  it('settle each line once, balance every statement, and pay exactly what was owed', () => {
    fc.assert(
      fc.property(
        fc.array(sale, { minLength: 1, maxLength: 12 }),
        terms,
        fc.uniqueArray(fc.integer({ min: 1, max: 45 }), { minLength: 1, maxLength: 6 }),
        (sales, t, runDays) => {
          const ledger = new MemoryLedger();
          const payable = `merchant_payable:${MERCHANT}:EUR`;
          const reserve = `merchant_reserve:${MERCHANT}:EUR`;
          sales.forEach((s, i) => {
            const eur = (amount: number) => money(amount, 'EUR');
            const capture: OrderCaptureInput = {
              orderId: `ord_${i}`,
              merchantId: MERCHANT,
              destinationCountry: 'DE',
              captured: eur(s.goods + s.shipping + s.taxes),
              breakdown: {
                goods: eur(s.goods),
                shipping: eur(s.shipping),
                duties: eur(0),
                taxes: eur(s.taxes),
                customsFees: eur(0),
              },
              carrier: s.carrier > 0 ? { carrierId: 'carrier_p', cost: eur(s.carrier) } : null,
              feeTerms: {
                platformFeeBps: t.feeBps,
                platformFeeFixed: eur(t.fixed),
                reserveBps: t.reserveBps,
                reserveDays: t.reserveDays,
              },
              occurredAt: new Date(START + s.day * DAY + i).toISOString(),
            };
            const posted = ledger.post(orderCaptureEntry(capture));
            if (s.refund > 0) {
              const amount = Math.max(1, Math.floor((capture.captured.amount * s.refund) / 100));
              const earlier: PostedEntryLike[] = [{ ...ledger.entries.at(-1)!, lines: posted }];
              ledger.post(
                orderRefundEntry({
                  refundId: `re_${i}`,
                  capture,
                  amount: eur(amount),
                  earlierEntries: earlier,
                  occurredAt: new Date(START + s.day * DAY + i + 1000).toISOString(),
                }),
              );
            }
          });
          const owed = 0 - (ledger.balance(payable) + ledger.balance(reserve)); // 0 - x: never -0

          let paid = 0;
          let carried = 0;
          // The runs, in order of cut-off, then a last one after every reserve is releasable.
          // (strictly later than every other: a carry-forward is posted at its run's cut-off and
          // belongs to the next period, which a run with the same cut-off would not include).
          const sorted = [...runDays].sort((a, b) => a - b);
          const cutoffs = [...sorted, Math.max(31 + t.reserveDays + 1, sorted.at(-1)! + 1)];
          cutoffs.forEach((day, run) => {
            const cutoff = new Date(START + day * DAY).toISOString();
            const statement = merchantStatement(ledger.lines, {
              merchantId: MERCHANT,
              currency: 'EUR',
              cutoff,
              reserveDays: t.reserveDays,
              settled: new Set(ledger.settledBy.keys()),
            });
            expect(netOf(statement)).toBe(statement.net);
            // The lines it claims carry the same statement (what the SQL reads).
            const { claimed, ...reference } = statement;
            const claimedLines = claimed.map((c) => ledger.lines.find((l) => l.id === c.id)!);
            expect(statementFromLines(claimedLines, payable, reserve)).toEqual(reference);
            for (const line of statement.claimed) ledger.settle(line.id, run);
            const runId = `stl_${run}`;
            if (statement.release !== 0) {
              ledger.postSettlement(
                reserveReleaseEntry({
                  runId,
                  merchantId: MERCHANT,
                  amount: money(statement.release, 'EUR'),
                  occurredAt: cutoff,
                }),
                run,
              );
            }
            const decision = decidePayout(
              money(statement.net, 'EUR'),
              { settlementCurrency: 'EUR', stripeAccountId: t.hasAccount ? 'acct_p' : null },
              null,
            );
            if (decision.payout) {
              paid += decision.payout.amount;
              ledger.postSettlement(
                payoutEntry({
                  runId,
                  merchantId: MERCHANT,
                  net: money(statement.net, 'EUR'),
                  paid: decision.payout,
                  transferId: `tr_${run}`,
                  occurredAt: cutoff,
                }),
                run,
              );
            }
            if (decision.carriedForward !== 0) {
              ledger.postSettlement(
                carryForwardEntry({
                  runId,
                  merchantId: MERCHANT,
                  owed: money(decision.carriedForward, 'EUR'),
                  occurredAt: cutoff,
                  reason: decision.status,
                }),
                run,
              );
            }
            carried = decision.carriedForward;
            // What a run settled on the merchant's accounts adds up to zero: paid or carried.
            const settledByRun = ledger.lines.filter(
              (l) => ledger.settledBy.get(l.id) === run && (l.account === payable || l.account === reserve),
            );
            expect(settledByRun.reduce((s, l) => s + l.amount.amount, 0)).toBe(0);
          });

          // Everything owed is paid, or still carried on one unsettled line.
          expect(paid + carried).toBe(owed);
          expect(ledger.balance(payable, true) + ledger.balance(reserve, true)).toBe(0 - carried);
          expect(ledger.balance(reserve)).toBe(0);
          if (t.hasAccount && owed > 0 && carried === 0) expect(ledger.balance(payable)).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('converts half-even: within half a minor unit of the exact amount, and monotone', () => {
    const table: FxRateTable = {
      rates: [{ from: 'EUR', to: 'USD', rate: '1.0411', source: 'ECB', asOf: '2025-02-28T15:00:00.000Z' }],
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        (net, more) => {
          const a = decidePayout(
            money(net, 'EUR'),
            { settlementCurrency: 'USD', stripeAccountId: 'acct' },
            table,
          );
          const b = decidePayout(
            money(net + more, 'EUR'),
            { settlementCurrency: 'USD', stripeAccountId: 'acct' },
            table,
          );
          const exact = BigInt(net) * 10411n; // × 10 000
          const diff = BigInt(a.payout!.amount) * 10_000n - exact;
          expect(diff <= 5_000n && diff >= -5_000n).toBe(true);
          if (diff === 5_000n || diff === -5_000n) expect(a.payout!.amount % 2).toBe(0);
          expect(b.payout!.amount).toBeGreaterThanOrEqual(a.payout!.amount);
          expect(a.payout).toEqual(convert(money(net, 'EUR'), 'USD', table).to);
        },
      ),
      { numRuns: 500 },
    );
  });
});
