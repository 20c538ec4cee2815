// A restart keeps everything: readings, latest values, active alarms (which still clear), tickets and their trail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
