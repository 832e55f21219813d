export * from './connection';
export * from './dev-server';
export * from './search-attributes';
export * from './logging';
export * from './payload-codec';
