import fc from 'fast-check';
import { AppError } from '../../../../src/errors';
import { isBalanced } from '../../../../src/domain/ledger';
import {
  feeOf,
  processorFeeEntries,
  processorFeeEntry,
  reconcile,
  type LedgerItem,
  type ProcessorItem,
} from '../../../../src/domain/reconciliation';
import { processorItem } from '../../../helpers/processor-items';

const period = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' };
const IN = '2026-11-01T12:00:00.000Z';

const txn = (overrides: Partial<ProcessorItem> & Pick<ProcessorItem, 'type' | 'amount'>) =>
  processorItem({ currency: 'EUR', createdAt: IN, ...overrides });

describe('feeOf', () => {
  test('a charge costs its fee; a fee transaction costs what it took; a refund nothing', () => {
    expect(feeOf(txn({ type: 'charge', amount: 10_000, fee: 320 }))).toBe(320);
    expect(feeOf(txn({ type: 'stripe_fee', amount: -1_500 }))).toBe(1_500);
    expect(feeOf(txn({ type: 'stripe_fx_fee', amount: -7 }))).toBe(7);
    expect(feeOf(txn({ type: 'refund', amount: -10_000 }))).toBe(0);
    // A fee given back (a negative fee) is a negative cost.
    expect(feeOf(txn({ type: 'charge', amount: 10_000, fee: -50 }))).toBe(-50);
  });
});

describe('processorFeeEntry', () => {
  test('books the fee on a charge as an expense paid out of clearing, at the charge’s time, naming its order', () => {
    const item = txn({
      type: 'charge',
      amount: 10_000,
      fee: 320,
      orderId: 'ord_1',
      sourceId: 'ch_1',
      transactionId: 'txn_abc',
    });
    expect(processorFeeEntry(item)).toEqual({
      businessKey: 'processor-fee:txn_abc',
      kind: 'processor_fee',
      orderId: 'ord_1',
      merchantId: null,
      description: 'stripe fee on charge ch_1 (txn_abc)',
      occurredAt: IN,
      reversesEntryId: null,
      lines: [
        { account: 'processor_fees:stripe:EUR', amount: { amount: 320, currency: 'EUR' } },
        { account: 'processor_clearing:stripe:EUR', amount: { amount: -320, currency: 'EUR' } },
      ],
    });
  });

  test('a fee given back goes the other way; a transaction that cost nothing books nothing', () => {
    const back = processorFeeEntry(txn({ type: 'stripe_fee', amount: 75, transactionId: 'txn_back' }));
    expect(back?.lines).toEqual([
      { account: 'processor_clearing:stripe:EUR', amount: { amount: 75, currency: 'EUR' } },
      { account: 'processor_fees:stripe:EUR', amount: { amount: -75, currency: 'EUR' } },
    ]);
    expect(back?.description).toMatch(/given back/);
    expect(processorFeeEntry(txn({ type: 'refund', amount: -500 }))).toBeNull();
    expect(processorFeeEntry(txn({ type: 'transfer', amount: -500 }))).toBeNull();
  });

  test('zero-decimal and three-decimal currencies keep their minor units', () => {
    const jpy = processorFeeEntry(txn({ type: 'charge', amount: 5_000, fee: 175, currency: 'JPY' }));
    expect(jpy?.lines[0]).toEqual({
      account: 'processor_fees:stripe:JPY',
      amount: { amount: 175, currency: 'JPY' },
    });
    const kwd = processorFeeEntry(txn({ type: 'charge', amount: 12_345, fee: 388, currency: 'KWD' }));
    expect(kwd?.lines[1]).toEqual({
      account: 'processor_clearing:stripe:KWD',
      amount: { amount: -388, currency: 'KWD' },
    });
  });

  test('an order id the ledger cannot hold (the processor’s metadata) is left out, not refused', () => {
    const odd = processorFeeEntry(
      txn({ type: 'charge', amount: 100, fee: 33, orderId: 'order with spaces' }),
    );
    expect(odd?.orderId).toBeNull();
  });
});

describe('processorFeeEntries', () => {
  test('books the period’s transactions of the currency only, in the order given', () => {
    const items = [
      txn({ type: 'charge', amount: 1_000, fee: 59, transactionId: 'txn_in' }),
      txn({ type: 'charge', amount: 1_000, fee: 59, createdAt: '2026-10-31T23:59:59.999Z' }),
      txn({ type: 'charge', amount: 1_000, fee: 59, createdAt: period.to }),
      txn({ type: 'charge', amount: 1_000, fee: 59, currency: 'USD' }),
      txn({ type: 'refund', amount: -1_000 }),
      txn({ type: 'stripe_fee', amount: -200, transactionId: 'txn_billing', createdAt: period.from }),
    ];
    expect(processorFeeEntries(items, period, 'EUR').map((e) => e.businessKey)).toEqual([
      'processor-fee:txn_in',
      'processor-fee:txn_billing',
    ]);
  });

  test('refuses a period that does not end after it starts', () => {
    expect(() => processorFeeEntries([], { from: period.to, to: period.from }, 'EUR')).toThrow(AppError);
  });

  test('property: the entries balance and book exactly what reconcile reports as the processor’s fees', () => {
    const item = fc.record({
      type: fc.constantFrom('charge', 'refund', 'transfer', 'stripe_fee', 'payout'),
      amount: fc.integer({ min: -1_000_000, max: 1_000_000 }),
      fee: fc.integer({ min: -500, max: 50_000 }),
      hour: fc.integer({ min: -30, max: 50 }),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 40 }), (drawn) => {
        const items = drawn.map((d) =>
          txn({
            type: d.type,
            amount: d.amount,
            fee: d.type === 'stripe_fee' ? 0 : d.fee,
            createdAt: new Date(Date.parse(period.from) + d.hour * 3_600_000).toISOString(),
          }),
        );
        const entries = processorFeeEntries(items, period, 'EUR');
        for (const e of entries) expect(isBalanced(e.lines)).toBe(true);
        expect(new Set(entries.map((e) => e.businessKey)).size).toBe(entries.length);
        const booked = entries.reduce(
          (s, e) => s + e.lines.find((l) => l.account.startsWith('processor_fees:'))!.amount.amount,
          0,
        );
        // What the ledger would then hold for the period, seen by reconcile as fee entries.
        const ledger: LedgerItem[] = entries.map((e, i) => ({
          entryId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          businessKey: e.businessKey,
          kind: e.kind,
          orderId: e.orderId,
          merchantId: null,
          occurredAt: e.occurredAt,
          amount: e.lines.find((l) => l.account.startsWith('processor_clearing:'))!.amount.amount,
          currency: 'EUR',
          reversedBusinessKey: null,
          reversedKind: null,
        }));
        const result = reconcile({ period, currency: 'EUR', processor: items, ledger });
        expect(result.fees.processor.amount).toBe(booked);
        expect(result.fees.ledger.amount).toBe(booked);
        expect(result.fees.difference.amount).toBe(0);
      }),
    );
  });
});
