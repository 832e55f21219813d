import type { AppError } from '../../../../src/errors';
import {
  checkoutBreakdown,
  orderCaptureEntry,
  orderRefundEntry,
  refundComponents,
  reversalOf,
  splitCapture,
  type LedgerEntryDraft,
  type OrderCaptureInput,
} from '../../../../src/domain/ledger';
import { money } from '../../../../src/domain/money';
import { workedExampleCapture } from '../../../helpers/ledger-example';

const eur = (amount: number) => money(amount, 'EUR');
const usd = (amount: number) => money(amount, 'USD');
const lines = (entry: LedgerEntryDraft) => entry.lines.map((l) => [l.account, l.amount.amount]);

/** The worked example of src/domain/ledger/README.md. */
const example = workedExampleCapture();

describe('orderCaptureEntry', () => {
  test('the README worked example', () => {
    const entry = orderCaptureEntry(example);
    expect(entry).toMatchObject({
      businessKey: 'order:ord_1001:capture',
      kind: 'capture',
      orderId: 'ord_1001',
      merchantId: 'mer_de_toys',
      occurredAt: '2026-11-25T10:00:00.000Z',
      reversesEntryId: null,
    });
    expect(lines(entry)).toEqual([
      ['processor_clearing:stripe:EUR', 12795],
      ['merchant_payable:mer_de_toys:EUR', -8420],
      ['merchant_reserve:mer_de_toys:EUR', -936],
      ['platform_fee_revenue:EUR', -304],
      ['duties_payable:DE:EUR', -300],
      ['tax_payable:DE:EUR', -1995],
      ['carrier_payable:sample-express:EUR', -840],
      ['merchant_payable:mer_de_toys:EUR', 30],
      ['platform_fee_revenue:EUR', -30],
    ]);
  });

  test('the percentage fee rounds half-even on goods + shipping', () => {
    // 10 500 × 2.9 % = 304.5 → 304 (even); 10 700 × 2.9 % = 310.3 → 310; 11 500 × 2.9 % = 333.5 → 334
    expect(splitCapture(example).platformFee.amount).toBe(304);
    const at = (goods: number) =>
      splitCapture({
        ...example,
        captured: eur(goods + 1000 + 2295),
        breakdown: { ...example.breakdown, goods: eur(goods) },
      }).platformFee.amount;
    expect(at(9700)).toBe(310);
    expect(at(10500)).toBe(334);
  });

  test('DAP: nothing owed to customs by the platform; no reserve, no fixed fee: fewer lines', () => {
    const entry = orderCaptureEntry({
      ...example,
      captured: eur(10500),
      breakdown: { ...example.breakdown, duties: eur(0), taxes: eur(0) },
      feeTerms: { platformFeeBps: 290, platformFeeFixed: eur(0), reserveBps: 0, reserveDays: 0 },
    });
    expect(lines(entry)).toEqual([
      ['processor_clearing:stripe:EUR', 10500],
      ['merchant_payable:mer_de_toys:EUR', -9356],
      ['platform_fee_revenue:EUR', -304],
      ['carrier_payable:sample-express:EUR', -840],
    ]);
  });

  test('a carrier paid in another currency goes through FX clearing; a fixed fee in the settlement currency', () => {
    const entry = orderCaptureEntry({
      ...example,
      carrier: { carrierId: 'sample-express', cost: usd(900), costInOrderCurrency: eur(840) },
      feeTerms: { ...example.feeTerms, platformFeeFixed: usd(35) },
    });
    expect(lines(entry)).toEqual([
      ['processor_clearing:stripe:EUR', 12795],
      ['merchant_payable:mer_de_toys:EUR', -8420],
      ['merchant_reserve:mer_de_toys:EUR', -936],
      ['platform_fee_revenue:EUR', -304],
      ['duties_payable:DE:EUR', -300],
      ['tax_payable:DE:EUR', -1995],
      ['fx_clearing:EUR', -840],
      ['fx_clearing:USD', 900],
      ['carrier_payable:sample-express:USD', -900],
      ['merchant_payable:mer_de_toys:USD', 35],
      ['platform_fee_revenue:USD', -35],
    ]);
  });

  test('a carrier cost above the merchant share makes the merchant line a debit (no reserve)', () => {
    const entry = orderCaptureEntry({
      ...example,
      captured: eur(2295 + 500),
      breakdown: { ...example.breakdown, goods: eur(400), shipping: eur(100) },
      feeTerms: { ...example.feeTerms, platformFeeFixed: eur(0) },
    });
    // 500 − 14 (2.9 % of 500 = 14.5 → 14) − 840 = −354
    expect(lines(entry)).toContainEqual(['merchant_payable:mer_de_toys:EUR', 354]);
    expect(entry.lines.some((l) => l.account.startsWith('merchant_reserve'))).toBe(false);
  });

  test('refuses inconsistent input, naming the field', () => {
    const fieldOf = (input: OrderCaptureInput) => {
      try {
        orderCaptureEntry(input);
      } catch (error) {
        expect((error as AppError).code).toBe('VALIDATION_FAILED');
        return (error as AppError).field;
      }
      throw new Error('expected a refusal');
    };
    expect(fieldOf({ ...example, captured: eur(12794) })).toBe('captured.amount');
    expect(fieldOf({ ...example, breakdown: { ...example.breakdown, goods: usd(9500) } })).toBe(
      'breakdown.goods.currency',
    );
    expect(fieldOf({ ...example, breakdown: { ...example.breakdown, shipping: eur(-1) } })).toBe(
      'breakdown.shipping',
    );
    expect(fieldOf({ ...example, carrier: { carrierId: 'x', cost: usd(900) } })).toBe(
      'carrier.costInOrderCurrency',
    );
    expect(fieldOf({ ...example, feeTerms: { ...example.feeTerms, platformFeeBps: 10001 } })).toBe(
      'feeTerms.platformFeeBps',
    );
    expect(fieldOf({ ...example, feeTerms: { ...example.feeTerms, reserveBps: 1.5 } })).toBe(
      'feeTerms.reserveBps',
    );
    expect(fieldOf({ ...example, orderId: 'a:b' })).toBe('orderId');
    expect(fieldOf({ ...example, destinationCountry: 'Germany' })).toBe('destinationCountry');
  });

  test('checkoutBreakdown keeps only what is collected at checkout', () => {
    const totals = {
      goods: eur(9500),
      shipping: eur(1000),
      duties: eur(300),
      taxes: eur(1995),
      fees: eur(0),
    };
    expect(
      checkoutBreakdown({ totals, collection: { duties: 'CHECKOUT', taxes: 'CHECKOUT', fees: 'NONE' } }),
    ).toEqual({
      goods: eur(9500),
      shipping: eur(1000),
      duties: eur(300),
      taxes: eur(1995),
      customsFees: eur(0),
    });
    expect(
      checkoutBreakdown({
        totals,
        collection: { duties: 'ON_DELIVERY', taxes: 'ON_DELIVERY', fees: 'ON_DELIVERY' },
      }),
    ).toEqual({ goods: eur(9500), shipping: eur(1000), duties: eur(0), taxes: eur(0), customsFees: eur(0) });
  });
});

describe('orderRefundEntry', () => {
  test('the README worked example: 50.00 then the remaining 77.95', () => {
    const first = orderRefundEntry({
      refundId: 're_1',
      capture: example,
      amount: eur(5000),
      earlierEntries: [],
      occurredAt: '2026-11-26T10:00:00Z',
    });
    expect(first).toMatchObject({ businessKey: 'refund:re_1', kind: 'refund', orderId: 'ord_1001' });
    expect(lines(first)).toEqual([
      ['merchant_payable:mer_de_toys:EUR', 3984],
      ['platform_fee_revenue:EUR', 119],
      ['duties_payable:DE:EUR', 117],
      ['tax_payable:DE:EUR', 780],
      ['processor_clearing:stripe:EUR', -5000],
    ]);
    const capture = orderCaptureEntry(example);
    const second = orderRefundEntry({
      refundId: 're_2',
      capture: example,
      amount: eur(7795),
      earlierEntries: [capture, first],
      occurredAt: '2026-11-27T10:00:00Z',
    });
    expect(lines(second)).toEqual([
      ['merchant_payable:mer_de_toys:EUR', 6212],
      ['platform_fee_revenue:EUR', 185],
      ['duties_payable:DE:EUR', 183],
      ['tax_payable:DE:EUR', 1215],
      ['processor_clearing:stripe:EUR', -7795],
    ]);
    expect(() =>
      orderRefundEntry({
        refundId: 're_3',
        capture: example,
        amount: eur(1),
        earlierEntries: [first, second],
        occurredAt: '2026-11-28T10:00:00Z',
      }),
    ).toThrow(expect.objectContaining({ code: 'BUSINESS_RULE_VIOLATION', field: 'amount.amount' }));
  });

  test('a reversed refund gives its share back; the refund being built is never counted as earlier', () => {
    const first = {
      ...orderRefundEntry({
        refundId: 're_1',
        capture: example,
        amount: eur(12795),
        earlierEntries: [],
        occurredAt: '2026-11-26T10:00:00Z',
      }),
      id: '00000000-0000-4000-8000-000000000001',
    };
    const reversal = { ...reversalOf(first, { occurredAt: '2026-11-26T11:00:00Z' }), id: 'x' };
    const remaining = refundComponents(example, [first, reversal]);
    expect(remaining.map((c) => c.remaining.amount)).toEqual([10196, 304, 300, 1995]);
    // Retrying re_1 with the ledger's view (which already holds re_1) gives the same entry.
    const again = orderRefundEntry({
      refundId: 're_1',
      capture: example,
      amount: eur(12795),
      earlierEntries: [first],
      occurredAt: '2026-11-26T10:00:00Z',
    });
    expect(again.lines).toEqual(first.lines);
  });

  test('refuses other orders, other currencies, zero and negative amounts', () => {
    const base = {
      refundId: 're_1',
      capture: example,
      earlierEntries: [],
      occurredAt: '2026-11-26T10:00:00Z',
    };
    expect(() => orderRefundEntry({ ...base, amount: usd(100) })).toThrow(
      expect.objectContaining({ field: 'amount.currency' }),
    );
    expect(() => orderRefundEntry({ ...base, amount: eur(0) })).toThrow(
      expect.objectContaining({ field: 'amount.amount' }),
    );
    expect(() => orderRefundEntry({ ...base, amount: eur(-5) })).toThrow(
      expect.objectContaining({ field: 'amount.amount' }),
    );
    const other = orderCaptureEntry({ ...example, orderId: 'ord_other' });
    expect(() => orderRefundEntry({ ...base, amount: eur(5), earlierEntries: [other] })).toThrow(
      expect.objectContaining({ field: 'earlierEntries.0' }),
    );
  });
});
