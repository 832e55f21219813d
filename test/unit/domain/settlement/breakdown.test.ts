import { accounts, credit, debit, ledgerEntry, type LedgerEntryDraft } from '../../../../src/domain/ledger';
import { money } from '../../../../src/domain/money';
import {
  carryForwardEntry,
  lineSettlements,
  payoutEntry,
  reserveReleaseEntry,
  settlementClassOf,
  settlementColumns,
} from '../../../../src/domain/settlement';

const eur = (n: number) => money(n, 'EUR');
const usd = (n: number) => money(n, 'USD');
const AT = '2026-11-01T00:00:00.000Z';

function entry(kind: LedgerEntryDraft['kind'], lines: LedgerEntryDraft['lines'], key = `k:${kind}`) {
  return ledgerEntry({
    businessKey: key,
    kind,
    merchantId: 'mer_a',
    description: 'test',
    occurredAt: AT,
    lines,
    ...(kind === 'reversal' ? { reversesEntryId: '00000000-0000-4000-8000-000000000001' } : {}),
  });
}

describe('lineSettlements: what a merchant payable line carries for settlement', () => {
  it('a capture: the payable line carries the entry split into the report components', () => {
    const capture = entry('capture', [
      debit(accounts.processorClearing('stripe', 'EUR'), eur(12_000)),
      credit(accounts.merchantPayable('mer_a', 'EUR'), eur(8_000)),
      credit(accounts.merchantReserve('mer_a', 'EUR'), eur(500)),
      credit(accounts.platformFeeRevenue('EUR'), eur(300)),
      credit(accounts.dutiesPayable('DE', 'EUR'), eur(700)),
      credit(accounts.taxPayable('DE', 'EUR'), eur(1_900)),
      credit(accounts.carrierPayable('dhl', 'EUR'), eur(600)),
    ]);
    expect(lineSettlements(capture)).toEqual([
      null,
      {
        settlementClass: 'other',
        breakdown: {
          gross: 12_000,
          refunds: 0,
          fees: 300,
          dutiesTaxes: 2_600,
          carrier: 600,
          reserveHeld: 500,
        },
      },
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('a refund: clearing credits are refunds, fee and tax debits come back negative', () => {
    const refund = entry('refund', [
      debit(accounts.merchantPayable('mer_a', 'EUR'), eur(4_000)),
      debit(accounts.platformFeeRevenue('EUR'), eur(150)),
      debit(accounts.taxPayable('DE', 'EUR'), eur(950)),
      credit(accounts.processorClearing('stripe', 'EUR'), eur(5_100)),
    ]);
    expect(lineSettlements(refund)[0]).toEqual({
      settlementClass: 'other',
      breakdown: { gross: 0, refunds: 5_100, fees: -150, dutiesTaxes: -950, carrier: 0, reserveHeld: 0 },
    });
  });

  it('only the first payable line of an account carries the breakdown; each currency its own', () => {
    // A fixed fee in the merchant's settlement currency (USD) beside an EUR sale, and a second
    // EUR payable line: the EUR breakdown is carried once, the USD one on the USD line.
    const capture = entry('capture', [
      debit(accounts.processorClearing('stripe', 'EUR'), eur(10_000)),
      credit(accounts.merchantPayable('mer_a', 'EUR'), eur(9_000)),
      credit(accounts.platformFeeRevenue('EUR'), eur(500)),
      credit(accounts.merchantPayable('mer_a', 'EUR'), eur(300)),
      credit(accounts.fxClearing('EUR'), eur(200)),
      debit(accounts.fxClearing('USD'), usd(230)),
      credit(accounts.carrierPayable('ups', 'USD'), usd(230)),
      debit(accounts.merchantPayable('mer_a', 'USD'), usd(50)),
      credit(accounts.platformFeeRevenue('USD'), usd(50)),
    ]);
    const s = lineSettlements(capture);
    expect(s[1]).toEqual({
      settlementClass: 'other',
      breakdown: { gross: 10_000, refunds: 0, fees: 500, dutiesTaxes: 0, carrier: 200, reserveHeld: 0 },
    });
    expect(s[3]).toEqual({ settlementClass: 'other', breakdown: null });
    expect(s[7]).toEqual({
      settlementClass: 'other',
      // USD lines: the fx_clearing debit and the carrier credit cancel out; the fee is 50.
      breakdown: { gross: 0, refunds: 0, fees: 50, dutiesTaxes: 0, carrier: 0, reserveHeld: 0 },
    });
    expect([s[0], s[2], s[4], s[5], s[6], s[8]]).toEqual([null, null, null, null, null, null]);
  });

  it('settlement entries: released, brought (the carry-forward lines) and payout, with no breakdown', () => {
    const release = reserveReleaseEntry({
      runId: 'stl_1',
      merchantId: 'mer_a',
      amount: eur(500),
      occurredAt: AT,
    });
    expect(lineSettlements(release.entry)).toEqual([null, { settlementClass: 'released', breakdown: null }]);
    const carried = carryForwardEntry({
      runId: 'stl_1',
      merchantId: 'mer_a',
      owed: eur(-250),
      occurredAt: AT,
      reason: 'negative',
    });
    expect(lineSettlements(carried.entry)).toEqual([
      { settlementClass: 'brought', breakdown: null },
      { settlementClass: 'brought', breakdown: null },
    ]);
    const payout = payoutEntry({
      runId: 'stl_1',
      merchantId: 'mer_a',
      net: eur(1_000),
      paid: eur(1_000),
      transferId: 'tr_1',
      occurredAt: AT,
    });
    expect(lineSettlements(payout.entry)).toEqual([{ settlementClass: 'payout', breakdown: null }, null]);
  });

  it('an adjustment that is not a carry-forward is split like a sale', () => {
    expect(settlementClassOf({ kind: 'adjustment', businessKey: 'adjustment:goodwill:1' })).toBe('other');
    expect(settlementClassOf({ kind: 'adjustment', businessKey: 'carry_forward:stl_1:mer_a' })).toBe(
      'brought',
    );
    expect(settlementClassOf({ kind: 'reversal', businessKey: 'reversal:order:o1:capture' })).toBe('other');
  });

  it('settlementColumns: the columns of journal_lines, null where nothing is carried', () => {
    expect(settlementColumns(null)).toEqual({
      settlementClass: null,
      breakdownGross: null,
      breakdownRefunds: null,
      breakdownFees: null,
      breakdownDutiesTaxes: null,
      breakdownCarrier: null,
      breakdownReserveHeld: null,
    });
    expect(
      settlementColumns({
        settlementClass: 'other',
        breakdown: { gross: 1, refunds: 2, fees: 3, dutiesTaxes: 4, carrier: 5, reserveHeld: 6 },
      }),
    ).toEqual({
      settlementClass: 'other',
      breakdownGross: 1,
      breakdownRefunds: 2,
      breakdownFees: 3,
      breakdownDutiesTaxes: 4,
      breakdownCarrier: 5,
      breakdownReserveHeld: 6,
    });
  });
});
