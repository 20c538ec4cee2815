// Smart dispatch on a real box: alarm -> ticket -> the right engineer with the reasons in the trail; decline,
// no answer, override; the part reserved on dispatch, consumed on sign-off, the store's low-stock alarm.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startBox, connectDevice, login, until, sendSeries, endClient, TEST_PROFILE, type TestBox } from './helpers.ts';

let tb: TestBox;
let admin: Awaited<ReturnType<typeof login>>;
const ALL_WEEK = [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' }];

before(async () => {
  tb = await startBox();
  const r = tb.box.registry;
  // The test pump's overheat goes to mechanics here.
  r.upsertProfile({ ...TEST_PROFILE, rules: TEST_PROFILE.rules.map((x) => (x.type === 'overheat' ? { ...x, ticket: { minSeverity: 'MAJOR', category: 'mechanical' } } : x)) });
  r.upsertZone({ id: 'z2', siteId: 'site1', name: 'Workshop' });
  r.upsertZone({ id: 'z3', siteId: 'site1', name: 'Store room' });
  admin = await login(tb.httpUrl);
  // z1 -5- z2 -2- z3, and a long corridor z1 -10- z3 (the walk via z2 is shorter).
  const map = await admin.put('/api/v1/sitemap/site1', { links: [{ a: 'z1', b: 'z2', minutes: 5 }, { a: 'z3', b: 'z2', minutes: 2 }, { a: 'z1', b: 'z3', minutes: 10 }] });
  assert.equal(map.status, 200, JSON.stringify(map.body));
  const sm = (await admin.get('/api/v1/sitemap?siteId=site1')).body;
  assert.equal(sm.minutes.z1.z3, 7, 'shortest walk z1 -> z3 goes through the workshop');

  const put = async (id: string, body: Record<string, unknown>) => {
    const res = await admin.put(`/api/v1/engineers/${id}`, { siteId: 'site1', role: 'engineer', ...body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  await admin.put('/api/v1/parts/BRG-6205', { nameEn: 'Bearing 6205-2RS', nameZh: '轴承 6205-2RS', lowStock: 1, fits: { assetTypes: ['pump'], alarmTypes: ['overheat'] } });
  await admin.put('/api/v1/stores/main', { siteId: 'site1', kind: 'site', name: 'Main store', zoneId: 'z3' });
  await admin.put('/api/v1/stores/van-alice', { siteId: 'site1', kind: 'van', name: "Alice's van", engineerId: 'alice' });
  assert.equal((await admin.put('/api/v1/stock/main/BRG-6205', { qty: 2 })).status, 200);
  assert.equal((await admin.put('/api/v1/stock/van-alice/BRG-6205', { qty: 1 })).status, 200);

  // Alice: 5 min away but the bearing is in her van. Bob: on the spot, no van. Carol: a plumber. Dave: senior, no rota.
  await put('alice', { name: 'Alice', username: 'alice', profile: { skills: [{ trade: 'mechanical', level: 2 }], zones: ['z2', 'z1'], shifts: ALL_WEEK, vanStoreId: 'van-alice' } });
  await put('bob', { name: 'Bob', profile: { skills: [{ trade: 'mechanical', level: 2 }], zones: ['z1'], shifts: ALL_WEEK } });
  await put('carol', { name: 'Carol', profile: { skills: [{ trade: 'plumbing', level: 3 }], zones: ['z1'], shifts: ALL_WEEK } });
  await put('dave', { name: 'Dave', profile: { skills: [{ trade: 'mechanical', level: 3 }], zones: ['z1'] } });
  await tb.box.auth.addUser('alice', 'alice-secret-pw', 'engineer');
});
after(async () => { await tb.stop(); });

const detail = async (id: string) => (await admin.get(`/api/v1/tickets/${id}`)).body;

test('a bad profile is refused with a coded error', async () => {
  const res = await admin.put('/api/v1/engineers/eve', { siteId: 'site1', role: 'engineer', name: 'Eve', profile: { shifts: [{ days: [8], from: '08:00', to: '17:00' }] } });
  assert.equal(res.status, 400);
  assert.equal(res.body.code, 'OUTPOST_BAD_REQUEST');
  assert.match(res.body.message, /shifts\/0\/days\/0/);
});

test('alarm -> ticket -> engineer with the bearing in her van; decline -> next; no answer -> next; override wins; parts follow', async () => {
  const dev = await connectDevice(tb.mqttPort, 'd1');
  await sendSeries(dev, 'd1', 'temp', [[120, 60], [60, 70], [40, 81], [25, 83], [10, 85]]);
  const ticket = await until(async () => (await admin.get('/api/v1/tickets?open=true')).body.find((t: { assetId: string }) => t.assetId === 'a1'), 5000, 'work order');
  const assigned = await until(async () => { const d = await detail(ticket.id); return d.ticket.assignee && d; }, 5000, 'dispatch');
  assert.equal(assigned.ticket.assignee, 'alice');
  assert.equal(assigned.ticket.status, 'assigned');
  const ev = assigned.events.find((e: { kind: string }) => e.kind === 'assigned');
  assert.equal(ev.actor, 'dispatch');
  const why = ev.data.why;
  assert.equal(why.engineerId, 'alice');
  assert.deepEqual(why.runnersUp.map((r: { engineerId: string }) => r.engineerId), ['bob']);
  assert.equal(why.part.sku, 'BRG-6205');
  assert.equal(why.part.from.storeId, 'van-alice');
  assert.match(why.factors.parts.detail, /own van/);
  assert.equal(why.factors.travel.detail, '5 min from z2');
  const shares = Object.values(why.factors as Record<string, { share: number }>).reduce((s, f) => s + f.share, 0);
  assert.ok(Math.abs(shares - 1) < 0.01);

  // The candidates list explains everyone, and says why carol and dave cannot go.
  const cands = (await admin.get(`/api/v1/tickets/${ticket.id}/candidates`)).body;
  assert.deepEqual(cands.ranked.map((c: { engineerId: string }) => c.engineerId), ['alice', 'bob']);
  const excluded = Object.fromEntries(cands.excluded.map((x: { engineerId: string; reasons: string[] }) => [x.engineerId, x.reasons]));
  assert.deepEqual(excluded, { carol: ['no_skill:mechanical'], dave: ['off_shift'] });

  // The bearing is held in alice's van.
  let res = await until(async () => { const r = (await admin.get(`/api/v1/tickets/${ticket.id}/parts`)).body; return r.length > 0 && r; }, 5000, 'reservation');
  assert.deepEqual(res.map((r: { storeId: string; status: string }) => [r.storeId, r.status]), [['van-alice', 'held']]);

  // Alice declines in her app: bob is next, and the part now comes from the main store, which drops to its threshold.
  const alice = await login(tb.httpUrl, 'alice', 'alice-secret-pw');
  assert.equal((await alice.post(`/api/v1/tickets/${ticket.id}/transition`, { to: 'new', note: 'on another job' })).status, 200);
  await until(async () => (await detail(ticket.id)).ticket.assignee === 'bob', 5000, 'bob after the decline');
  res = await until(async () => { const r = (await admin.get(`/api/v1/tickets/${ticket.id}/parts`)).body; return r.length === 2 && r; }, 5000, 'reservation moved');
  assert.deepEqual(res.map((r: { storeId: string; status: string }) => [r.storeId, r.status]), [['van-alice', 'released'], ['main', 'held']]);
  const low = await until(async () => (await admin.get('/api/v1/alarms?active=true')).body.find((a: { type: string }) => a.type === 'low_stock:BRG-6205'), 5000, 'low-stock alarm');
  assert.equal(low.deviceId, 'store:main');
  assert.equal(low.severity, 'MINOR');
  assert.equal(low.details.available, 1);
  // Declined once: alice is not offered it again.
  assert.deepEqual((await admin.get(`/api/v1/tickets/${ticket.id}/candidates`)).body.excluded.find((x: { engineerId: string }) => x.engineerId === 'alice').reasons, ['declined']);

  // Bob does not answer: the ladder's first step asks dispatch for the next one. Nobody else fits: that is in the trail.
  tb.box.bus.emit('ticket.escalated', { ticket: (await detail(ticket.id)).ticket, level: 1, reason: 'no_ack', target: {} });
  await until(async () => (await detail(ticket.id)).events.some((e: { kind: string }) => e.kind === 'dispatch_none'), 5000, 'nobody available noted');
  assert.equal((await detail(ticket.id)).ticket.assignee, 'bob', 'with nobody else, it stays where it was');

  // Dave comes on shift and checks in by QR: now the ladder's step reaches him.
  await admin.put('/api/v1/engineers/dave', { siteId: 'site1', role: 'engineer', name: 'Dave', profile: { skills: [{ trade: 'mechanical', level: 3 }], zones: ['z1'], shifts: ALL_WEEK } });
  tb.box.bus.emit('ticket.escalated', { ticket: (await detail(ticket.id)).ticket, level: 1, reason: 'no_ack', target: {} });
  await until(async () => (await detail(ticket.id)).ticket.assignee === 'dave', 5000, 'dave by escalation');

  // The operator overrides: bob it is, with the reason in the trail.
  const over = await admin.post(`/api/v1/tickets/${ticket.id}/assign`, { engineerId: 'bob', reason: 'knows this pump' });
  assert.equal(over.status, 200);
  assert.equal(over.body.assignee, 'bob');
  const trail = (await detail(ticket.id)).events.filter((e: { kind: string }) => e.kind === 'assigned').map((e: { actor: string; data: { engineerId: string } }) => [e.actor, e.data.engineerId]);
  assert.deepEqual(trail, [['dispatch', 'alice'], ['dispatch', 'bob'], ['escalation', 'dave'], ['admin', 'bob']]);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal((await detail(ticket.id)).ticket.assignee, 'bob', 'dispatch does not undo an override');

  // Sign-off with the bearing used: the held one is consumed from the main store.
  tb.box.bus.emit('job.signed_off', { ticketId: ticket.id, engineerId: 'bob', partsUsed: [{ sku: 'BRG-6205', qty: 1 }], notes: 'replaced bearing', ts: Date.now() });
  await until(async () => (await detail(ticket.id)).events.some((e: { kind: string }) => e.kind === 'parts_consumed'), 5000, 'consumed');
  const stock = (await admin.get('/api/v1/stock?storeId=main')).body;
  assert.deepEqual(stock.map((l: { sku: string; qty: number; held: number }) => [l.sku, l.qty, l.held]), [['BRG-6205', 1, 0]]);
  const held = (await admin.get(`/api/v1/tickets/${ticket.id}/parts`)).body.filter((r: { status: string }) => r.status === 'held');
  assert.equal(held.length, 0);
  assert.equal((await admin.get('/api/v1/stock?storeId=van-alice')).body[0].qty, 1, "alice's van keeps its bearing");

  // A delivery brings the store above its threshold: the low-stock alarm clears.
  await admin.put('/api/v1/stock/main/BRG-6205', { qty: 6 });
  await until(async () => !(await admin.get('/api/v1/alarms?active=true')).body.some((a: { type: string }) => a.type === 'low_stock:BRG-6205'), 5000, 'low stock cleared');

  const metrics = await (await fetch(`${tb.httpUrl}/metrics`)).text();
  assert.match(metrics, /outpost_tickets_assigned_total\{by="dispatch"\} 2/);
  assert.match(metrics, /outpost_tickets_assigned_total\{by="escalation"\} 1/);
  assert.match(metrics, /outpost_tickets_assigned_total\{by="operator"\} 1/);
  await endClient(dev);
});

test('nobody available is noted once, and the ticket is dispatched when someone checks in', async () => {
  // Only dave could go (bob and alice are taken off the rota); he is off shift now.
  for (const id of ['alice', 'bob']) await admin.put(`/api/v1/engineers/${id}`, { siteId: 'site1', role: 'engineer', name: id, active: false, profile: {} });
  await admin.put('/api/v1/engineers/dave', { siteId: 'site1', role: 'engineer', name: 'Dave', profile: { skills: [{ trade: 'mechanical', level: 3 }], zones: ['z1'] } });
  const t = (await admin.post('/api/v1/tickets', { siteId: 'site1', assetId: 'a2', category: 'mechanical', urgency: 'MAJOR', title: 'Noisy pump' })).body;
  await until(async () => (await detail(t.id)).events.some((e: { kind: string }) => e.kind === 'dispatch_none'), 5000, 'nobody noted');
  tb.box.dispatch.retryWaiting();
  assert.equal((await detail(t.id)).events.filter((e: { kind: string }) => e.kind === 'dispatch_none').length, 1, 'said once, not on every retry');
  await admin.put('/api/v1/engineers/dave', { siteId: 'site1', role: 'engineer', name: 'Dave', profile: { skills: [{ trade: 'mechanical', level: 3 }], zones: ['z1'], shifts: ALL_WEEK } });
  tb.box.roster.locate('dave', 'z1', 'qr');
  await until(async () => (await detail(t.id)).ticket.assignee === 'dave', 5000, 'dispatched on check-in');
});
