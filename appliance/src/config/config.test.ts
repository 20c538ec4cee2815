// Config: defaults, file + env layering, and errors that name the bad field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildConfig, envOverrides } from './index.ts';

test('defaults give a box on 8080 and 1883 with demo auto', () => {
  const c = buildConfig();
  assert.equal(c.http.port, 8080);
  assert.equal(c.mqtt.port, 1883);
  assert.equal(c.demo.enabled, 'auto');
  assert.ok(Object.isFrozen(c.http));
});

test('environment variables override the file layer, by schema-derived names', () => {
  const env = envOverrides({ OUTPOST_HTTP_PORT: '9090', OUTPOST_STORAGE_RAW_RETENTION_DAYS: '2', OUTPOST_DEMO_ENABLED: 'false', OUTPOST_AUTH_ADMIN_PASSWORD: 'secret-secret' });
  const c = buildConfig({ http: { port: 1 }, storage: { rawRetentionDays: 30 } }, env);
  assert.equal(c.http.port, 9090);
  assert.equal(c.storage.rawRetentionDays, 2);
  assert.equal(c.demo.enabled, false);
  assert.equal(c.auth.adminPassword, 'secret-secret');
});

test('a bad value is refused with the field named', () => {
  assert.throws(() => buildConfig({ http: { port: 70000 } }), /OUTPOST_CONFIG_INVALID.*http\.port/);
  assert.throws(() => buildConfig({ storage: { batchMaxRows: 'many' } }), /storage\.batchMaxRows/);
  assert.throws(() => buildConfig({ htpp: {} }), /htpp/);
});

test('the config file is read from OUTPOST_CONFIG, env wins over it, and a missing or broken file is a coded error', async () => {
  const { loadConfig } = await import('./index.ts');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'outpost-cfg-'));
  const file = join(dir, 'box.json');
  writeFileSync(file, JSON.stringify({ mqtt: { port: 1884 }, http: { port: 8081 } }));
  const c = loadConfig({ OUTPOST_CONFIG: file, OUTPOST_HTTP_PORT: '8082' });
  assert.equal(c.mqtt.port, 1884);
  assert.equal(c.http.port, 8082);
  assert.throws(() => loadConfig({ OUTPOST_CONFIG: join(dir, 'nope.json') }), /OUTPOST_CONFIG_INVALID.*does not exist/);
  writeFileSync(file, '{ mqtt: ');
  assert.throws(() => loadConfig({ OUTPOST_CONFIG: file }), /OUTPOST_CONFIG_INVALID: cannot read/);
  rmSync(dir, { recursive: true, force: true });
});
