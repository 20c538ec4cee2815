// Test helpers: a real box on port 0 with a real SQLite file in a temp folder, a real MQTT device, a logged-in HTTP client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import mqtt, { type MqttClient } from 'mqtt';
import { createOutpost, type Outpost } from '../src/outpost.ts';
import type { DeviceProfile } from '../src/domain/index.ts';
import type { Clock } from '../src/core/index.ts';

export const ADMIN_PW = 'test-admin-pw';

export const TEST_PROFILE: DeviceProfile = {
  id: 'test-pump',
  name: 'Test pump',
  points: [
    { key: 'temp', name: 'Bearing temperature', unit: '°C', min: -50, max: 300 },
    { key: 'vib', name: 'Vibration', unit: 'mm/s', min: 0, max: 100 },
  ],
  rules: [
    { kind: 'threshold', type: 'overheat', point: 'temp', hysteresis: 2, levels: [{ severity: 'MAJOR', above: 80, forS: 30 }, { severity: 'CRITICAL', above: 95, forS: 10 }], ticket: { minSeverity: 'MAJOR' } },
    { kind: 'threshold', type: 'vib_warn', point: 'vib', levels: [{ severity: 'WARNING', above: 5, forS: 0 }] },
    { kind: 'offline', type: 'device_offline', severity: 'MINOR' },
  ],
};

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestBox {
  box: Outpost;
  httpUrl: string;
  mqttPort: number;
  dir: string;
  stop(): Promise<void>;
}

/** A box with no demo, the test site, zone, asset and profile, and devices d1/d2 (password "pw-<id>-secret"). */
export async function startBox(opts: { dir?: string; overrides?: Record<string, unknown>; seed?: boolean; clock?: Clock } = {}): Promise<TestBox> {
  const dir = opts.dir ?? tempDir().dir;
  const box = createOutpost({ dataDir: dir, http: { port: 0, host: '127.0.0.1' }, mqtt: { port: 0, host: '127.0.0.1' }, demo: { enabled: false }, log: { level: 'silent' }, auth: { adminPassword: ADMIN_PW }, ...(opts.overrides ?? {}) } as never, { env: {}, clock: opts.clock });
  if (opts.seed !== false) await seed(box);
  const { httpUrl, mqttPort } = await box.start();
  return { box, httpUrl, mqttPort, dir, stop: () => box.stop() };
}

async function seed(box: Outpost): Promise<void> {
  const r = box.registry;
  r.load();
  if (r.get('d1')) return;
  r.upsertSite({ id: 'site1', name: 'Test site', timezone: 'UTC' });
  r.upsertZone({ id: 'z1', siteId: 'site1', name: 'Zone 1' });
  r.upsertAsset({ id: 'a1', siteId: 'site1', zoneId: 'z1', name: 'Pump A1', type: 'pump', criticality: 3 });
  r.upsertAsset({ id: 'a2', siteId: 'site1', zoneId: 'z1', name: 'Pump A2', type: 'pump', criticality: 2 });
  r.upsertProfile(TEST_PROFILE);
  await r.addDevice({ id: 'd1', siteId: 'site1', assetId: 'a1', profileId: 'test-pump', name: 'Device 1', password: 'pw-d1-secret' });
  await r.addDevice({ id: 'd2', siteId: 'site1', assetId: 'a2', profileId: 'test-pump', name: 'Device 2', password: 'pw-d2-secret' });
}

export function topic(device: string, kind = 'telemetry'): string {
  return `outpost/v1/site1/${device}/${kind}`;
}

/** A real MQTT device connection; rejects with the broker's refusal. */
export function connectDevice(port: number, device: string, password = `pw-${device}-secret`, extra: mqtt.IClientOptions = {}): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { username: device, password, reconnectPeriod: 0, connectTimeout: 5000, ...extra });
    c.once('connect', () => resolve(c));
    c.once('error', (err) => { c.end(true); reject(err); });
  });
}

export function publish(c: MqttClient, t: string, payload: unknown, qos: 0 | 1 = 1): Promise<void> {
  return new Promise((resolve, reject) => c.publish(t, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos }, (err) => (err ? reject(err) : resolve())));
}

export function endClient(c: MqttClient): Promise<void> {
  return new Promise((resolve) => c.end(false, {}, () => resolve()));
}

/** A fetch-based client that keeps the session cookie, like a browser. */
export async function login(httpUrl: string, username = 'admin', password = ADMIN_PW) {
  const res = await fetch(`${httpUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${httpUrl}${path}`, { method, headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body !== undefined ? JSON.stringify(body) : undefined });
    const text = await r.text();
    return { status: r.status, body: text ? (r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) : null };
  };
  return { cookie, get: (p: string) => call('GET', p), post: (p: string, b: unknown = {}) => call('POST', p, b), put: (p: string, b: unknown) => call('PUT', p, b) };
}

/** Polls until fn returns a truthy value (real time; the box works asynchronously). */
export async function until<T>(fn: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Readings a series of (secondsAgo, value) pairs: device timestamps make "for 30 s" testable in milliseconds. */
export async function sendSeries(c: MqttClient, device: string, point: string, pairs: [number, number][], now = Date.now()): Promise<void> {
  for (const [agoS, v] of pairs) await publish(c, topic(device), { ts: now - agoS * 1000, values: { [point]: v } });
}

/** A real PNG (grey): signature, IHDR, IDAT, IEND with CRCs, so the magic-byte check sees a true image. */
export function pngImage(w = 2, h = 2): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b: Buffer) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => { const len = Buffer.alloc(4); len.writeUInt32BE(data.length); const td = Buffer.concat([Buffer.from(type), data]); const c = Buffer.alloc(4); c.writeUInt32BE(crc(td)); return Buffer.concat([len, td, c]); };
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 0;
  const raw = Buffer.alloc((w + 1) * h, 0x80); for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
