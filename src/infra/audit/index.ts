export * from './audit-log';
export * from './summary';
