export { ConfigSchema, type Config, type ConfigName } from './schema';
export { loadConfig, PRODUCTION_REQUIRED, type LoadConfigOptions } from './load';
export { orderTimingsFrom } from './order-timings';
