import { AppError } from '../../../../src/errors';
import {
  accounts,
  credit,
  debit,
  isBalanced,
  ledgerEntry,
  ledgerKeys,
  parseAccountCode,
  reversalOf,
  sameEntry,
  type LedgerEntryInput,
} from '../../../../src/domain/ledger';
import { money } from '../../../../src/domain/money';

const eur = (amount: number) => money(amount, 'EUR');

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    return (error as AppError).field;
  }
  throw new Error('expected a validation error');
}

describe('account codes', () => {
  test('builders give stable codes with type and normal balance', () => {
    expect(accounts.merchantPayable('mer_123', 'EUR')).toBe('merchant_payable:mer_123:EUR');
    expect(accounts.platformFeeRevenue('USD')).toBe('platform_fee_revenue:USD');
    expect(accounts.dutiesPayable('DE', 'EUR')).toBe('duties_payable:DE:EUR');
    expect(accounts.processorClearing('stripe', 'JPY')).toBe('processor_clearing:stripe:JPY');
    expect(parseAccountCode('merchant_payable:mer_123:EUR')).toEqual({
      code: 'merchant_payable:mer_123:EUR',
      kind: 'merchant_payable',
      type: 'liability',
      normalBalance: 'credit',
      currency: 'EUR',
      party: 'mer_123',
      merchantId: 'mer_123',
    });
    expect(parseAccountCode('processor_clearing:stripe:EUR')).toMatchObject({
      type: 'asset',
      normalBalance: 'debit',
      merchantId: null,
      party: 'stripe',
    });
    expect(parseAccountCode('fx_gain_loss:EUR')).toMatchObject({ type: 'revenue', party: null });
    expect(parseAccountCode('refund_losses:EUR')).toMatchObject({ type: 'expense', normalBalance: 'debit' });
  });

  test.each([
    ['nope:EUR'],
    ['merchant_payable:EUR'],
    ['platform_fee_revenue:x:EUR'],
    ['merchant_payable:mer 1:EUR'],
    ['duties_payable:DEU:EUR'],
    ['merchant_payable:m:EURO'],
    ['merchant_payable:m:XXX'],
    ['a:b:c:EUR'],
  ])('refuses %s', (code) => {
    expect(fieldOf(() => parseAccountCode(code, 'lines.0.account'))).toMatch(/^lines\.0\.account/);
  });
});

describe('ledgerEntry', () => {
  const base: LedgerEntryInput = {
    businessKey: 'order:ord_1:capture',
    kind: 'capture',
    orderId: 'ord_1',
    merchantId: 'mer_1',
    description: 'Capture',
    occurredAt: new Date('2026-11-25T10:00:00Z'),
    lines: [debit('processor_clearing:stripe:EUR', eur(100)), credit('merchant_payable:mer_1:EUR', eur(100))],
  };

  test('normalises: ISO time with milliseconds, credit negative', () => {
    const entry = ledgerEntry(base);
    expect(entry.occurredAt).toBe('2026-11-25T10:00:00.000Z');
    expect(entry.lines.map((l) => l.amount.amount)).toEqual([100, -100]);
    expect(entry.reversesEntryId).toBeNull();
    expect(isBalanced(entry.lines)).toBe(true);
  });

  test('refuses an unbalanced entry, per currency', () => {
    expect(
      fieldOf(() =>
        ledgerEntry({
          ...base,
          lines: [
            debit('processor_clearing:stripe:EUR', eur(100)),
            credit('merchant_payable:mer_1:USD', money(100, 'USD')),
          ],
        }),
      ),
    ).toBe('lines');
    expect(
      fieldOf(() =>
        ledgerEntry({
          ...base,
          lines: [
            debit('processor_clearing:stripe:EUR', eur(100)),
            credit('merchant_payable:mer_1:EUR', eur(99)),
          ],
        }),
      ),
    ).toBe('lines');
  });

  test('refuses fewer than two lines, zero lines, currency mismatches, bad keys and kinds', () => {
    expect(fieldOf(() => ledgerEntry({ ...base, lines: [base.lines[0]!] }))).toBe('lines');
    expect(
      fieldOf(() =>
        ledgerEntry({
          ...base,
          lines: [...base.lines, debit('fx_clearing:EUR', eur(0))],
        }),
      ),
    ).toBe('lines.2.amount');
    expect(
      fieldOf(() =>
        ledgerEntry({
          ...base,
          lines: [
            debit('processor_clearing:stripe:EUR', money(100, 'USD')),
            credit('merchant_payable:mer_1:USD', money(100, 'USD')),
          ],
        }),
      ),
    ).toBe('lines.0.amount.currency');
    expect(fieldOf(() => ledgerEntry({ ...base, businessKey: 'order::x' }))).toBe('businessKey');
    expect(fieldOf(() => ledgerEntry({ ...base, businessKey: 'x'.repeat(256) }))).toBe('businessKey');
    expect(fieldOf(() => ledgerEntry({ ...base, kind: 'gift' as never }))).toBe('kind');
    expect(fieldOf(() => ledgerEntry({ ...base, occurredAt: 'yesterday' }))).toBe('occurredAt');
    expect(fieldOf(() => ledgerEntry({ ...base, kind: 'reversal' }))).toBe('reversesEntryId');
    expect(
      fieldOf(() => ledgerEntry({ ...base, reversesEntryId: '1f0c6a55-7d3c-4f57-a1a4-7c1a3a9c1d10' })),
    ).toBe('reversesEntryId');
  });

  test('sameEntry ignores line order and description, not amounts or time', () => {
    const a = ledgerEntry(base);
    expect(
      sameEntry(a, ledgerEntry({ ...base, description: 'other words', lines: [...base.lines].reverse() })),
    ).toBe(true);
    expect(sameEntry(a, ledgerEntry({ ...base, occurredAt: '2026-11-25T10:00:00.001Z' }))).toBe(false);
    expect(
      sameEntry(
        a,
        ledgerEntry({
          ...base,
          lines: [
            debit('processor_clearing:stripe:EUR', eur(101)),
            credit('merchant_payable:mer_1:EUR', eur(101)),
          ],
        }),
      ),
    ).toBe(false);
  });

  test('business keys derive from the operation', () => {
    expect(ledgerKeys.capture('ord_1')).toBe('order:ord_1:capture');
    expect(ledgerKeys.refund('re_9')).toBe('refund:re_9');
    expect(ledgerKeys.reversal('refund:re_9')).toBe('reversal:refund:re_9');
    expect(() => ledgerKeys.capture('a:b')).toThrow(AppError);
  });

  test('reversalOf negates every line and names the entry', () => {
    const posted = { ...ledgerEntry(base), id: '1f0c6a55-7d3c-4f57-a1a4-7c1a3a9c1d10' };
    const reversal = reversalOf(posted, { occurredAt: '2026-11-26T00:00:00Z' });
    expect(reversal).toMatchObject({
      businessKey: 'reversal:order:ord_1:capture',
      kind: 'reversal',
      orderId: 'ord_1',
      merchantId: 'mer_1',
      reversesEntryId: posted.id,
      occurredAt: '2026-11-26T00:00:00.000Z',
    });
    expect(reversal.lines).toEqual([
      { account: 'processor_clearing:stripe:EUR', amount: eur(-100) },
      { account: 'merchant_payable:mer_1:EUR', amount: eur(100) },
    ]);
    expect(fieldOf(() => reversalOf({ ...posted, id: undefined as never }, { occurredAt: new Date() }))).toBe(
      'entry.id',
    );
  });
});
