export { ConfigSchema, type Config, type ConfigName } from './schema';
export { loadConfig, type LoadConfigOptions } from './load';
