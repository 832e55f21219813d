import type { OrderTimings } from '../domain/orders/types';
import type { Config } from './schema';

/** The business deadlines new orders start with, from the ORDER_* variables. */
export function orderTimingsFrom(config: Config): OrderTimings {
  return {
    reviewTimeoutMs: config.ORDER_REVIEW_TIMEOUT_SECONDS * 1000,
    captureDeadlineMs: config.ORDER_CAPTURE_DEADLINE_SECONDS * 1000,
    declarationTimeoutMs: config.ORDER_DECLARATION_TIMEOUT_SECONDS * 1000,
    deliveryTimeoutMs: config.ORDER_DELIVERY_TIMEOUT_SECONDS * 1000,
    trackingPollMs: config.ORDER_TRACKING_POLL_SECONDS * 1000,
    refundWindowMs: config.ORDER_REFUND_WINDOW_SECONDS * 1000,
    compensationAttempts: config.ORDER_COMPENSATION_ATTEMPTS,
  };
}
