import * as fc from 'fast-check';
import {
  accounts,
  isBalanced,
  orderCaptureEntry,
  orderRefundEntry,
  refundComponents,
  reversalOf,
  splitCapture,
  type LedgerEntryDraft,
  type OrderCaptureInput,
} from '../../../../src/domain/ledger';
import { money } from '../../../../src/domain/money';

const CURRENCIES = ['EUR', 'USD', 'JPY', 'GBP', 'KWD'] as const;

const captureInput: fc.Arbitrary<OrderCaptureInput> = fc
  .record({
    currency: fc.constantFrom(...CURRENCIES),
    goods: fc.integer({ min: 1, max: 1_000_000_000 }),
    shipping: fc.integer({ min: 0, max: 10_000_000 }),
    duties: fc.integer({ min: 0, max: 100_000_000 }),
    taxes: fc.integer({ min: 0, max: 100_000_000 }),
    customsFees: fc.integer({ min: 0, max: 1_000_000 }),
    feeBps: fc.integer({ min: 0, max: 10_000 }),
    reserveBps: fc.integer({ min: 0, max: 10_000 }),
    fixed: fc.integer({ min: 0, max: 100_000 }),
    fixedCurrency: fc.constantFrom(...CURRENCIES),
    carrier: fc.option(
      fc.record({
        currency: fc.constantFrom(...CURRENCIES),
        cost: fc.integer({ min: 0, max: 10_000_000 }),
        converted: fc.integer({ min: 1, max: 10_000_000 }),
      }),
    ),
    country: fc.constantFrom('DE', 'FR', 'GB', 'US', 'JP', 'AU', 'CA'),
  })
  .map((r): OrderCaptureInput => {
    const c = (amount: number) => money(amount, r.currency);
    return {
      orderId: 'ord_p',
      merchantId: 'mer_p',
      destinationCountry: r.country,
      captured: c(r.goods + r.shipping + r.duties + r.taxes + r.customsFees),
      breakdown: {
        goods: c(r.goods),
        shipping: c(r.shipping),
        duties: c(r.duties),
        taxes: c(r.taxes),
        customsFees: c(r.customsFees),
      },
      carrier:
        r.carrier === null
          ? null
          : {
              carrierId: 'carrier_p',
              cost: money(r.carrier.cost, r.carrier.currency),
              ...(r.carrier.currency === r.currency
                ? {}
                : { costInOrderCurrency: c(r.carrier.cost === 0 ? 0 : r.carrier.converted) }),
            },
      feeTerms: {
        platformFeeBps: r.feeBps,
        platformFeeFixed: money(r.fixed, r.fixedCurrency),
        reserveBps: r.reserveBps,
        reserveDays: 30,
      },
      occurredAt: '2026-11-25T10:00:00.000Z',
    };
  });

/** Cuts `total` (≥ 1) into 1 to 6 positive parts. */
function partsOf(total: number): fc.Arbitrary<number[]> {
  if (total === 1) return fc.constant([1]);
  return fc
    .uniqueArray(fc.integer({ min: 1, max: total - 1 }), { maxLength: Math.min(5, total - 1) })
    .map((cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), total];
      return points.slice(1).map((p, i) => p - points[i]!);
    });
}

/** Net per account over several entries (debit positive). */
function net(entries: readonly LedgerEntryDraft[]): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const entry of entries) {
    for (const line of entry.lines) {
      sums.set(line.account, (sums.get(line.account) ?? 0n) + BigInt(line.amount.amount));
    }
  }
  for (const [account, value] of sums) if (value === 0n) sums.delete(account);
  return sums;
}

function refundsOf(capture: OrderCaptureInput, amounts: readonly number[]): LedgerEntryDraft[] {
  const posted: (LedgerEntryDraft & { id: string })[] = [];
  amounts.forEach((amount, i) => {
    const entry = orderRefundEntry({
      refundId: `re_${i}`,
      capture,
      amount: money(amount, capture.captured.currency),
      earlierEntries: posted,
      occurredAt: '2026-11-26T10:00:00.000Z',
    });
    posted.push({ ...entry, id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` });
  });
  return posted;
}

describe('ledger properties', () => {
  test('every capture entry balances per currency and debits clearing with the captured total', () => {
    fc.assert(
      fc.property(captureInput, (input) => {
        const entry = orderCaptureEntry(input);
        expect(isBalanced(entry.lines)).toBe(true);
        expect(entry.lines.every((l) => l.amount.amount !== 0)).toBe(true);
        const clearing = accounts.processorClearing('stripe', input.captured.currency);
        expect(entry.lines.filter((l) => l.account === clearing).map((l) => l.amount.amount)).toEqual([
          input.captured.amount,
        ]);
      }),
      { numRuns: 500 },
    );
  });

  test('refunds summing to the capture take back every refundable component exactly', () => {
    fc.assert(
      fc.property(
        captureInput.chain((input) => fc.tuple(fc.constant(input), partsOf(input.captured.amount))),
        ([input, amounts]) => {
          const capture = orderCaptureEntry(input);
          const refunds = refundsOf(input, amounts);
          for (const refund of refunds) {
            expect(isBalanced(refund.lines)).toBe(true);
            // Debits only on components, one credit on clearing.
            expect(refund.lines.filter((l) => l.amount.amount < 0)).toHaveLength(1);
          }
          // Nothing is left to refund, and each component was taken back exactly once.
          for (const component of refundComponents(input, refunds)) {
            expect(component.remaining.amount).toBe(0);
            expect(component.alreadyRefunded).toEqual(component.captured);
          }
          // What stays: the carrier cost, the reserve and the fixed fee, as README.md says.
          const s = splitCapture(input);
          const ccy = input.captured.currency;
          const expected = new Map<string, bigint>();
          const add = (account: string, amount: number) =>
            expected.set(account, (expected.get(account) ?? 0n) + BigInt(amount));
          add(accounts.merchantPayable('mer_p', ccy), s.carrierCost.amount + s.reserve.amount);
          add(accounts.merchantReserve('mer_p', ccy), -s.reserve.amount);
          if (input.carrier !== null && input.carrier.cost.amount !== 0) {
            const k = input.carrier.cost;
            if (k.currency === ccy) {
              add(accounts.carrierPayable('carrier_p', ccy), -k.amount);
            } else {
              add(accounts.fxClearing(ccy), -s.carrierCost.amount);
              add(accounts.fxClearing(k.currency), k.amount);
              add(accounts.carrierPayable('carrier_p', k.currency), -k.amount);
            }
          }
          const fixed = s.platformFeeFixed;
          add(accounts.merchantPayable('mer_p', fixed.currency), fixed.amount);
          add(accounts.platformFeeRevenue(fixed.currency), -fixed.amount);
          for (const [account, value] of expected) if (value === 0n) expected.delete(account);
          expect(net([capture, ...refunds])).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a partial refund never takes more than is left of a component, and over-refunds are refused', () => {
    fc.assert(
      fc.property(
        captureInput.chain((input) =>
          fc.tuple(fc.constant(input), fc.integer({ min: 1, max: input.captured.amount })),
        ),
        ([input, amount]) => {
          const [refund] = refundsOf(input, [amount]);
          const before = refundComponents(input, []);
          const after = refundComponents(input, [refund!]);
          after.forEach((c, i) => {
            expect(c.remaining.amount).toBeGreaterThanOrEqual(0);
            expect(c.remaining.amount).toBeLessThanOrEqual(before[i]!.remaining.amount);
          });
          expect(() =>
            orderRefundEntry({
              refundId: 're_over',
              capture: input,
              amount: money(input.captured.amount - amount + 1, input.captured.currency),
              earlierEntries: [refund!],
              occurredAt: '2026-11-27T00:00:00Z',
            }),
          ).toThrow(expect.objectContaining({ code: 'BUSINESS_RULE_VIOLATION' }));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('an entry and its reversal net to zero on every account', () => {
    fc.assert(
      fc.property(captureInput, (input) => {
        const capture = { ...orderCaptureEntry(input), id: '00000000-0000-4000-8000-000000000001' };
        const reversal = reversalOf(capture, { occurredAt: '2026-11-30T00:00:00Z' });
        expect(isBalanced(reversal.lines)).toBe(true);
        expect(net([capture, reversal]).size).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
