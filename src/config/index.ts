/** Configuration: warden.yaml < WARDEN_* environment < flags, validated once and passed down. */
export { ConfigSchema, UserScanRule, RiskAcceptance, type Config, type ConfigInput } from './schema.js';
export { loadConfig, ENV_KEYS, type LoadConfigOptions } from './load-config.js';
export { INIT_TEMPLATE } from './init-template.js';
