export * from './fees';
export * from './keys';
export * from './reconcile';
export * from './request';
export * from './temporal';
export * from './types';
