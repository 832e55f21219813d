export * from './app-error';
export * from './temporal';
