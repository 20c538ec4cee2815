// Anomaly rules end to end: a point learns its own normal over real MQTT, a reading far outside it raises an alarm and a work order.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startBox, connectDevice, login, until, publish, topic, endClient, TEST_PROFILE, type TestBox } from './helpers.ts';

let tb: TestBox;
before(async () => { tb = await startBox(); });
after(async () => { await tb.stop(); });

const MIN = 60_000;
const wobble = (i: number) => ((i * 7919) % 13) / 13 - 0.5;

test('an anomaly rule stays quiet while a point learns its normal, raises on a reading far outside it, and keeps other rules working', async () => {
  const api = await login(tb.httpUrl);
  const profile = { ...TEST_PROFILE, rules: [...TEST_PROFILE.rules, { kind: 'anomaly', type: 'temp_anomaly', point: 'temp', severity: 'MINOR', ticket: { minSeverity: 'MINOR' } }] };
  const put = await api.put('/api/v1/profiles/test-pump', { name: profile.name, points: profile.points, rules: profile.rules });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.rules.at(-1).kind, 'anomaly');

  const dev = await connectDevice(tb.mqttPort, 'd1');
  const base = Date.now() - 400 * MIN;
  // 300 minutes of a steady bearing around 60 °C with a slow swing: the detector's warm-up and its normal.
  const normal = (m: number) => 60 + 3 * Math.sin(m / 40) + wobble(m);
  for (let m = 0; m < 300; m++) await publish(dev, topic('d1'), { ts: base + m * MIN, values: { temp: normal(m) } });
  await new Promise((r) => setTimeout(r, 200));
  const quiet = (await api.get('/api/v1/alarms?active=true')).body.filter((a: { type: string }) => a.type === 'temp_anomaly');
  assert.equal(quiet.length, 0, 'no anomaly alarm on the normal swing');

  // 75 °C: below the 80 °C threshold rule, far outside this bearing's own normal.
  await publish(dev, topic('d1'), { ts: base + 300 * MIN, values: { temp: 75 } });
  const alarm = await until(async () => (await api.get('/api/v1/alarms?active=true')).body.find((a: { type: string }) => a.type === 'temp_anomaly'), 5000, 'anomaly alarm');
  assert.equal(alarm.severity, 'MINOR');
  assert.equal(alarm.ruleKind, 'anomaly');
  assert.equal(alarm.details.value, 75);
  assert.ok(alarm.details.score >= alarm.details.threshold);
  await until(async () => (await api.get('/api/v1/tickets?open=true')).body.find((t: { alarmType: string }) => t.alarmType === 'temp_anomaly'), 5000, 'work order from the anomaly');
  const others = (await api.get('/api/v1/alarms?active=true')).body.filter((a: { type: string }) => a.type === 'overheat');
  assert.equal(others.length, 0, 'the threshold rule did not fire below its limit');

  // Back to normal for longer than clearAfterS (900 s): the alarm clears itself.
  for (let m = 301; m < 320; m++) await publish(dev, topic('d1'), { ts: base + m * MIN, values: { temp: normal(m) } });
  await until(async () => (await api.get(`/api/v1/alarms/${alarm.id}`)).body.status.startsWith('CLEARED') || undefined, 5000, 'anomaly alarm cleared');
  await endClient(dev);
});
