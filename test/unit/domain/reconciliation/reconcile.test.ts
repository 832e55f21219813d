import fc from 'fast-check';
import { AppError } from '../../../../src/errors';
import {
  checkReconciliationRequest,
  ledgerIdentity,
  processorIdentity,
  processorWindow,
  reconcile,
  type LedgerItem,
  type ProcessorItem,
  type ReconcileInput,
} from '../../../../src/domain/reconciliation';
import { processorItem } from '../../../helpers/processor-items';

const period = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' };
const IN = '2026-11-01T12:00:00.000Z';
const BEFORE = '2026-10-20T12:00:00.000Z';
const AFTER = '2026-11-02T06:00:00.000Z';

const txn = (overrides: Partial<ProcessorItem> & Pick<ProcessorItem, 'type' | 'amount'>) =>
  processorItem({ createdAt: IN, ...overrides });

const charge = (orderId: string | null, amount: number, extra: Partial<ProcessorItem> = {}) =>
  txn({ type: 'charge', amount, orderId, fee: Math.round(amount * 0.029) + 30, ...extra });
const refund = (refundId: string | null, amount: number, extra: Partial<ProcessorItem> = {}) =>
  txn({ type: 'refund', amount: -amount, refundId, ...extra });
const transfer = (runId: string, merchantId: string, amount: number, extra: Partial<ProcessorItem> = {}) =>
  txn({ type: 'transfer', amount: -amount, runId, merchantId, ...extra });

let seq = 0;
function entry(
  overrides: Partial<LedgerItem> & Pick<LedgerItem, 'businessKey' | 'kind' | 'amount'>,
): LedgerItem {
  seq += 1;
  return {
    entryId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    orderId: null,
    merchantId: null,
    occurredAt: IN,
    currency: 'USD',
    reversedBusinessKey: null,
    reversedKind: null,
    ...overrides,
  };
}
const capture = (orderId: string, amount: number, extra: Partial<LedgerItem> = {}) =>
  entry({ businessKey: `order:${orderId}:capture`, kind: 'capture', amount, orderId, ...extra });
const refundEntry = (refundId: string, amount: number, extra: Partial<LedgerItem> = {}) =>
  entry({ businessKey: `refund:${refundId}`, kind: 'refund', amount: -amount, ...extra });
const payout = (runId: string, merchantId: string, amount: number, extra: Partial<LedgerItem> = {}) =>
  entry({
    businessKey: `payout:${runId}:${merchantId}`,
    kind: 'payout',
    amount: -amount,
    merchantId,
    ...extra,
  });

const run = (processor: ProcessorItem[], ledger: LedgerItem[]) =>
  reconcile({ period, currency: 'USD', processor, ledger });

describe('match keys', () => {
  test('charges by order, refunds by our refund id, transfers by run and merchant', () => {
    expect(processorIdentity(charge('ord-1', 100)).key).toBe('order:ord-1');
    expect(ledgerIdentity(capture('ord-1', 100)).key).toBe('order:ord-1');
    expect(processorIdentity(refund('rf-1', 10)).key).toBe('refund:rf-1');
    expect(ledgerIdentity(refundEntry('rf-1', 10)).key).toBe('refund:rf-1');
    expect(processorIdentity(transfer('run-1', 'mer-1', 5)).key).toBe('payout:run-1:mer-1');
    expect(ledgerIdentity(payout('run-1', 'mer-1', 5)).key).toBe('payout:run-1:mer-1');
    expect(processorIdentity(txn({ type: 'transfer_refund', amount: 5, reversalId: 'rv-1' })).key).toBe(
      'payout-reversal:rv-1',
    );
    expect(
      ledgerIdentity(
        entry({ businessKey: 'payout-reversal:run-1:mer-1:rv-1', kind: 'adjustment', amount: 5 }),
      ).key,
    ).toBe('payout-reversal:rv-1');
  });

  test('a reversal joins the entry it reverses; unknown things get keys of their own', () => {
    const reversal = entry({
      businessKey: 'reversal:order:ord-1:capture',
      kind: 'reversal',
      amount: -100,
      reversedBusinessKey: 'order:ord-1:capture',
      reversedKind: 'capture',
    });
    expect(ledgerIdentity(reversal).key).toBe('order:ord-1');
    expect(processorIdentity(charge(null, 100, { sourceId: 'ch_x' })).key).toBe('processor:charge:ch_x');
    expect(processorIdentity(txn({ type: 'payout', amount: -500 })).category).toBe('other');
    expect(ledgerIdentity(entry({ businessKey: 'adj:1', kind: 'adjustment', amount: 3 })).key).toBe(
      'ledger:adj:1',
    );
  });
});

describe('reconcile', () => {
  test('everything matches: counts, totals and fees', () => {
    const c = charge('ord-1', 10_000);
    const result = run(
      [c, refund('rf-1', 2_500), transfer('run-1', 'mer-1', 5_000)],
      [capture('ord-1', 10_000), refundEntry('rf-1', 2_500), payout('run-1', 'mer-1', 5_000)],
    );
    expect(result.mismatches).toEqual([]);
    expect(result.counts).toMatchObject({
      processorTransactions: 3,
      ledgerEntries: 3,
      matched: 3,
      missing: 0,
      extra: 0,
      differentAmount: 0,
    });
    expect(result.totals.processorGross).toEqual({ amount: 2_500, currency: 'USD' });
    expect(result.totals.ledgerClearing).toEqual({ amount: 2_500, currency: 'USD' });
    expect(result.fees).toMatchObject({
      processor: { amount: c.fee, currency: 'USD' },
      ledger: { amount: 0, currency: 'USD' },
      ledgerPostsFees: false,
    });
    // Given to reconcile without its fee entries (the run books them before it matches).
    expect(result.fees.note).toMatch(/booked no processor fees in the period; the processor charged/);
    expect(run([], []).fees).toMatchObject({
      ledgerPostsFees: false,
      note: 'Neither the processor nor the ledger has fees in the period.',
    });
  });

  test('missing, extra and different amounts are each reported once, with what finance needs', () => {
    const result = run(
      [
        charge('ord-missing', 4_200, { sourceId: 'ch_missing', paymentIntentId: 'pi_missing' }),
        charge('ord-diff', 9_900),
        charge('ord-ok', 1_000),
      ],
      [capture('ord-diff', 9_000), capture('ord-extra', 777), capture('ord-ok', 1_000)],
    );
    expect(result.counts).toMatchObject({ matched: 1, missing: 1, extra: 1, differentAmount: 1 });
    const [missing, extra, different] = result.mismatches;
    expect(missing).toMatchObject({
      kind: 'missing',
      category: 'charge',
      matchKey: 'order:ord-missing',
      orderId: 'ord-missing',
      processorAmount: { amount: 4_200, currency: 'USD' },
      ledgerAmount: null,
      difference: { amount: 4_200, currency: 'USD' },
      processor: [{ sourceId: 'ch_missing', paymentIntentId: 'pi_missing', inPeriod: true }],
      ledger: [],
    });
    expect(missing?.reason).toMatch(/ch_missing.*no capture entry order:ord-missing:capture/);
    expect(extra).toMatchObject({
      kind: 'extra',
      matchKey: 'order:ord-extra',
      ledger: [{ businessKey: 'order:ord-extra:capture', amount: { amount: 777, currency: 'USD' } }],
      difference: { amount: -777, currency: 'USD' },
    });
    expect(different).toMatchObject({
      kind: 'different_amount',
      processorAmount: { amount: 9_900, currency: 'USD' },
      ledgerAmount: { amount: 9_000, currency: 'USD' },
      difference: { amount: 900, currency: 'USD' },
    });
  });

  test('a capture posted after the period matches a charge in it (timing), and out-of-period pairs are ignored', () => {
    const result = run(
      [charge('ord-late', 5_000), charge('ord-old', 100, { createdAt: BEFORE })],
      [capture('ord-late', 5_000, { occurredAt: AFTER }), capture('ord-old', 100, { occurredAt: BEFORE })],
    );
    expect(result.mismatches).toEqual([]);
    expect(result.matches.map((m) => [m.matchKey, m.note])).toEqual([
      ['order:ord-late', 'matched_across_periods'],
    ]);
    expect(result.counts).toMatchObject({
      processorTransactions: 1,
      ledgerEntries: 0,
      matchedAcrossPeriods: 1,
    });
  });

  test('an order charged and refunded in full before posting nets to zero; a partial refund does not', () => {
    const result = run(
      [
        charge('ord-cancelled', 3_000, { chargeId: 'ch_c' }),
        refund('ord-cancelled-compensation', 3_000, { chargeId: 'ch_c' }),
        charge('ord-partial', 3_000, { chargeId: 'ch_p' }),
        refund('rf-p', 1_000, { chargeId: 'ch_p' }),
      ],
      [],
    );
    expect(result.counts).toMatchObject({ matched: 2, unpostedNetZero: 2, missing: 2 });
    expect(result.mismatches.map((m) => m.matchKey)).toEqual(['order:ord-partial', 'refund:rf-p']);
    // The refund names its order through its charge.
    expect(result.mismatches[1]?.orderId).toBe('ord-partial');
  });

  test('a capture reversed in the ledger nets its match; posted and reversed with nothing at the processor matches', () => {
    const reversal = (key: string, amount: number) =>
      entry({
        businessKey: `reversal:${key}`,
        kind: 'reversal',
        amount,
        reversedBusinessKey: key,
        reversedKind: 'capture',
      });
    const result = run(
      [charge('ord-r', 2_000)],
      [
        capture('ord-r', 2_000),
        reversal('order:ord-r:capture', -2_000),
        capture('ord-v', 500),
        reversal('order:ord-v:capture', -500),
      ],
    );
    expect(result.mismatches).toMatchObject([
      { kind: 'different_amount', matchKey: 'order:ord-r', ledgerAmount: { amount: 0 } },
    ]);
    expect(result.matches).toMatchObject([{ matchKey: 'order:ord-v', note: 'ledger_net_zero' }]);
  });

  test('fee entries and fee transactions are compared as totals, not matched', () => {
    const c = charge('ord-f', 10_000);
    const result = run(
      [c, txn({ type: 'stripe_fee', amount: -200 })],
      [
        capture('ord-f', 10_000),
        entry({ businessKey: 'fees:2026-11-01', kind: 'processor_fee', amount: -300 }),
      ],
    );
    expect(result.mismatches).toEqual([]);
    expect(result.fees).toMatchObject({
      processor: { amount: c.fee + 200 },
      ledger: { amount: 300 },
      difference: { amount: c.fee + 200 - 300 },
      ledgerPostsFees: true,
    });
    expect(result.counts).toMatchObject({ processorTransactions: 1, ledgerEntries: 1 });
  });

  test('transactions the ledger cannot know: no metadata, bank payouts', () => {
    const result = run(
      [charge(null, 100, { sourceId: 'ch_anon' }), txn({ type: 'payout', amount: -1_000 })],
      [],
    );
    expect(result.mismatches.map((m) => [m.kind, m.category])).toEqual([
      ['missing', 'charge'],
      ['missing', 'other'],
    ]);
    expect(result.mismatches[0]?.reason).toMatch(/carries none of Borderline's ids/);
  });

  test('refuses items in another currency and a period that does not end after it starts', () => {
    expect(() => run([charge('o', 1, { currency: 'EUR' })], [])).toThrow(AppError);
    expect(() =>
      reconcile({ period: { from: IN, to: IN }, currency: 'USD', processor: [], ledger: [] }),
    ).toThrow(/end after/);
  });

  test('the same transaction read twice counts once', () => {
    const c = charge('ord-dup', 100);
    const result = run([c, { ...c }], [capture('ord-dup', 100)]);
    expect(result.counts).toMatchObject({ processorTransactions: 1, matched: 1 });
  });
});

describe('requests', () => {
  const now = new Date('2026-11-25T12:00:00.000Z');
  const fieldOf = (request: { from: string; to: string; currency: string }) => {
    try {
      checkReconciliationRequest(request, now);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return (error as AppError).field;
    }
    return undefined;
  };

  test('a past period in a known currency is accepted and normalised', () => {
    expect(
      checkReconciliationRequest(
        { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00+00:00', currency: 'USD' },
        now,
      ),
    ).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z', currency: 'USD' });
  });

  test('a date means midnight UTC, as for settlement runs', () => {
    expect(
      checkReconciliationRequest({ from: '2026-11-01', to: '2026-11-02', currency: 'EUR' }, now),
    ).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-02T00:00:00.000Z',
      currency: 'EUR',
    });
    expect(fieldOf({ from: '2026-11-01T00:00:00', to: '2026-11-02', currency: 'EUR' })).toBe('from');
    expect(fieldOf({ from: '2026-11-01', to: '2026-02-30', currency: 'EUR' })).toBe('to');
  });

  test('bad periods and currencies name their field', () => {
    expect(fieldOf({ from: '2026-11-26T00:00:00Z', to: '2026-11-27T00:00:00Z', currency: 'USD' })).toBe(
      'from',
    );
    expect(fieldOf({ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z', currency: 'USD' })).toBe('to');
    expect(fieldOf({ from: '2026-11-02T00:00:00Z', to: '2026-11-02T00:00:00Z', currency: 'USD' })).toBe('to');
    expect(fieldOf({ from: '2026-11-24T00:00:00Z', to: '2026-11-26T00:00:00Z', currency: 'USD' })).toBe('to');
    expect(fieldOf({ from: '2026-01-01T00:00:00Z', to: '2026-11-01T00:00:00Z', currency: 'USD' })).toBe('to');
    expect(fieldOf({ from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', currency: 'XXY' })).toBe(
      'currency',
    );
    expect(fieldOf({ from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', currency: 'LYD' })).toBe(
      'currency',
    );
    expect(fieldOf({ from: 'yesterday', to: '2026-11-02T00:00:00Z', currency: 'USD' })).toBe('from');
  });

  test('the processor is read 35 days before and up to 1 day after the period, never past now', () => {
    expect(
      processorWindow({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' }, now),
    ).toEqual({
      from: '2026-09-27T00:00:00.000Z',
      to: '2026-11-03T00:00:00.000Z',
    });
    expect(
      processorWindow({ from: '2026-11-25T00:00:00.000Z', to: '2026-11-25T11:00:00.000Z' }, now).to,
    ).toBe('2026-11-25T12:00:00.000Z');
  });
});

describe('properties', () => {
  const DAY = 86_400_000;
  const from = Date.parse(period.from);
  const at = fc
    .integer({ min: -3 * DAY, max: 3 * DAY })
    .map((offset) => new Date(from + offset).toISOString());
  const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
  const amount = fc.integer({ min: 1, max: 100_000 });

  const processorItem: fc.Arbitrary<Omit<ProcessorItem, 'transactionId'>> = fc
    .record({
      type: fc.constantFrom('charge', 'refund', 'transfer', 'transfer_refund', 'payout', 'stripe_fee'),
      amount,
      fee: fc.integer({ min: 0, max: 500 }),
      createdAt: at,
      key: fc.option(id, { nil: null }),
      merchant: id,
    })
    .map(({ type, amount, fee, createdAt, key, merchant }) => ({
      type,
      amount: type === 'charge' || type === 'transfer_refund' ? amount : -amount,
      fee,
      currency: 'USD',
      createdAt,
      sourceId: null,
      paymentIntentId: null,
      chargeId: key ? `ch_${key}` : null,
      transferId: null,
      orderId: type === 'charge' || type === 'refund' ? key : null,
      refundId: type === 'refund' ? key : null,
      runId: type === 'transfer' ? key : null,
      merchantId: type === 'transfer' ? merchant : null,
      reversalId: type === 'transfer_refund' ? key : null,
    }));

  const ledgerItem: fc.Arbitrary<Omit<LedgerItem, 'entryId'>> = fc
    .record({
      kind: fc.constantFrom('capture', 'refund', 'payout', 'reversal', 'adjustment', 'processor_fee'),
      amount: fc.integer({ min: -100_000, max: 100_000 }),
      occurredAt: at,
      key: id,
      merchant: id,
    })
    .map(({ kind, amount, occurredAt, key, merchant }) => {
      const businessKey =
        kind === 'capture'
          ? `order:${key}:capture`
          : kind === 'refund'
            ? `refund:${key}`
            : kind === 'payout'
              ? `payout:${key}:${merchant}`
              : kind === 'reversal'
                ? `reversal:order:${key}:capture`
                : `${kind}:${key}`;
      return {
        businessKey,
        kind,
        amount,
        occurredAt,
        currency: 'USD',
        orderId: kind === 'capture' || kind === 'refund' ? key : null,
        merchantId: null,
        reversedBusinessKey: kind === 'reversal' ? `order:${key}:capture` : null,
        reversedKind: kind === 'reversal' ? 'capture' : null,
      };
    });

  const inputs: fc.Arbitrary<ReconcileInput> = fc
    .record({
      processor: fc.array(processorItem, { maxLength: 25 }),
      ledger: fc.uniqueArray(ledgerItem, { maxLength: 25, selector: (l) => l.businessKey }),
    })
    .map(({ processor, ledger }) => ({
      period,
      currency: 'USD',
      processor: processor.map((p, i) => ({ ...p, transactionId: `txn_${i}`, sourceId: `src_${i}` })),
      ledger: ledger.map((l, i) => ({ ...l, entryId: `entry-${i}` })),
    }));

  const inPeriod = (iso: string) => iso >= period.from && iso < period.to;

  test('every item of the period is matched or in exactly one mismatch, and nothing else is reported', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const result = reconcile(input);
        const groups = [...result.matches, ...result.mismatches];
        const seen = new Map<string, number>();
        for (const group of groups) {
          for (const p of group.processor) seen.set(p.transactionId, (seen.get(p.transactionId) ?? 0) + 1);
          for (const l of group.ledger) seen.set(l.entryId, (seen.get(l.entryId) ?? 0) + 1);
          // A group is reported because something of it lies in the period.
          expect([...group.processor, ...group.ledger].some((x) => x.inPeriod)).toBe(true);
        }
        for (const p of input.processor) {
          if (p.type === 'stripe_fee') expect(seen.has(p.transactionId)).toBe(false);
          else if (inPeriod(p.createdAt)) expect(seen.get(p.transactionId)).toBe(1);
        }
        for (const l of input.ledger) {
          if (l.kind === 'processor_fee') expect(seen.has(l.entryId)).toBe(false);
          else if (inPeriod(l.occurredAt)) expect(seen.get(l.entryId)).toBe(1);
        }
        for (const id of seen.keys()) expect(seen.get(id)).toBe(1);
        // Each match key once; the counts are the lists' lengths.
        const keys = groups.map((g) => g.matchKey);
        expect(new Set(keys).size).toBe(keys.length);
        expect(result.counts.matched).toBe(result.matches.length);
        expect(result.counts.missing + result.counts.extra + result.counts.differentAmount).toBe(
          result.mismatches.length,
        );
      }),
      { numRuns: 500 },
    );
  });

  test('mismatch kinds follow the sides and the amounts; the difference is processor − ledger', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        for (const m of reconcile(input).mismatches) {
          const p = m.processor.reduce((s, x) => s + x.amount.amount, 0);
          const l = m.ledger.reduce((s, x) => s + x.amount.amount, 0);
          expect(m.difference.amount).toBe(p - l);
          if (m.kind === 'missing') expect([m.processor.length > 0, m.ledger.length]).toEqual([true, 0]);
          if (m.kind === 'extra')
            expect([m.processor.length, m.ledger.length > 0, l !== 0]).toEqual([0, true, true]);
          if (m.kind === 'different_amount') expect(p).not.toBe(l);
        }
        for (const m of reconcile(input).matches) {
          const p = m.processor.reduce((s, x) => s + x.amount.amount, 0);
          const l = m.ledger.reduce((s, x) => s + x.amount.amount, 0);
          if (m.note === 'matched' || m.note === 'matched_across_periods') expect(p).toBe(l);
          if (m.note === 'ledger_net_zero') expect([m.processor.length, l]).toEqual([0, 0]);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('the order of the input does not change the result', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const reversed = {
          ...input,
          processor: [...input.processor].reverse(),
          ledger: [...input.ledger].reverse(),
        };
        expect(reconcile(reversed)).toEqual(reconcile(input));
      }),
      { numRuns: 200 },
    );
  });
});
