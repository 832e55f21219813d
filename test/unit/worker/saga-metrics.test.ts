import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { ORDER_COMPENSATION_ACTIVITIES } from '../../../activities/orders';
import { AppError, toApplicationFailure } from '../../../src/errors';
import { classify } from '../../../src/worker/saga-metrics';

describe('saga metrics', () => {
  it('knows the order saga compensations from the activities themselves', () => {
    expect([...ORDER_COMPENSATION_ACTIVITIES].sort()).toEqual([
      'releasePayment',
      'voidDeclaration',
      'voidLabel',
    ]);
  });

  it('classifies a failure as Temporal will treat it', () => {
    expect(classify(toApplicationFailure(new AppError('PAYMENT_DECLINED', 'declined')))).toEqual({
      retryable: false,
      code: 'PAYMENT_DECLINED',
    });
    expect(classify(toApplicationFailure(new AppError('DEPENDENCY_UNAVAILABLE', 'down')))).toEqual({
      retryable: true,
      code: 'DEPENDENCY_UNAVAILABLE',
    });
    expect(classify(ApplicationFailure.create({ type: 'INTERNAL', message: 'x' }))).toEqual({
      retryable: true,
      code: 'INTERNAL',
    });
    expect(classify(new CancelledFailure('cancelled'))).toEqual({ retryable: false, code: 'CANCELLED' });
    expect(classify(new Error('boom'))).toEqual({ retryable: true, code: 'INTERNAL' });
  });
});
