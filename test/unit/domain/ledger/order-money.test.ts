import fc from 'fast-check';
import {
  orderCaptureEntry,
  orderMoney,
  orderRefundEntry,
  reversalOf,
  type LedgerEntryDraft,
  type OrderMoneyEntry,
} from '../../../../src/domain/ledger';
import { money } from '../../../../src/domain/money';
import { processorFeeEntry } from '../../../../src/domain/reconciliation';
import { processorItem } from '../../../helpers/processor-items';
import { workedExampleCapture } from '../../../helpers/ledger-example';

const capture = workedExampleCapture({ orderId: 'ord_money' });
const captureEntry = orderCaptureEntry(capture);
const eur = (amount: number) => money(amount, 'EUR');

/** A draft as posted: an id, and the kind it reverses for a reversal. */
let seq = 0;
function posted(draft: LedgerEntryDraft, reversedKind: OrderMoneyEntry['reversedKind'] = null) {
  seq += 1;
  return { ...draft, id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, reversedKind };
}

const refund = (refundId: string, amount: number, earlier: LedgerEntryDraft[]) =>
  orderRefundEntry({
    refundId,
    capture,
    amount: eur(amount),
    earlierEntries: earlier,
    occurredAt: '2026-11-27T09:00:00.000Z',
  });

const conserved = (m: ReturnType<typeof orderMoney>[number]) =>
  m.captured - m.refunded - (m.platformFees + m.merchant + m.carrier + m.dutiesAndTaxes);

describe('orderMoney', () => {
  test('the README worked example: who holds what of EUR 127.95', () => {
    expect(orderMoney([posted(captureEntry)])).toEqual([
      {
        currency: 'EUR',
        captured: 12_795,
        refunded: 0,
        processorFees: 0,
        // 2.9 % of goods + shipping (10,500: 304.5, half-even 304) and the fixed 0.30.
        platformFees: 334,
        merchant: 12_795 - 334 - 840 - 2_295,
        carrier: 840,
        dutiesAndTaxes: 2_295,
      },
    ]);
  });

  test('a refund takes back its share of each part; a reversal of it gives them back', () => {
    const first = posted(captureEntry);
    const refunded = posted(refund('rf_money_1', 2_000, [first]));
    const after = orderMoney([first, refunded])[0]!;
    expect(after).toMatchObject({ captured: 12_795, refunded: 2_000, carrier: 840 });
    expect(after.platformFees + after.merchant + after.dutiesAndTaxes).toBe(12_795 - 840 - 2_000);
    expect(conserved(after)).toBe(0);

    const reversal = posted(reversalOf(refunded, { occurredAt: '2026-11-28T09:00:00.000Z' }), 'refund');
    expect(orderMoney([first, refunded, reversal])).toEqual(orderMoney([first]));
  });

  test("the processor's fee is its own part, paid out of clearing; nothing else moves", () => {
    const fee = processorFeeEntry(
      processorItem({ type: 'charge', amount: 12_795, fee: 401, currency: 'EUR', orderId: 'ord_money' }),
    )!;
    const [withFee] = orderMoney([posted(captureEntry), posted(fee)]);
    expect(withFee).toEqual({ ...orderMoney([posted(captureEntry)])[0], processorFees: 401 });
  });

  test('a carrier billing in another currency shows in that currency; currencies are sorted', () => {
    const usdCarrier = orderCaptureEntry({
      ...capture,
      carrier: { carrierId: 'sample-express', cost: money(912, 'USD'), costInOrderCurrency: eur(840) },
    });
    const result = orderMoney([posted(usdCarrier)]);
    expect(result.map((m) => m.currency)).toEqual(['EUR', 'USD']);
    expect(result[1]).toMatchObject({ currency: 'USD', carrier: 912, captured: 0, merchant: 0 });
    expect(result[0]).toMatchObject({ currency: 'EUR', captured: 12_795, carrier: 0 });
  });

  test('no entries, no money', () => {
    expect(orderMoney([])).toEqual([]);
  });

  test('property: whatever refunds and reversals, captured − refunded is what the parts hold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ amount: fc.integer({ min: 1, max: 4_000 }), reverse: fc.boolean() }), {
          maxLength: 8,
        }),
        (steps) => {
          const entries = [posted(captureEntry)];
          let left = 12_795;
          steps.forEach((step, i) => {
            if (step.amount > left) return;
            const made = posted(refund(`rf_p_${i}`, step.amount, entries));
            entries.push(made);
            left -= step.amount;
            if (step.reverse) {
              entries.push(posted(reversalOf(made, { occurredAt: '2026-11-29T00:00:00.000Z' }), 'refund'));
              left += step.amount;
            }
          });
          const [eurMoney] = orderMoney(entries);
          expect(conserved(eurMoney!)).toBe(0);
          expect(eurMoney!.refunded).toBe(12_795 - left);
        },
      ),
    );
  });
});
