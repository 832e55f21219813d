export { ConfigSchema, type Config, type ConfigName } from './schema';
export { loadConfig, PRODUCTION_REQUIRED, type LoadConfigOptions } from './load';
export { orderTimingsFrom } from './order-timings';
export {
  DEV_PAYLOAD_KEY_ID,
  DEV_PAYLOAD_KEYS,
  parsePayloadKeys,
  payloadKeyringFrom,
  temporalUiOriginsFrom,
  usesOnlyDevPayloadKey,
  type PayloadKeyring,
} from './payload-keys';
