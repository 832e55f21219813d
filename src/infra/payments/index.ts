export * from './payment-events';
export * from './stripe-errors';
export * from './stripe-payments';
export * from './stripe-webhooks';
