// Bad input over MQTT: rejected with a code, counted per device, visible through the API; good data alongside is kept.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startBox, connectDevice, login, until, publish, topic, endClient, type TestBox } from './helpers.ts';

let tb: TestBox;
before(async () => { tb = await startBox({ overrides: { mqtt: { port: 0, host: '127.0.0.1', maxPayloadBytes: 1024 } } }); });
after(async () => { await tb.stop(); });

test('malformed payloads are rejected and counted, the box keeps running and keeps the good values', async () => {
  const api = await login(tb.httpUrl);
  const dev = await connectDevice(tb.mqttPort, 'd1');
  const bad = [
    '{"values": {"temp": ',                                         // OUTPOST_PAYLOAD_JSON
    '"just a string"',                                              // OUTPOST_PAYLOAD_SHAPE
    JSON.stringify({ ts: Date.now() + 3_600_000, values: { temp: 1 } }), // OUTPOST_TS_FUTURE
    JSON.stringify({ ts: 'tuesday', values: { temp: 1 } }),         // OUTPOST_TS_INVALID
    JSON.stringify({ values: { temp: 'hot', humidity: 3, vib: 1.5 } }), // NOT_NUMBER + POINT_UNKNOWN, vib kept
    JSON.stringify({ values: { temp: 5000 } }),                     // OUTPOST_VALUE_OUT_OF_RANGE
    JSON.stringify({ values: { temp: 1 }, pad: 'x'.repeat(2000) }), // OUTPOST_PAYLOAD_TOO_LARGE
  ];
  for (const p of bad) await publish(dev, topic('d1'), p);
  await publish(dev, topic('d1', 'status'), 'sleepy');             // status must be online/offline
  assert.ok(dev.connected, 'bad data does not cost the device its connection');

  const d1 = await until(async () => { const d = (await api.get('/api/v1/devices/d1')).body; return d.rejected === 9 && d; }, 3000, '9 rejects');
  assert.deepEqual(new Set(d1.rejects.map((r: { code: string }) => r.code)), new Set([
    'OUTPOST_PAYLOAD_JSON', 'OUTPOST_PAYLOAD_SHAPE', 'OUTPOST_TS_FUTURE', 'OUTPOST_TS_INVALID', 'OUTPOST_VALUE_NOT_NUMBER',
    'OUTPOST_POINT_UNKNOWN', 'OUTPOST_VALUE_OUT_OF_RANGE', 'OUTPOST_PAYLOAD_TOO_LARGE',
  ]));
  assert.equal(d1.points.find((p: { key: string }) => p.key === 'vib').value, 1.5, 'the good value of a partly bad message is stored');
  assert.match(d1.rejects.find((r: { code: string }) => r.code === 'OUTPOST_POINT_UNKNOWN').message, /humidity/);
  assert.equal((await api.get('/api/v1/devices')).body.find((d: { id: string }) => d.id === 'd1').rejected, 9);

  const metrics = await (await fetch(`${tb.httpUrl}/metrics`)).text();
  assert.match(metrics, /outpost_readings_rejected_total\{device="d1",code="OUTPOST_PAYLOAD_JSON"\} 1/);
  assert.match(metrics, /outpost_readings_ingested_total 1\n/);
  // Rejects are kept in SQLite too, so they survive a restart.
  const stored = tb.box.db.prepare("SELECT COUNT(*) AS n FROM rejected_messages WHERE device_id = 'd1'").get() as { n: number };
  assert.equal(stored.n, 9);

  await publish(dev, topic('d1'), { values: { temp: 21 } });
  await until(async () => (await api.get('/api/v1/devices/d1')).body.points.find((p: { key: string }) => p.key === 'temp').value === 21, 3000, 'good data after bad');
  await endClient(dev);
});

test('device fault codes on the event topic are stored; a bad event is rejected and counted', async () => {
  const api = await login(tb.httpUrl);
  const dev = await connectDevice(tb.mqttPort, 'd2');
  await publish(dev, topic('d2', 'event'), { ts: Date.now() - 1000, code: 'E07', text: 'motor overcurrent' });
  await publish(dev, topic('d2', 'event'), { text: 'no code' });
  const events = (await api.get('/api/v1/devices/d2/events')).body;
  assert.deepEqual(events.map((e: { code: string; text: string }) => [e.code, e.text]), [['E07', 'motor overcurrent']]);
  const d2 = await until(async () => { const d = (await api.get('/api/v1/devices/d2')).body; return d.rejected === 1 && d; }, 3000, 'event reject');
  assert.equal(d2.rejects[0].code, 'OUTPOST_PAYLOAD_SHAPE');
  await endClient(dev);
});

test('a redelivered reading is stored and counted once; unstamped readings in one millisecond are all kept', async () => {
  const dev = await connectDevice(tb.mqttPort, 'd2');
  const count = async () => Number(/outpost_readings_ingested_total (\d+)/.exec(await (await fetch(`${tb.httpUrl}/metrics`)).text())![1]);
  const before = await count();
  const ts = Date.now() - 5000;
  await publish(dev, topic('d2'), { ts, values: { vib: 1.1 } });
  await publish(dev, topic('d2'), { ts, values: { vib: 1.1 } }); // what a QoS 1 resend looks like after a lost PUBACK
  assert.equal(await count(), before + 1);
  // A burst without ts: the box stamps them, and no two may share a (point, ts) key.
  await Promise.all(Array.from({ length: 50 }, (_, i) => publish(dev, topic('d2'), { values: { temp: i } })));
  assert.equal(await count(), before + 51);
  const rows = tb.box.db.prepare("SELECT COUNT(*) AS n FROM readings r JOIN points p ON p.id = r.point_id WHERE p.device_id = 'd2' AND p.key = 'temp'").get() as { n: number };
  assert.equal(rows.n, 50);
  await endClient(dev);
});

test('a device flooding garbage is counted in full, but only its last 1000 rejects are kept on disk', async () => {
  const api = await login(tb.httpUrl);
  const dev = await connectDevice(tb.mqttPort, 'd2');
  const before = (await api.get('/api/v1/devices/d2')).body.rejected as number;
  await Promise.all(Array.from({ length: 1100 }, (_, i) => publish(dev, topic('d2'), `garbage ${i}`)));
  const d2 = (await api.get('/api/v1/devices/d2')).body;
  assert.equal(d2.rejected, before + 1100);
  assert.match(d2.rejects[0].message, /not JSON/);
  const rows = tb.box.db.prepare("SELECT COUNT(*) AS n FROM rejected_messages WHERE device_id = 'd2'").get() as { n: number };
  assert.equal(rows.n, 1000);
  const total = tb.box.db.prepare("SELECT count FROM reject_totals WHERE device_id = 'd2'").get() as { count: number };
  assert.equal(total.count, before + 1100, 'the total survives a restart (read back at start)');
  await endClient(dev);
});

test('bad HTTP input gets a coded 400, unknown things a coded 404', async () => {
  const api = await login(tb.httpUrl);
  const r1 = await api.get('/api/v1/devices/d1/readings?point=nope');
  assert.equal(r1.status, 400);
  assert.equal(r1.body.code, 'OUTPOST_POINT_UNKNOWN');
  const r2 = await api.get('/api/v1/devices/ghost');
  assert.equal(r2.status, 404);
  assert.equal(r2.body.code, 'OUTPOST_NOT_FOUND');
  const r3 = await api.post('/api/v1/tickets/WO-x/transition', { to: 'flying' });
  assert.equal(r3.status, 400);
  assert.equal(r3.body.code, 'OUTPOST_BAD_REQUEST');
  const big = await fetch(`${tb.httpUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'a', password: 'x'.repeat(2_000_000) }) });
  assert.equal(big.status, 413);
  assert.equal((await big.json()).code, 'OUTPOST_PAYLOAD_TOO_LARGE');
});
