// Builds the frozen Config from defaults, a JSON file and OUTPOST_* environment variables.
import { readFileSync, existsSync } from 'node:fs';
import Value from 'typebox/value';
import { ConfigSchema, type Config } from './schema.ts';
import { OutpostError } from '../core/errors.ts';

type Json = Record<string, unknown>;

/** OUTPOST_STORAGE_RAW_RETENTION_DAYS -> storage.rawRetentionDays, derived from the schema itself. */
export function envOverrides(env: NodeJS.ProcessEnv, schema: { properties?: Json } = ConfigSchema as never, path: string[] = []): Json {
  const out: Json = {};
  for (const [key, sub] of Object.entries(schema.properties ?? {}) as [string, Json][]) {
    const here = [...path, key];
    if (sub.type === 'object') {
      const nested = envOverrides(env, sub as { properties?: Json }, here);
      if (Object.keys(nested).length) out[key] = nested;
      continue;
    }
    const name = 'OUTPOST_' + here.map((p) => p.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
    const raw = env[name];
    if (raw === undefined) continue;
    out[key] = parseEnvValue(raw);
  }
  return out;
}

function parseEnvValue(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  return raw;
}

function merge(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' ? merge(out[k] as Json, v as Json) : v;
  }
  return out;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Validates the merged layers; an error names every bad field. */
export function buildConfig(...layers: Json[]): Readonly<Config> {
  const merged = layers.reduce((acc, l) => merge(acc, l), {} as Json);
  const withDefaults = Value.Default(ConfigSchema, structuredClone(merged)) as Json;
  const errors = [...Value.Errors(ConfigSchema, withDefaults)];
  if (errors.length) {
    const lines = errors.map((e) => {
      const extra = e.keyword === 'additionalProperties' ? ` (${JSON.stringify(e.params)})` : '';
      return `${e.instancePath.slice(1).replaceAll('/', '.') || '(root)'} ${e.message}${extra}`;
    });
    throw new OutpostError('OUTPOST_CONFIG_INVALID', `invalid configuration: ${lines.join('; ')}`);
  }
  return deepFreeze(withDefaults as Config);
}

/** Boot-time config: the file named by OUTPOST_CONFIG (or ./outpost.config.json if present), then env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Json = {}): Readonly<Config> {
  const file = env.OUTPOST_CONFIG ?? 'outpost.config.json';
  let fromFile: Json = {};
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new OutpostError('OUTPOST_CONFIG_INVALID', `cannot read ${file}: ${(err as Error).message}`);
    }
  } else if (env.OUTPOST_CONFIG) {
    throw new OutpostError('OUTPOST_CONFIG_INVALID', `config file ${file} (OUTPOST_CONFIG) does not exist`);
  }
  return buildConfig(fromFile, envOverrides(env), overrides);
}
