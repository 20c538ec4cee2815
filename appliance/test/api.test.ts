// The HTTP API as an operator and an admin use it: login, roles, alarm ack/clear, ticket moves, health, metrics, OpenAPI, live events.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startBox, connectDevice, login, until, sendSeries, endClient, type TestBox } from './helpers.ts';

let tb: TestBox;
before(async () => { tb = await startBox(); });
after(async () => { await tb.stop(); });

test('health and metrics need no login; the API does', async () => {
  const h = await fetch(`${tb.httpUrl}/healthz`);
  assert.equal(h.status, 200);
  assert.equal((await h.json()).status, 'ok');
  const m = await (await fetch(`${tb.httpUrl}/metrics`)).text();
  for (const name of ['outpost_readings_ingested_total', 'outpost_readings_rejected_total', 'outpost_alarms_raised_total', 'outpost_tickets_opened_total', 'outpost_alarm_latency_seconds_bucket', 'outpost_database_bytes']) {
    assert.ok(m.includes(name), `${name} in /metrics`);
  }
  assert.match(m, /outpost_database_bytes [1-9]\d+/);
  const r = await fetch(`${tb.httpUrl}/api/v1/alarms`);
  assert.equal(r.status, 401);
  assert.equal((await r.json()).code, 'OUTPOST_AUTH_REQUIRED');
  const spec = await (await fetch(`${tb.httpUrl}/api/v1/openapi.json`)).json();
  assert.equal(spec.openapi.slice(0, 1), '3');
  assert.ok(spec.paths['/api/v1/tickets/{id}/transition'], 'routes are in the OpenAPI document');
});

test('wrong credentials get a coded 401 and are counted', async () => {
  const r = await fetch(`${tb.httpUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'guess-guess' }) });
  assert.equal(r.status, 401);
  assert.equal((await r.json()).code, 'OUTPOST_AUTH_INVALID');
  assert.match(await (await fetch(`${tb.httpUrl}/metrics`)).text(), /outpost_auth_failures_total 1/);
});

test('an operator works alarms and tickets but cannot add devices or users', async () => {
  const admin = await login(tb.httpUrl);
  assert.equal((await admin.post('/api/v1/users', { username: 'op1', password: 'operator-pw-1', role: 'operator' })).status, 201);
  const op = await login(tb.httpUrl, 'op1', 'operator-pw-1');
  assert.deepEqual((await op.get('/api/v1/auth/me')).body, { username: 'op1', role: 'operator' });
  const denied = await op.post('/api/v1/devices', { id: 'd9', siteId: 'site1', profileId: 'test-pump', name: 'x', password: 'abcdefgh' });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.code, 'OUTPOST_FORBIDDEN');
  const made = await admin.post('/api/v1/devices', { id: 'd9', siteId: 'site1', assetId: 'a2', profileId: 'test-pump', name: 'New meter', password: 'd9-password' });
  assert.equal(made.status, 201);
  const d9 = await connectDevice(tb.mqttPort, 'd9', 'd9-password');
  await endClient(d9);

  const dev = await connectDevice(tb.mqttPort, 'd2');
  await sendSeries(dev, 'd2', 'vib', [[0, 7]]);
  const alarm = await until(async () => (await op.get('/api/v1/alarms?active=true')).body.find((a: { type: string; deviceId: string }) => a.type === 'vib_warn' && a.deviceId === 'd2'), 3000, 'vib alarm');
  assert.equal((await op.post(`/api/v1/alarms/${alarm.id}/ack`)).body.status, 'ACTIVE_ACK');
  const again = await op.post(`/api/v1/alarms/${alarm.id}/ack`);
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'OUTPOST_ALARM_TRANSITION');
  assert.equal((await op.post(`/api/v1/alarms/${alarm.id}/clear`)).body.status, 'CLEARED_ACK');
  // Cleared by hand while still vibrating: the rule starts over and raises a fresh alarm.
  await sendSeries(dev, 'd2', 'vib', [[-1, 7.5]]);
  const fresh = await until(async () => (await op.get('/api/v1/alarms?active=true')).body.find((a: { type: string; deviceId: string }) => a.type === 'vib_warn' && a.deviceId === 'd2'), 3000, 'fresh alarm');
  assert.notEqual(fresh.id, alarm.id);
  assert.equal(fresh.severity, 'WARNING');
  assert.equal((await op.get('/api/v1/tickets')).body.filter((t: { alarmType: string }) => t.alarmType === 'vib_warn').length, 0, 'WARNING is below the ticket policy');

  await sendSeries(dev, 'd2', 'temp', [[50, 90], [10, 91]]);
  const ticket = await until(async () => (await op.get('/api/v1/tickets?open=true')).body.find((t: { assetId: string }) => t.assetId === 'a2'), 3000, 'ticket');
  assert.deepEqual((await op.get(`/api/v1/tickets/${ticket.id}`)).body.moves, ['assigned', 'in_progress', 'cancelled']);
  for (const to of ['assigned', 'in_progress', 'resolved']) {
    const r = await op.post(`/api/v1/tickets/${ticket.id}/transition`, { to, note: `to ${to}` });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  // An alarm's work order goes on to be verified from live data; the operator may close it without waiting.
  await until(async () => (await op.get(`/api/v1/tickets/${ticket.id}`)).body.ticket.status === 'verifying', 2000, 'verifying');
  assert.equal((await op.post(`/api/v1/tickets/${ticket.id}/transition`, { to: 'closed', note: 'to closed' })).status, 200);
  const bad = await op.post(`/api/v1/tickets/${ticket.id}/transition`, { to: 'in_progress' });
  assert.equal(bad.status, 409);
  assert.equal(bad.body.code, 'OUTPOST_TICKET_TRANSITION');
  const trail = (await op.get(`/api/v1/tickets/${ticket.id}`)).body.events;
  assert.deepEqual(trail.map((e: { from: string; to: string; actor: string }) => `${e.from}>${e.to}@${e.actor}`),
    ['null>new@system', 'new>assigned@op1', 'assigned>in_progress@op1', 'in_progress>resolved@op1', 'resolved>verifying@system', 'verifying>closed@op1']);
  assert.equal((await op.get('/api/v1/tickets?open=true')).body.filter((t: { assetId: string }) => t.assetId === 'a2').length, 0);
  const outbox = tb.box.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE topic = ?").get(`ticket/${ticket.id}`) as { n: number };
  assert.equal(outbox.n, 6, 'every ticket change is queued for the central desk');
  await endClient(dev);
});

test('the overview colours assets by their alarms, and live events stream readings and alarms', async () => {
  const api = await login(tb.httpUrl);
  const ctrl = new AbortController();
  const res = await fetch(`${tb.httpUrl}/api/v1/events`, { headers: { cookie: api.cookie }, signal: ctrl.signal });
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const reader = res.body!.getReader();
  let text = '';
  const dev = await connectDevice(tb.mqttPort, 'd1');
  await sendSeries(dev, 'd1', 'vib', [[0, 9]]);
  await until(async () => {
    const { value } = await reader.read();
    text += new TextDecoder().decode(value);
    return text.includes('event: alarm') && text.includes('event: reading');
  }, 3000, 'SSE events');
  ctrl.abort();
  const ov = (await api.get('/api/v1/sites/site1/overview')).body;
  const a1 = ov.assets.find((a: { id: string }) => a.id === 'a1');
  assert.equal(a1.state, 'alarm');
  assert.equal(a1.severity, 'WARNING');
  assert.equal(a1.devices[0].status, 'online');
  await endClient(dev);
});

test('an admin defines a profile; a bad one is refused with each problem named', async () => {
  const admin = await login(tb.httpUrl);
  const good = {
    name: 'Boiler', points: [{ key: 'pressure', name: 'Pressure', unit: 'bar', min: 0, max: 40 }],
    rules: [{ kind: 'threshold', type: 'pressure_high', point: 'pressure', levels: [{ severity: 'CRITICAL', above: 30, forS: 5 }], ticket: { minSeverity: 'MAJOR' } }],
  };
  const ok = await admin.put('/api/v1/profiles/boiler', good);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.ok((await admin.get('/api/v1/profiles')).body.some((p: { id: string }) => p.id === 'boiler'));
  const bad = await admin.put('/api/v1/profiles/boiler', { ...good, rules: [{ ...good.rules[0], point: 'temperature' }] });
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /point "temperature" is not declared/);
  const shape = await admin.put('/api/v1/profiles/boiler', { ...good, rules: [{ kind: 'magic', type: 'x' }] });
  assert.equal(shape.status, 400);
  assert.equal(shape.body.code, 'OUTPOST_BAD_REQUEST');
});

test('the live stream ends when its session is logged out', async () => {
  const api = await login(tb.httpUrl);
  const res = await fetch(`${tb.httpUrl}/api/v1/events`, { headers: { cookie: api.cookie } });
  const reader = res.body!.getReader();
  await reader.read(); // the stream is open
  await api.post('/api/v1/auth/logout');
  const t0 = Date.now();
  for (;;) { const { done } = await reader.read(); if (done) break; }
  assert.ok(Date.now() - t0 < 7000, 'ended within the session check interval');
  assert.equal((await api.get('/api/v1/auth/me')).status, 401);
});

test('an admin builds the site model through the API: site, zone, asset, device', async () => {
  const admin = await login(tb.httpUrl);
  assert.equal((await admin.put('/api/v1/sites/plant2', { name: '二号厂', timezone: 'Asia/Shanghai' })).status, 200);
  const badTz = await admin.put('/api/v1/sites/plant3', { name: 'x', timezone: 'Mars/Olympus' });
  assert.equal(badTz.status, 400);
  assert.match(badTz.body.message, /time zone/);
  assert.equal((await admin.put('/api/v1/zones/boiler-room', { siteId: 'plant2', name: 'Boiler room' })).status, 200);
  const orphan = await admin.put('/api/v1/zones/z9', { siteId: 'nowhere', name: 'x' });
  assert.equal(orphan.status, 404);
  assert.equal((await admin.put('/api/v1/assets/boiler-b1', { siteId: 'plant2', zoneId: 'boiler-room', name: 'Boiler B1', type: 'boiler', criticality: 3 })).status, 200);
  const dev = await admin.post('/api/v1/devices', { id: 'b1-ctl', siteId: 'plant2', assetId: 'boiler-b1', profileId: 'test-pump', name: 'B1 controller', password: 'b1-controller-pw' });
  assert.equal(dev.status, 201);
  const dup = await admin.post('/api/v1/devices', { id: 'b1-ctl', siteId: 'plant2', profileId: 'test-pump', name: 'again', password: 'b1-controller-pw' });
  assert.equal(dup.status, 409);
  const ov = (await admin.get('/api/v1/sites/plant2/overview')).body;
  assert.deepEqual(ov.zones.map((z: { id: string }) => z.id), ['boiler-room']);
  assert.deepEqual(ov.assets[0].devices.map((d: { id: string }) => d.id), ['b1-ctl']);
  const op = await login(tb.httpUrl, 'op1', 'operator-pw-1');
  assert.equal((await op.put('/api/v1/sites/plant2', { name: 'hijack', timezone: 'UTC' })).status, 403);
});
