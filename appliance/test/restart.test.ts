// A restart keeps everything: readings, latest values, active alarms (which still clear), tickets and their trail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../src/core/index.ts';
import { startBox, tempDir, connectDevice, login, until, sendSeries, endClient, publish, topic } from './helpers.ts';

test('data, alarms and tickets survive a restart, and the alarm still clears after it', async () => {
  const { dir, cleanup } = tempDir();
  const first = await startBox({ dir });
  let api = await login(first.httpUrl);
  let dev = await connectDevice(first.mqttPort, 'd1');
  await sendSeries(dev, 'd1', 'temp', [[60, 70], [40, 85], [5, 86]]);
  const alarm = await until(async () => (await api.get('/api/v1/alarms?active=true')).body.find((a: { type: string }) => a.type === 'overheat'), 5000, 'alarm');
  const ticket = await until(async () => (await api.get('/api/v1/tickets?open=true')).body[0], 5000, 'ticket');
  await api.post(`/api/v1/tickets/${ticket.id}/transition`, { to: 'assigned', note: 'Li Wei' });
  await publish(dev, topic('d1'), '{"values": {"temp": "broken"}}');
  await endClient(dev);
  await first.stop();

  const second = await startBox({ dir });
  api = await login(second.httpUrl);
  const d1 = (await api.get('/api/v1/devices/d1')).body;
  assert.equal(d1.points.find((p: { key: string }) => p.key === 'temp').value, 86, 'latest value restored');
  assert.equal(d1.rejected, 1, 'reject count restored');
  assert.equal(d1.rejects[0].code, 'OUTPOST_VALUE_NOT_NUMBER');
  assert.equal(d1.status, 'offline', 'nobody is connected to a freshly started broker');
  const history = (await api.get(`/api/v1/devices/d1/readings?point=temp&from=${Date.now() - 120_000}`)).body;
  assert.deepEqual(history.values, [70, 85, 86]);
  const again = (await api.get(`/api/v1/alarms/${alarm.id}`)).body;
  assert.equal(again.status, 'ACTIVE_UNACK');
  const t = (await api.get(`/api/v1/tickets/${ticket.id}`)).body;
  assert.equal(t.ticket.status, 'assigned');
  assert.deepEqual(t.events.map((e: { kind: string; to: string | null }) => `${e.kind}:${e.to}`), ['opened:new', 'status:assigned']);

  dev = await connectDevice(second.mqttPort, 'd1');
  await sendSeries(dev, 'd1', 'temp', [[0, 50]]);
  await until(async () => (await api.get(`/api/v1/alarms/${alarm.id}`)).body.status === 'CLEARED_UNACK', 5000, 'clear after restart');
  assert.equal((await api.get('/api/v1/alarms?active=true')).body.filter((a: { type: string }) => a.type === 'overheat').length, 0);
  await endClient(dev);
  await second.stop();
  cleanup();
});

test('a fix being verified when the box restarts keeps the readings it already had', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  // Three readings prove the fix; two arrive before the restart, one after: only a resumed hold sees three.
  // The hold ends when the (manual) clock says so, not when a slow restart on a busy machine happens to finish.
  const overrides = { verify: { holdS: 60, minReadings: 3, tickMs: 50 } };
  const clock = manualClock(Date.now());
  const first = await startBox({ dir, overrides, clock });
  t.after(() => first.stop());
  let api = await login(first.httpUrl);
  let dev = await connectDevice(first.mqttPort, 'd1');
  await sendSeries(dev, 'd1', 'temp', [[60, 90], [30, 90], [0, 90]]);
  const ticket = await until(async () => (await api.get('/api/v1/tickets?open=true')).body[0], 5000, 'ticket');
  clock.set(Date.now()); // sign-off happens after the overheat readings, as it would in real time
  for (const to of ['in_progress', 'resolved']) await api.post(`/api/v1/tickets/${ticket.id}/transition`, { to });
  await until(async () => (await api.get(`/api/v1/tickets/${ticket.id}`)).body.ticket.status === 'verifying', 2000, 'verifying');
  await publish(dev, topic('d1'), { ts: Date.now() + 1, values: { temp: 60 } });
  await publish(dev, topic('d1'), { ts: Date.now() + 2, values: { temp: 61 } });
  await endClient(dev);
  await first.stop();

  const second = await startBox({ dir, overrides, clock });
  t.after(() => second.stop());
  api = await login(second.httpUrl);
  dev = await connectDevice(second.mqttPort, 'd1');
  t.after(() => endClient(dev));
  await publish(dev, topic('d1'), { ts: Date.now(), values: { temp: 62 } });
  await until(() => (second.box.db.prepare("SELECT COUNT(*) AS n FROM readings r JOIN points p ON p.id = r.point_id WHERE p.key = 'temp' AND r.value = 62").get() as { n: number }).n === 1, 5000, 'third reading stored');
  clock.advance(61_000);
  const d = await until(async () => { const b = (await api.get(`/api/v1/tickets/${ticket.id}`)).body; return b.ticket.status !== 'verifying' ? b : null; }, 8000, 'verdict');
  assert.equal(d.ticket.status, "closed", JSON.stringify(d.events.slice(-3)));
  assert.equal(d.events.at(-1).data.readings, 3);
});
