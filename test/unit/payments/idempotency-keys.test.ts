import { AppError } from '../../../src/errors';
import { idempotencyKeys, MAX_IDEMPOTENCY_KEY_LENGTH } from '../../../src/domain/payments';

describe('idempotencyKeys', () => {
  it('derives each key from the business operation', () => {
    expect(idempotencyKeys.authorize('ord_123')).toBe('order:ord_123:authorize');
    expect(idempotencyKeys.capture('ord_123')).toBe('order:ord_123:capture');
    expect(idempotencyKeys.cancel('ord_123')).toBe('order:ord_123:cancel');
    expect(idempotencyKeys.refund('rf-9')).toBe('refund:rf-9');
    expect(idempotencyKeys.payout('run.2026-11', 'mer_7')).toBe('payout:run.2026-11:mer_7');
    expect(idempotencyKeys.payoutReversal('run.2026-11', 'mer_7', 'rv1')).toBe(
      'payout-reversal:run.2026-11:mer_7:rv1',
    );
  });

  it('is deterministic: the same operation always gives the same key', () => {
    expect(idempotencyKeys.authorize('o-1')).toBe(idempotencyKeys.authorize('o-1'));
    expect(idempotencyKeys.authorize('o-1')).not.toBe(idempotencyKeys.authorize('o-2'));
    expect(idempotencyKeys.capture('o-1')).not.toBe(idempotencyKeys.authorize('o-1'));
  });

  it.each(['', 'a:b', 'has space', 'ünïcode', 'x/y'])(
    'refuses the id %j, which could make keys collide',
    (id) => {
      expect(() => idempotencyKeys.authorize(id)).toThrow(AppError);
      try {
        idempotencyKeys.refund(id);
      } catch (error) {
        expect((error as AppError).code).toBe('VALIDATION_FAILED');
        expect((error as AppError).field).toBe('refundId');
      }
    },
  );

  it('refuses keys longer than Stripe accepts', () => {
    const longest = 'x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH - 'refund:'.length);
    expect(idempotencyKeys.refund(longest)).toHaveLength(MAX_IDEMPOTENCY_KEY_LENGTH);
    expect(() => idempotencyKeys.refund(`${longest}x`)).toThrow(/at most 255/);
  });
});
