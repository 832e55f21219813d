export * from './desk';
export * from './ledger-source';
export * from './store';
export * from './schedules';
