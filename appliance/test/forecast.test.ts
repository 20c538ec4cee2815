// Trend to threshold end to end: an hour of bearing drift over real MQTT opens a preventive work order before any threshold alarm.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startBox, connectDevice, login, until, publish, topic, endClient, tempDir, TEST_PROFILE, type TestBox } from './helpers.ts';

let tb: TestBox;
before(async () => { tb = await startBox(); });
after(async () => { await tb.stop(); });

const MIN = 60_000;
const wobble = (i: number) => ((i * 7919) % 13) / 13 - 0.5;

test('an hour of slow drift opens a preventive work order with the forecast chart and predicted date; the threshold alarm comes later', async () => {
  const api = await login(tb.httpUrl);
  // Lead time 2 h on a 1 h window, against the overheat rule's lowest level (MAJOR above 80).
  const profile = { ...TEST_PROFILE, rules: [...TEST_PROFILE.rules, { kind: 'forecast', type: 'overheat_forecast', point: 'temp', of: 'overheat', leadTimeS: 7200, windowS: 3600, severity: 'MINOR', ticket: { minSeverity: 'MINOR' } }] };
  const put = await api.put('/api/v1/profiles/test-pump', { name: profile.name, points: profile.points, rules: profile.rules });
  assert.equal(put.status, 200, JSON.stringify(put.body));

  const dev = await connectDevice(tb.mqttPort, 'd1');
  const flat = await connectDevice(tb.mqttPort, 'd2');
  // Two hours ago the bearing starts to drift, 50 °C +0.3 °C/min (+18 °C/h), readings a minute apart (device timestamps).
  const base = Date.now() - 120 * MIN;
  const at = (m: number) => base + m * MIN;
  const temp = (m: number) => 50 + 0.3 * m + wobble(m);
  for (let m = 0; m <= 60; m++) {
    await publish(dev, topic('d1'), { ts: at(m), values: { temp: temp(m) } });
    await publish(flat, topic('d2'), { ts: at(m), values: { temp: 60 + wobble(m + 3) } });
  }
  // At this pace the trend reaches 80 °C at minute 100; the window (1 h) is judged once half full, at minute 30.
  const ticket = await until(async () => (await api.get('/api/v1/tickets?open=true')).body.find((t: { alarmType: string }) => t.alarmType === 'overheat_forecast'), 5000, 'preventive work order');
  assert.equal(ticket.assetId, 'a1');
  assert.equal(ticket.priority, 'MINOR');
  assert.match(ticket.title, /^Preventive: overheat predicted on Pump A1/);
  const predictedMin = (ticket.predictedTs - base) / MIN;
  assert.ok(Math.abs(predictedMin - 100) < 8, `predicted crossing at minute ${predictedMin.toFixed(1)}, want about 100`);

  const detail = (await api.get(`/api/v1/tickets/${ticket.id}`)).body;
  assert.equal(detail.ticket.predictedTs, ticket.predictedTs);
  const fc = detail.evidence.forecast;
  assert.equal(fc.limit, 80);
  assert.ok(fc.earlyTs <= fc.predictedTs && fc.predictedTs <= fc.lateTs, 'the band brackets the central estimate');
  assert.ok(fc.earlyTs - fc.ts <= 7200_000, 'the early edge is inside the 2 h lead time');
  assert.ok(fc.series.values.length >= 10, 'the data the trend was fitted on');
  assert.equal(fc.trend.ts.length, fc.trend.mid.length);
  assert.ok(fc.trend.ts.at(-1) >= fc.predictedTs, 'the trend line reaches the predicted crossing');
  assert.equal(detail.evidence.series[0].point, 'temp');

  const active = (await api.get('/api/v1/alarms?active=true')).body;
  assert.equal(active.filter((a: { type: string }) => a.type === 'overheat').length, 0, 'no threshold alarm yet');
  assert.equal(active.filter((a: { deviceId: string; type: string }) => a.deviceId === 'd2' && a.type === 'overheat_forecast').length, 0, 'a flat point predicts nothing');

  // The drift doubles its pace (+0.6 °C/min from minute 60): the prediction moves earlier and the work order follows it.
  const faster = (m: number) => temp(60) + 0.6 * (m - 60) + wobble(m);
  for (let m = 61; m <= 75; m++) await publish(dev, topic('d1'), { ts: at(m), values: { temp: faster(m) } });
  const moved = await until(async () => { const d = (await api.get(`/api/v1/tickets/${ticket.id}`)).body; return d.ticket.predictedTs < ticket.predictedTs - 5 * MIN && d; }, 5000, 'prediction moved earlier');
  assert.ok(moved.events.some((e: { kind: string }) => e.kind === 'forecast_updated'), 'the move is in the timeline');
  assert.ok(moved.evidence.forecast.ts > fc.ts, 'with the newer chart');

  // It goes on past 80 °C (about minute 80): the threshold alarm and its own work order follow.
  for (let m = 76; m <= 90; m++) await publish(dev, topic('d1'), { ts: at(m), values: { temp: faster(m) } });
  const corrective = await until(async () => (await api.get('/api/v1/tickets?open=true')).body.find((t: { alarmType: string }) => t.alarmType === 'overheat'), 5000, 'threshold work order');
  const overheat = (await api.get(`/api/v1/alarms/${corrective.alarmId}`)).body;
  assert.ok((overheat.details.ts - fc.ts) / MIN > 45, 'the preventive ticket came more than 45 minutes (device time) before the threshold alarm');
  assert.ok(corrective.createdTs >= ticket.createdTs);
  // Past the limit the prediction has come true: the preventive work order keeps the forecast made before it.
  const kept = (await api.get(`/api/v1/tickets/${ticket.id}`)).body;
  for (let m = 91; m <= 110; m++) await publish(dev, topic('d1'), { ts: at(m), values: { temp: faster(m) } });
  const later = (await api.get(`/api/v1/tickets/${ticket.id}`)).body;
  assert.equal(later.ticket.predictedTs, kept.ticket.predictedTs);
  assert.equal(later.events.filter((e: { kind: string }) => e.kind === 'forecast_updated').length, kept.events.filter((e: { kind: string }) => e.kind === 'forecast_updated').length);
  assert.ok(later.evidence.forecast.trendNow < 80, 'the evidence is the forecast from before the crossing');
  await Promise.all([endClient(dev), endClient(flat)]);
});

test('after a restart the forecast starts from the stored window, not from nothing', async () => {
  const { dir, cleanup } = tempDir();
  const forecastRule = { kind: 'forecast', type: 'overheat_forecast', point: 'temp', of: 'overheat', leadTimeS: 7200, windowS: 3600, severity: 'MINOR', ticket: { minSeverity: 'MINOR' } };
  const base = Date.now() - 60 * MIN;
  const first = await startBox({ dir });
  const api1 = await login(first.httpUrl);
  await api1.put('/api/v1/profiles/test-pump', { name: TEST_PROFILE.name, points: TEST_PROFILE.points, rules: [...TEST_PROFILE.rules, forecastRule] });
  const dev1 = await connectDevice(first.mqttPort, 'd1');
  // 25 minutes of drift: the hour's window is not half full yet, so nothing is judged.
  for (let m = 0; m <= 25; m++) await publish(dev1, topic('d1'), { ts: base + m * MIN, values: { temp: 50 + 0.3 * m + wobble(m) } });
  await endClient(dev1);
  await first.stop();

  const second = await startBox({ dir });
  try {
    const api2 = await login(second.httpUrl);
    const dev2 = await connectDevice(second.mqttPort, 'd1');
    // Ten more minutes: only with the stored 25 is the window half full.
    for (let m = 26; m <= 35; m++) await publish(dev2, topic('d1'), { ts: base + m * MIN, values: { temp: 50 + 0.3 * m + wobble(m) } });
    const t = await until(async () => (await api2.get('/api/v1/tickets?open=true')).body.find((x: { alarmType: string }) => x.alarmType === 'overheat_forecast'), 5000, 'preventive work order after restart');
    assert.ok(Math.abs((t.predictedTs - base) / MIN - 100) < 10);
    await endClient(dev2);
  } finally {
    await second.stop();
    cleanup();
  }
});
