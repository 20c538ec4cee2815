// Scheduled maintenance through the API: a plan per asset type, run time from real MQTT readings, the due work order.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startBox, connectDevice, login, until, publish, topic, endClient, type TestBox } from './helpers.ts';

let tb: TestBox;
before(async () => { tb = await startBox(); });
after(async () => { await tb.stop(); });

test('an admin sets a pump plan; an hour of running over MQTT brings the regrease due as a work order', async () => {
  const api = await login(tb.httpUrl);
  const bad = await api.put('/api/v1/maintenance/plans/pump', { tasks: [{ id: 'regrease', title: 'Bearing regrease', everyRunH: 1 }] });
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /needs "running"/);
  const put = await api.put('/api/v1/maintenance/plans/pump', { running: { point: 'vib', above: 1 }, tasks: [{ id: 'regrease', title: 'Bearing regrease', everyRunH: 1, everyDays: 182 }] });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal((await api.get('/api/v1/maintenance/plans')).body[0].assetType, 'pump');
  tb.box.usage.tick();

  const dev = await connectDevice(tb.mqttPort, 'd1');
  const start = Date.now() - 65 * 60_000;
  for (let m = 0; m <= 62; m += 2) await publish(dev, topic('d1'), { ts: start + m * 60_000, values: { vib: 2.2 } });
  await until(async () => (await api.get('/api/v1/assets/a1/maintenance')).body.usage.runH >= 1, 5000, 'an hour counted');
  const [t] = tb.box.usage.tick();
  assert.equal(t.alarmType, 'maintenance_regrease');
  const detail = (await api.get(`/api/v1/tickets/${t.id}`)).body;
  assert.equal(detail.evidence.kind, 'schedule');
  assert.deepEqual(detail.evidence.reasons, ['1 run hours (every 1)']);
  assert.ok(detail.ticket.predictedTs > 0);
  const m = (await api.get('/api/v1/assets/a1/maintenance')).body;
  assert.equal(m.tasks[0].ticketId, t.id);
  assert.ok(m.tasks[0].progress.runH >= 1);
  assert.equal((await api.get('/api/v1/assets/a2/maintenance')).body.usage.runH, 0, 'the other pump has not run');
  await endClient(dev);
});
