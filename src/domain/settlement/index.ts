export * from './types';
export * from './period';
export * from './math';
export * from './entries';
export * from './report';
export * from './breakdown';
export { SETTLEMENT_TASK_QUEUE, settlementProgressQuery } from './messages';
