// The demo factory on a fresh box: its simulator (own process, real MQTT) overheats the pump and a work order appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOutpost } from '../../appliance/src/outpost.ts';
import { tempDir, login, until } from '../../appliance/test/helpers.ts';
import { pump } from './physics.ts';

test('physics: the pump bearing is normal for a minute, then drifts slowly past 80 °C after about 4 minutes', () => {
  assert.ok(pump(30).bearing_temp < 56);
  assert.ok(pump(100).bearing_temp < 62);
  assert.ok(pump(215).bearing_temp < 80);
  assert.ok(pump(240).bearing_temp > 80);
});

test('a fresh box runs the demo site until a real device exists, and the pump overheat opens a work order', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const box = createOutpost({ dataDir: dir, http: { port: 0, host: '127.0.0.1' }, mqtt: { port: 0, host: '127.0.0.1' }, demo: { speedup: 20 }, log: { level: 'silent' }, auth: { adminPassword: 'demo-admin-pw' } }, { env: {} });
  t.after(() => box.stop()); // a failed assertion must not leave the box (and its simulator) running
  const { httpUrl } = await box.start();
  const api = await login(httpUrl, 'admin', 'demo-admin-pw');
  const sites = (await api.get('/api/v1/sites')).body;
  assert.equal(sites[0].id, 'demo-plant');
  await until(async () => (await api.get('/api/v1/devices')).body.every((d: { status: string }) => d.status === 'online'), 10_000, 'demo devices online');
  const ticket = await until(async () => (await api.get('/api/v1/tickets?open=true')).body.find((t: { alarmType: string }) => t.alarmType === 'bearing_overheat'), 30_000, 'pump work order');
  assert.equal(ticket.assetId, 'pump-p101');
  assert.equal(ticket.priority, 'MAJOR');
  // The drift was seen coming: a preventive work order, opened before the threshold alarm, predicting the crossing.
  const preventive = (await api.get('/api/v1/tickets?open=true')).body.find((t: { alarmType: string }) => t.alarmType === 'bearing_overheat_forecast');
  assert.ok(preventive, 'a preventive work order for the bearing');
  const overheat = (await api.get(`/api/v1/alarms/${ticket.alarmId}`)).body;
  assert.ok(preventive.createdTs < overheat.startTs, 'the preventive work order came before the threshold alarm');
  assert.ok(preventive.predictedTs > preventive.createdTs, 'with the predicted crossing ahead of it');
  assert.ok((await api.get(`/api/v1/tickets/${preventive.id}`)).body.evidence.forecast.trend.mid.length > 10, 'and the forecast chart as evidence');
  const detail = (await api.get(`/api/v1/tickets/${ticket.id}`)).body;
  const temps = detail.evidence.series.find((s: { point: string }) => s.point === 'bearing_temp').values as number[];
  assert.ok(temps.length > 20 && temps[0] < 60 && temps.at(-1)! > 80, 'evidence shows the climb from normal to overheated');
  // The pump's vibration point carries its ISO 10816-3 zone (group 2, rigid: 2.1-2.9 mm/s is zone B, C from 2.8).
  const monitor = (await api.get('/api/v1/devices/pump-p101-cm')).body;
  assert.match(monitor.points.find((p: { key: string }) => p.key === 'vibration').zone, /^[BC]$/);
  assert.equal(monitor.points.find((p: { key: string }) => p.key === 'bearing_temp').zone, null);
  // The demo roster dispatches it on its own (who depends on the hour in Shanghai; someone is always on call).
  const roster = ['eng-li', 'eng-wang', 'eng-zhang', 'eng-chen'];
  const dispatched = await until(async () => (await api.get(`/api/v1/tickets/${ticket.id}`)).body.events.find((e: { kind: string; actor: string }) => e.kind === 'assigned' && e.actor === 'dispatch'), 10_000, 'dispatched');
  assert.ok(roster.includes(dispatched.data.engineerId), dispatched.data.engineerId);
  assert.ok(dispatched.data.why.factors.skill.share > 0, 'with the reasons');
  assert.equal(dispatched.data.why.part.sku, 'BRG-6205-2RS', 'the bearing is held for the job');
  // Each demo engineer has an engineer-app login while the demo runs.
  const me = (await (await login(httpUrl, 'li.wei', 'demo-engineer')).get('/api/v1/me/engineer')).body;
  assert.equal(me.id, 'eng-li');
  const ov = (await api.get('/api/v1/sites/demo-plant/overview')).body;
  assert.equal(ov.assets.find((a: { id: string }) => a.id === 'pump-p101').state, 'alarm');
  assert.equal(ov.assets.find((a: { id: string }) => a.id === 'chiller-ch1').state, 'ok');
  await box.stop();

  // A real device is configured: the next start runs no demo.
  const again = createOutpost({ dataDir: dir, http: { port: 0, host: '127.0.0.1' }, mqtt: { port: 0, host: '127.0.0.1' }, log: { level: 'silent' } }, { env: {} });
  again.registry.load();
  await again.registry.addDevice({ id: 'meter-1', siteId: 'demo-plant', profileId: 'chiller-controller', name: 'Real meter', password: 'real-meter-pw' });
  t.after(() => again.stop());
  const up = await again.start();
  // Stopping the box is not the devices' fault: the simulator's last wills left no offline alarms behind.
  assert.deepEqual(again.alarms.active().filter((a) => a.type === 'device_offline'), []);
  const health = await (await fetch(`${up.httpUrl}/healthz`)).json();
  assert.equal(health.demo, false);
  // The demo's logins went with it, and its people are no longer dispatched to.
  await assert.rejects(login(up.httpUrl, 'li.wei', 'demo-engineer'), /401/);
  assert.equal(again.roster.get('eng-li')?.active, false);
});
