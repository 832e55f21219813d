import { orderCaptureEntry } from '../../../../src/domain/ledger';
import { money, type FxRateTable } from '../../../../src/domain/money';
import {
  carryForwardEntry,
  checkPeriod,
  dailyPeriod,
  decidePayout,
  merchantStatement,
  netOf,
  payoutEntry,
  reserveReleaseEntry,
  runIdFromWorkflowId,
  scheduledTimeOf,
  settlementKeys,
  settlementReportCsv,
  type SettlementRow,
  type StatementLine,
} from '../../../../src/domain/settlement';
import { AppError } from '../../../../src/errors';
import { workedExampleCapture } from '../../../helpers/ledger-example';

const eur = (amount: number) => money(amount, 'EUR');
const FX: FxRateTable = {
  rates: [
    { from: 'EUR', to: 'USD', rate: '1.0411', source: 'ECB 2025-02-28', asOf: '2025-02-28T15:00:00.000Z' },
    { from: 'EUR', to: 'JPY', rate: '156.96', source: 'ECB 2025-02-28', asOf: '2025-02-28T15:00:00.000Z' },
  ],
};
const WITH_ACCOUNT = { settlementCurrency: 'EUR', stripeAccountId: 'acct_1' };

function refusal(fn: () => unknown): { code: string; field: string | undefined } {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, field: error.field };
    throw error;
  }
  throw new Error('not refused');
}

describe('decidePayout', () => {
  it.each([
    ['nothing due', eur(0), WITH_ACCOUNT, { status: 'nothing_due', carriedForward: 0, payout: null }],
    [
      'a negative net is carried forward',
      eur(-840),
      WITH_ACCOUNT,
      { status: 'carried_forward', carriedForward: -840, payout: null },
    ],
    [
      'a merchant without a connected account is held',
      eur(4000),
      { settlementCurrency: 'EUR', stripeAccountId: null },
      { status: 'held', carriedForward: 4000, payout: null },
    ],
    [
      'paid in the run currency',
      eur(9326),
      WITH_ACCOUNT,
      { status: 'pending', carriedForward: 0, payout: eur(9326) },
    ],
    [
      'converted half-even: 5205.5 → 5206',
      eur(5000),
      { settlementCurrency: 'USD', stripeAccountId: 'acct_1' },
      { status: 'pending', payout: money(5206, 'USD') },
    ],
    [
      'converted half-even: 15616.5 → 15616',
      eur(15000),
      { settlementCurrency: 'USD', stripeAccountId: 'acct_1' },
      { status: 'pending', payout: money(15616, 'USD') },
    ],
    [
      'converted into a currency without minor units: EUR 10.01 → JPY 1571',
      eur(1001),
      { settlementCurrency: 'JPY', stripeAccountId: 'acct_1' },
      { status: 'pending', payout: money(1571, 'JPY') },
    ],
  ])('%s', (_name, net, terms, expected) => {
    expect(decidePayout(net, terms, FX)).toMatchObject(expected);
  });

  it('records the conversion: rate, source, time, inversion, rounding', () => {
    const decision = decidePayout(
      money(10411, 'USD'),
      { settlementCurrency: 'EUR', stripeAccountId: 'acct_1' },
      FX,
    );
    expect(decision.payout).toEqual(eur(10000));
    expect(decision.conversion).toMatchObject({
      rate: '1.0411',
      inverted: true,
      source: 'ECB 2025-02-28',
      asOf: '2025-02-28T15:00:00.000Z',
      roundingMode: 'HALF_EVEN',
    });
  });

  it('carries forward what converts to less than one minor unit', () => {
    const table: FxRateTable = {
      rates: [{ from: 'EUR', to: 'KRW', rate: '1519.92', source: 'ECB', asOf: '2025-02-28T15:00:00.000Z' }],
    };
    expect(
      decidePayout(money(1, 'KRW'), { settlementCurrency: 'EUR', stripeAccountId: 'acct_1' }, table),
    ).toMatchObject({
      status: 'carried_forward',
      carriedForward: 1,
      payout: null,
    });
  });

  it('needs a rate for another currency', () => {
    expect(
      refusal(() => decidePayout(eur(100), { settlementCurrency: 'USD', stripeAccountId: 'acct_1' }, null))
        .code,
    ).toBe('DEPENDENCY_UNAVAILABLE');
    expect(
      refusal(() => decidePayout(eur(100), { settlementCurrency: 'CHF', stripeAccountId: 'acct_1' }, FX))
        .code,
    ).toBe('VALIDATION_FAILED');
  });
});

describe('periods', () => {
  const now = new Date('2026-11-25T12:00:00Z');

  it.each([
    [
      { from: '2026-11-24', to: '2026-11-25' },
      { from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' },
    ],
    [
      { from: '2026-11-24T10:00:00+01:00', to: '2026-11-25T12:00:00Z' },
      { from: '2026-11-24T09:00:00.000Z', to: '2026-11-25T12:00:00.000Z' },
    ],
    [
      { from: '2026-11-24T10:00Z', to: '2026-11-24T10:00:00.001Z' },
      { from: '2026-11-24T10:00:00.000Z', to: '2026-11-24T10:00:00.001Z' },
    ],
  ])('accepts %j', (input, expected) => {
    expect(checkPeriod(input, now)).toEqual(expected);
  });

  it.each([
    [{ from: '2026-11-25', to: '2026-11-24' }, 'from', /empty/],
    [{ from: '2026-11-24', to: '2026-11-24' }, 'from', /empty/],
    [{ from: '2026-11-24', to: '2026-11-26' }, 'to', /future/],
    [{ from: '2026-11-24', to: '2026-11-25T12:00:00.001Z' }, 'to', /future/],
    [{ from: '2026-02-30', to: '2026-11-24' }, 'from', /not a valid date/],
    [{ from: '24/11/2026', to: '2026-11-24' }, 'from', /ISO 8601/],
    [{ from: '2026-11-24T10:00:00', to: '2026-11-25' }, 'from', /ISO 8601/],
    [{ from: 20261124, to: '2026-11-25' }, 'from', /ISO 8601/],
  ])('refuses %j (%s)', (input, field, message) => {
    try {
      checkPeriod(input, now);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).field).toBe(field);
      expect((error as AppError).message).toMatch(message);
    }
  });

  it('a daily run settles the UTC day before its scheduled time', () => {
    expect(dailyPeriod(new Date('2026-11-26T02:00:00Z'))).toEqual({
      from: '2026-11-25T00:00:00.000Z',
      to: '2026-11-26T00:00:00.000Z',
    });
    expect(scheduledTimeOf('settlement-daily-EUR-2026-11-26T02:00:00Z')).toEqual(
      new Date('2026-11-26T02:00:00Z'),
    );
    expect(scheduledTimeOf('settlement-stl_abc')).toBeNull();
    expect(runIdFromWorkflowId('settlement-daily-EUR-2026-11-26T02:00:00Z')).toBe(
      'daily-EUR-2026-11-26T020000Z',
    );
    expect(runIdFromWorkflowId('settlement-stl_abc')).toBe('stl_abc');
  });
});

describe('settlement entries', () => {
  it('pays out through processor clearing, or through FX clearing in another currency', () => {
    const same = payoutEntry({
      runId: 'stl_1',
      merchantId: 'mer_1',
      net: eur(9326),
      paid: eur(9326),
      transferId: 'tr_1',
      occurredAt: '2026-11-25T12:00:00Z',
    });
    expect(same.entry.businessKey).toBe('payout:stl_1:mer_1');
    expect(same.entry.kind).toBe('payout');
    expect(same.entry.lines.map((l) => [l.account, l.amount.amount])).toEqual([
      ['merchant_payable:mer_1:EUR', 9326],
      ['processor_clearing:stripe:EUR', -9326],
    ]);
    expect(same.claims).toEqual([{ lineIndex: 0, component: 'payable' }]);
    const fx = payoutEntry({
      runId: 'stl_1',
      merchantId: 'mer_1',
      net: eur(5000),
      paid: money(5206, 'USD'),
      transferId: 'tr_2',
      occurredAt: '2026-11-25T12:00:00Z',
    });
    expect(fx.entry.lines.map((l) => [l.account, l.amount.amount])).toEqual([
      ['merchant_payable:mer_1:EUR', 5000],
      ['fx_clearing:EUR', -5000],
      ['fx_clearing:USD', 5206],
      ['processor_clearing:stripe:USD', -5206],
    ]);
    expect(
      refusal(() =>
        payoutEntry({
          runId: 'r',
          merchantId: 'm',
          net: eur(0),
          paid: eur(0),
          transferId: 't',
          occurredAt: '2026-11-25T00:00:00Z',
        }),
      ).field,
    ).toBe('net');
  });

  it('carries forward on the same account: one line settled now, one left for the next run', () => {
    const carried = carryForwardEntry({
      runId: 'stl_1',
      merchantId: 'mer_1',
      owed: eur(-840),
      occurredAt: '2026-11-25T00:00:00Z',
      reason: 'negative',
    });
    expect(carried.entry.businessKey).toBe('carry_forward:stl_1:mer_1');
    expect(carried.entry.kind).toBe('adjustment');
    expect(carried.entry.lines.map((l) => [l.account, l.amount.amount])).toEqual([
      ['merchant_payable:mer_1:EUR', -840],
      ['merchant_payable:mer_1:EUR', 840],
    ]);
    expect(carried.claims).toEqual([{ lineIndex: 0, component: 'payable' }]);
  });

  it('releases reserve into the payable; the run settles both lines', () => {
    const release = reserveReleaseEntry({
      runId: 'stl_1',
      merchantId: 'mer_1',
      amount: eur(936),
      occurredAt: '2026-11-25T00:00:00Z',
    });
    expect(release.entry.businessKey).toBe(settlementKeys.reserveRelease('stl_1', 'mer_1'));
    expect(release.entry.lines.map((l) => [l.account, l.amount.amount])).toEqual([
      ['merchant_reserve:mer_1:EUR', 936],
      ['merchant_payable:mer_1:EUR', -936],
    ]);
    expect(release.claims.map((c) => c.component)).toEqual(['reserve', 'payable']);
  });
});

/** The ledger README's worked example, as the reference model settles it. */
describe('merchantStatement (the worked example)', () => {
  const capture = workedExampleCapture({ reserveDays: 7, occurredAt: '2026-11-01T10:00:00.000Z' });
  const entry = orderCaptureEntry(capture);
  const lines: StatementLine[] = entry.lines.map((l, i) => ({
    id: String(i + 1),
    entryId: 'e1',
    entryKind: entry.kind,
    businessKey: entry.businessKey,
    account: l.account,
    amount: l.amount,
    occurredAt: entry.occurredAt,
  }));
  const options = { merchantId: 'mer_de_toys', currency: 'EUR', reserveDays: 7, settled: new Set<string>() };

  it('holds the reserve in the first run', () => {
    const first = merchantStatement(lines, { ...options, cutoff: '2026-11-02T00:00:00.000Z' });
    expect(first).toMatchObject({
      gross: 12795,
      refunds: 0,
      fees: 334,
      dutiesTaxes: 2295,
      carrier: 840,
      reserveHeld: 936,
      reserveReleased: 0,
      other: 0,
      net: 8390,
      release: 0,
    });
    expect(first.claimed.map((l) => l.account)).toEqual([
      'merchant_payable:mer_de_toys:EUR',
      'merchant_payable:mer_de_toys:EUR',
    ]);
    expect(netOf(first)).toBe(first.net);
  });

  it('releases it in the first run 7 days later', () => {
    const settled = new Set(['2', '8']);
    const later = merchantStatement(lines, { ...options, settled, cutoff: '2026-11-08T10:00:00.001Z' });
    expect(later).toMatchObject({ gross: 0, reserveReleased: 936, net: 936, release: 936 });
    expect(merchantStatement(lines, { ...options, settled, cutoff: '2026-11-08T10:00:00.000Z' }).net).toBe(0);
  });
});

describe('the CSV report', () => {
  const row = (overrides: Partial<SettlementRow>): SettlementRow => ({
    merchantId: 'mer_1',
    currency: 'EUR',
    lines: 2,
    gross: 12795,
    refunds: 0,
    fees: 334,
    dutiesTaxes: 2295,
    carrier: 840,
    reserveHeld: 0,
    reserveReleased: 0,
    broughtForward: 0,
    other: 0,
    net: 9326,
    carriedForward: 0,
    status: 'paid',
    payoutCurrency: 'EUR',
    payoutAmount: 9326,
    fxRate: null,
    fxInverted: null,
    fxSource: null,
    fxAsOf: null,
    transferId: 'tr_1',
    note: null,
    ...overrides,
  });

  it('has one line per merchant and a TOTAL line, amounts as decimals', () => {
    const csv = settlementReportCsv('EUR', [
      row({}),
      row({
        merchantId: 'mer_2',
        gross: 5000,
        refunds: 5000,
        fees: 0,
        dutiesTaxes: 0,
        net: -840,
        carriedForward: -840,
        status: 'carried_forward',
        payoutCurrency: null,
        payoutAmount: null,
        transferId: null,
        note: 'negative balance: carried forward, "next run"',
      }),
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'merchant,currency,lines,gross,refunds,fees,duties_taxes,carrier,reserve_held,reserve_released,brought_forward,other,carried_forward,net,fx_rate,fx_source,fx_as_of,payout_currency,payout_amount,transfer_id,status,note',
    );
    expect(lines[1]).toBe(
      'mer_1,EUR,2,127.95,0.00,3.34,22.95,8.40,0.00,0.00,0.00,0.00,0.00,93.26,,,,EUR,93.26,tr_1,paid,',
    );
    expect(lines[2]).toBe(
      'mer_2,EUR,2,50.00,50.00,0.00,0.00,8.40,0.00,0.00,0.00,0.00,-8.40,-8.40,,,,,,,carried_forward,"negative balance: carried forward, ""next run"""',
    );
    expect(lines[3]).toBe(
      'TOTAL,EUR,4,177.95,50.00,3.34,22.95,16.80,0.00,0.00,0.00,0.00,-8.40,84.86,,,,EUR,93.26,,,2 merchants',
    );
    expect(lines[4]).toBe('');
  });

  it('states an inverted rate as 1/<rate>', () => {
    const csv = settlementReportCsv('USD', [
      row({
        currency: 'USD',
        fxRate: '1.0411',
        fxInverted: true,
        payoutCurrency: 'EUR',
        payoutAmount: 10000,
        net: 10411,
      }),
    ]);
    expect(csv.split('\r\n')[1]).toContain(',1/1.0411,');
  });
});
