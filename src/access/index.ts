export * from './roles';
export * from './api-keys';
export * from './key-store';
