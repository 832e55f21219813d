export * from './idempotency-keys';
export * from './port';
export * from './stripe-amounts';
