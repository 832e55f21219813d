import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Task queue the order saga's workflows and activities run on. */
export const ORDERS_TASK_QUEUE = 'orders';

/** One workflow per order, its id derived from the checkout service's order id. */
export function orderWorkflowId(orderId: string): string {
  return `order-${orderId}`;
}

/** Search attributes of order workflows: support finds orders by them in the Temporal UI. */
export const OrderSearchAttributes = {
  OrderId: defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD),
  OrderStatus: defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD),
  MerchantId: defineSearchAttributeKey('MerchantId', SearchAttributeType.KEYWORD),
} as const;
