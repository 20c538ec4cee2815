// Device credentials and topic policy on the real broker: wrong passwords and cross-device publishes are refused and counted.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startBox, connectDevice, login, until, publish, topic, endClient, type TestBox } from './helpers.ts';

let tb: TestBox;
before(async () => { tb = await startBox(); });
after(async () => { await tb.stop(); });

const metric = async (name: string) => {
  const text = await (await fetch(`${tb.httpUrl}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith(name)).join('\n');
};

test('a wrong password and an unknown device are refused at CONNECT', async () => {
  await assert.rejects(connectDevice(tb.mqttPort, 'd1', 'not-the-password'), /Bad username or password|Not authorized/);
  await assert.rejects(connectDevice(tb.mqttPort, 'ghost', 'whatever-pw'), /Bad username or password|Not authorized/);
  await assert.rejects(connectDevice(tb.mqttPort, 'd1', '', { password: undefined }), /Bad username or password|Not authorized/);
  assert.match(await metric('outpost_mqtt_refused_total'), /reason="bad_password"\} 1/);
  assert.match(await metric('outpost_mqtt_refused_total'), /reason="unknown_device"\} 2/);
});

test('a device cannot publish under another device prefix: disconnected, nothing stored', async () => {
  const api = await login(tb.httpUrl);
  const d1 = await connectDevice(tb.mqttPort, 'd1');
  const closed = new Promise<void>((resolve) => d1.once('close', () => resolve()));
  d1.publish(topic('d2'), JSON.stringify({ values: { temp: 99 } }), { qos: 1 });
  await closed;
  const d2 = (await api.get('/api/v1/devices/d2')).body;
  assert.equal(d2.points.find((p: { key: string }) => p.key === 'temp').value, null, 'nothing reached d2');
  assert.match(await metric('outpost_mqtt_refused_total'), /reason="topic_denied"\} 1/);
  d1.end(true);
});

test('a device subscribes only to its own commands', async () => {
  const d1 = await connectDevice(tb.mqttPort, 'd1');
  // SUBACK return code 0x80 is "failure" (MQTT 3.1.1 section 3.9.3); mqtt.js reports it as an error carrying the packet.
  const granted = await new Promise<number[]>((resolve) => d1.subscribe(['outpost/v1/site1/d1/cmd/#', 'outpost/v1/site1/d2/telemetry', '#'], { qos: 1 }, (err, g) =>
    resolve(err ? (err as unknown as { packet: { granted: number[] } }).packet.granted : (g ?? []).map((x) => x.qos))));
  assert.deepEqual(granted, [1, 128, 128]);
  await endClient(d1);
});

test('status: online on connect, offline by last will when the connection drops, with an offline alarm', async () => {
  const api = await login(tb.httpUrl);
  const d2 = await connectDevice(tb.mqttPort, 'd2', undefined, { will: { topic: topic('d2', 'status'), payload: Buffer.from('offline'), qos: 1, retain: true } });
  await until(async () => (await api.get('/api/v1/devices/d2')).body.status === 'online', 3000, 'online');
  await publish(d2, topic('d2'), { values: { temp: 40 } });
  d2.stream.destroy(); // a dropped link, not a clean DISCONNECT
  await until(async () => (await api.get('/api/v1/devices/d2')).body.status === 'offline', 3000, 'offline');
  const alarm = await until(async () => (await api.get('/api/v1/alarms?active=true')).body.find((a: { deviceId: string; type: string }) => a.deviceId === 'd2' && a.type === 'device_offline'), 3000, 'offline alarm');
  assert.equal(alarm.severity, 'MINOR');
  const back = await connectDevice(tb.mqttPort, 'd2');
  await until(async () => (await api.get(`/api/v1/alarms/${alarm.id}`)).body.status === 'CLEARED_UNACK', 3000, 'offline alarm cleared');
  await endClient(back);
});

test('people connect as user:<name>: they read alarms over MQTT; only an admin sends device commands', async () => {
  const api = await login(tb.httpUrl);
  await api.post('/api/v1/users', { username: 'viewer', password: 'viewer-pw-1', role: 'operator' });
  await assert.rejects(connectDevice(tb.mqttPort, 'user:admin', 'wrong-password'), /Bad username or password|Not authorized/);
  const watcher = await connectDevice(tb.mqttPort, 'user:viewer', 'viewer-pw-1');
  const got: string[] = [];
  watcher.on('message', (t) => got.push(t));
  await new Promise((resolve) => watcher.subscribe('outpost/v1/site1/alarm/#', { qos: 0 }, resolve));
  const d1 = await connectDevice(tb.mqttPort, 'd1');
  await publish(d1, topic('d1'), { values: { vib: 8 } });
  await until(() => got.some((t) => t.startsWith('outpost/v1/site1/alarm/AL-')), 3000, 'alarm over MQTT');

  const cmds: string[] = [];
  d1.on('message', (t, p) => cmds.push(`${t} ${p}`));
  await new Promise((resolve) => d1.subscribe('outpost/v1/site1/d1/cmd/#', { qos: 1 }, resolve));
  const closed = new Promise<void>((resolve) => watcher.once('close', () => resolve()));
  watcher.publish('outpost/v1/site1/d1/cmd/reset', 'now', { qos: 1 });
  await closed; // an operator's command is refused
  const admin = await connectDevice(tb.mqttPort, 'user:admin', 'test-admin-pw');
  await publish(admin, 'outpost/v1/site1/d1/cmd/reset', 'now');
  await until(() => cmds.includes('outpost/v1/site1/d1/cmd/reset now'), 3000, 'command delivered');
  assert.equal(cmds.length, 1);
  // People do not forge telemetry: the publish is refused and the connection dropped.
  const adminClosed = new Promise<void>((resolve) => admin.once('close', () => resolve()));
  admin.publish(topic('d1'), JSON.stringify({ values: { vib: 1 } }), { qos: 1 });
  await adminClosed;
  watcher.end(true); admin.end(true);
  await endClient(d1);
});
