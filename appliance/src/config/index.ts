// Config's one door: the schema, its type and the loaders.
export { ConfigSchema, type Config } from './schema.ts';
export { buildConfig, loadConfig, envOverrides } from './load.ts';
