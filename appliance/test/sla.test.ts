// Scenario: a real box on a manual clock, real HTTP: a job nobody accepts climbs the ladder at the right minutes,
// its response SLA breaches and the breach is visible through the API, waiting for parts moves the deadline, restarts keep it all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBox, login, tempDir, until } from './helpers.ts';
import { manualClock } from '../src/core/index.ts';
import type { BusEvents } from '../src/core/index.ts';

const M = 60_000;
const T0 = Date.UTC(2026, 0, 5, 8, 0);

test('escalation ladder, SLA warning and breach, pause and restart, through the API', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const clock = manualClock(T0);
  let tb = await startBox({ dir, clock });
  t.after(() => tb.stop());
  const api = await login(tb.httpUrl);
  const at = (min: number) => {
    clock.set(T0 + min * M);
    tb.box.sla.tick();
  };

  for (const [id, role] of [['e1', 'engineer'], ['e2', 'engineer'], ['sup1', 'supervisor'], ['mgr1', 'manager']] as const) {
    assert.equal((await api.put(`/api/v1/engineers/${id}`, { siteId: 'site1', name: id, role })).status, 200);
  }
  const escalated: BusEvents['ticket.escalated'][0][] = [];
  const changed: BusEvents['sla.changed'][0][] = [];
  tb.box.bus.on('ticket.escalated', (e) => escalated.push(e));
  tb.box.bus.on('sla.changed', (e) => changed.push(e));

  // A MAJOR electrical job: respond within 60 min, resolve within 8 h, round the clock; 15 min to accept, 15 min steps.
  const opened = await api.post('/api/v1/tickets', { siteId: 'site1', category: 'electrical', urgency: 'MAJOR', title: 'Breaker trips in zone 1' });
  assert.equal(opened.status, 201);
  const id = opened.body.id as string;
  let detail = (await api.get(`/api/v1/tickets/${id}`)).body;
  assert.equal(detail.sla.policy.responseMins, 60);
  assert.equal(detail.sla.response.dueTs, T0 + 60 * M);
  assert.equal(detail.sla.resolution.dueTs, T0 + 480 * M);
  assert.equal(detail.sla.response.state, 'ok');

  at(1);
  assert.equal((await api.post(`/api/v1/tickets/${id}/assign`, { engineerId: 'e1' })).status, 200);
  at(15);
  assert.equal(escalated.length, 0, 'e1 still has a minute to answer');
  at(16);
  assert.deepEqual(escalated.map((e) => [e.level, e.reason, e.target]), [[1, 'no_ack', { role: 'engineer' }]]);
  // Dispatch's part, done here by an operator: the next engineer gets one step.
  at(17);
  await api.post(`/api/v1/tickets/${id}/assign`, { engineerId: 'e2' });
  at(30);
  assert.equal(escalated.length, 1);
  at(31);
  assert.deepEqual(escalated.map((e) => [e.level, e.reason, e.target]).at(-1), [2, 'no_ack', { role: 'supervisor', engineerId: 'sup1' }]);
  // The supervisor acknowledges the alert: the ladder stops climbing for this step (no manager at 46).
  clock.set(T0 + 33 * M);
  tb.box.bus.emit('alert.acked', { ticketId: id, engineerId: 'sup1', ts: clock.now() });
  at(46);
  assert.equal(escalated.length, 2);

  at(47);
  assert.equal(changed.length, 0);
  at(48);
  assert.deepEqual(changed.map((c) => [c.clock, c.state, c.dueTs]), [['response', 'warning', T0 + 60 * M]]);
  at(60);
  assert.deepEqual(changed.map((c) => [c.clock, c.state]).at(-1), ['response', 'breached']);
  // An overdue response climbs on its own track: the supervisor at the breach.
  assert.deepEqual(escalated.map((e) => [e.level, e.reason]).at(-1), [2, 'response_overdue']);
  at(61);
  detail = (await api.get(`/api/v1/tickets/${id}`)).body;
  assert.equal(detail.sla.breached, true);
  assert.equal(detail.sla.response.state, 'breached');
  assert.equal(detail.sla.response.overdueMins, 1);
  assert.equal(detail.sla.escalation.level, 2);

  // e2 finally accepts at 70: the response clock stops, 10 minutes late, and the overdue track stops climbing (no manager at 75).
  at(70);
  await api.post(`/api/v1/tickets/${id}/transition`, { to: 'accepted' });
  at(80);
  await api.post(`/api/v1/tickets/${id}/transition`, { to: 'in_progress' });
  assert.equal(escalated.length, 3);

  const trail = (await api.get(`/api/v1/tickets/${id}`)).body.events as { ts: number; kind: string; data: { level?: number; reason?: string; clock?: string } }[];
  const steps = trail.filter((e) => ['escalated', 'escalation_held', 'sla_warning', 'sla_breached'].includes(e.kind)).map((e) => [(e.ts - T0) / M, e.kind, e.data.level ?? e.data.clock, e.data.reason ?? null]);
  assert.deepEqual(steps, [
    [16, 'escalated', 1, 'no_ack'],
    [31, 'escalated', 2, 'no_ack'],
    [33, 'escalation_held', 2, null],
    [48, 'sla_warning', 'response', null],
    [60, 'sla_breached', 'response', null],
    [60, 'escalated', 2, 'response_overdue'],
  ]);

  // Waiting for parts from minute 100 to 160: the resolution deadline moves from 480 to 540.
  at(100);
  await api.post(`/api/v1/tickets/${id}/transition`, { to: 'waiting_parts' });
  at(130);
  detail = (await api.get(`/api/v1/tickets/${id}`)).body;
  assert.equal(detail.sla.paused, true);
  assert.equal(detail.sla.resolution.dueTs, T0 + 510 * M);
  at(160);
  await api.post(`/api/v1/tickets/${id}/transition`, { to: 'in_progress' });
  detail = (await api.get(`/api/v1/tickets/${id}`)).body;
  assert.equal(detail.sla.paused, false);
  assert.equal(detail.sla.resolution.dueTs, T0 + 540 * M);
  assert.equal(detail.sla.resolution.usedMins, 100);

  // The list carries each work order's clocks in short, for sorting by urgency.
  const list = (await api.get('/api/v1/tickets?open=true')).body as { id: string; sla: { response: { state: string }; resolution: { dueTs: number }; breached: boolean } }[];
  const row = list.find((x) => x.id === id)!;
  assert.equal(row.sla.response.state, 'breached');
  assert.equal(row.sla.resolution.dueTs, T0 + 540 * M);
  assert.equal(row.sla.breached, true);

  const metrics = await (await fetch(`${tb.httpUrl}/metrics`)).text();
  assert.match(metrics, /outpost_sla_breaches_total\{clock="response"\} 1/);
  assert.match(metrics, /outpost_escalations_total\{level="2",reason="no_ack"\} 1/);

  // A restart computes the same clocks from the trail, and steps already taken are not taken again.
  await tb.stop();
  clock.set(T0 + 170 * M);
  tb = await startBox({ dir, clock });
  const again = await login(tb.httpUrl);
  detail = (await again.get(`/api/v1/tickets/${id}`)).body;
  assert.equal(detail.sla.resolution.dueTs, T0 + 540 * M);
  assert.equal(detail.sla.response.overdueMins, 10);
  assert.equal(detail.events.filter((e: { kind: string }) => e.kind === 'escalated').length, 3);
});

test('the box was off through the deadline: the breach and every missed step are recorded when it comes back', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const clock = manualClock(T0);
  let tb = await startBox({ dir, clock });
  t.after(() => tb.stop());
  const api = await login(tb.httpUrl);
  await api.put('/api/v1/engineers/sup1', { siteId: 'site1', name: 'Sup', role: 'supervisor' });
  await api.put('/api/v1/engineers/e1', { siteId: 'site1', name: 'E1', role: 'engineer' });
  const id = (await api.post('/api/v1/tickets', { siteId: 'site1', category: 'plumbing', urgency: 'CRITICAL', title: 'Burst pipe' })).body.id as string;
  await api.post(`/api/v1/tickets/${id}/assign`, { engineerId: 'e1' });
  await tb.stop();
  // CRITICAL: respond in 15 min, accept within 5; back after 2 hours.
  clock.set(T0 + 120 * M);
  tb = await startBox({ dir, clock });
  const events = (await (await login(tb.httpUrl)).get(`/api/v1/tickets/${id}`)).body.events as { ts: number; kind: string; data: Record<string, unknown> }[];
  const kinds = events.filter((e) => e.kind.startsWith('sla_') || e.kind === 'escalated').map((e) => `${e.kind}:${e.data.clock ?? `${e.data.reason}/${e.data.level}`}`);
  // Accept within 5: no answer -> 5, 20, 35; respond within 15: overdue -> 15, 30; resolve within 240: only 50% used.
  assert.deepEqual(kinds, [
    'sla_warning:response', 'sla_breached:response',
    'escalated:no_ack/1', 'escalated:response_overdue/2', 'escalated:no_ack/2', 'escalated:response_overdue/3', 'escalated:no_ack/3',
  ]);
  // Each records when it was due, not only when the box noticed.
  const breach = events.find((e) => e.kind === 'sla_breached')!;
  assert.equal(breach.data.at, T0 + 15 * M);
});

test('policies and calendars: admins edit, bad input is refused with a code and counted', async (t) => {
  const clock = manualClock(Date.parse('2026-01-09T16:00:00+08:00'));
  const tb = await startBox({ clock });
  t.after(() => tb.stop());
  const api = await login(tb.httpUrl);
  const policies = (await api.get('/api/v1/sla/policies')).body as { category: string; priority: string; calendar: string }[];
  assert.equal(policies.length, 8 * 4, 'every trade and priority has a default policy');
  assert.equal(policies.find((p) => p.category === 'hvac' && p.priority === 'WARNING')!.calendar, 'business');

  tb.box.registry.upsertSite({ id: 'site1', name: 'Test site', timezone: 'Asia/Shanghai' });
  const cal = await api.put('/api/v1/sites/site1/calendar', { hours: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })), holidays: [{ date: '2026-01-12', name: 'Site shutdown' }] });
  assert.equal(cal.status, 200);
  assert.equal(cal.body.timezone, 'Asia/Shanghai');
  assert.equal(cal.body.isDefault, false);
  const put = await api.put('/api/v1/sla/policies', [{ category: 'hvac', priority: 'MINOR', responseMins: 120, resolveMins: 480, calendar: 'business' }]);
  assert.equal(put.status, 200);

  // Friday 16:00 in Shanghai: 60 business minutes on Friday, Monday is a holiday, 60 more on Tuesday.
  const id = (await api.post('/api/v1/tickets', { siteId: 'site1', category: 'hvac', urgency: 'MINOR', title: 'Noisy fan' })).body.id as string;
  const sla = (await api.get(`/api/v1/tickets/${id}/sla`)).body;
  assert.equal(sla.response.dueTs, Date.parse('2026-01-13T10:00:00+08:00'));

  const bad = await api.put('/api/v1/sites/site1/calendar', { hours: [{ day: 1, open: '09:00', close: '09:00' }], holidays: [] });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'OUTPOST_SLA_INVALID');
  const inverted = await api.put('/api/v1/sla/policies', [{ category: 'hvac', priority: 'MINOR', responseMins: 600, resolveMins: 60, calendar: 'business' }]);
  assert.equal(inverted.body.code, 'OUTPOST_SLA_INVALID');
  assert.match(await (await fetch(`${tb.httpUrl}/metrics`)).text(), /outpost_sla_rejected_total 2/);

  await tb.box.auth.addUser('op', 'operator-pw-1', 'operator');
  const op = await login(tb.httpUrl, 'op', 'operator-pw-1');
  assert.equal((await op.put('/api/v1/sla/policies', [{ category: 'hvac', priority: 'MINOR', responseMins: 60, resolveMins: 480, calendar: 'business' }])).status, 403);
  assert.equal((await op.get('/api/v1/sites/site1/calendar')).status, 200);
});

test('with dispatch: level 1 hands the job to the next engineer, who gets one step before the supervisor is reached', async (t) => {
  const clock = manualClock(T0);
  const tb = await startBox({ clock });
  t.after(() => tb.stop());
  const api = await login(tb.httpUrl);
  const allWeek = [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' }];
  for (const id of ['alice', 'bob']) {
    assert.equal((await api.put(`/api/v1/engineers/${id}`, { siteId: 'site1', name: id, role: 'engineer', profile: { skills: [{ trade: 'mechanical', level: 2 }], zones: ['z1'], shifts: allWeek } })).status, 200);
  }
  await api.put('/api/v1/engineers/sup1', { siteId: 'site1', name: 'Sup', role: 'supervisor' });
  const at = (min: number) => {
    clock.set(T0 + min * M);
    tb.box.sla.tick();
  };
  const detail = async (id: string) => (await api.get(`/api/v1/tickets/${id}`)).body;

  const id = (await api.post('/api/v1/tickets', { siteId: 'site1', assetId: 'a1', category: 'mechanical', urgency: 'MAJOR', title: 'Pump seal weeps' })).body.id as string;
  const first = await until(async () => (await detail(id)).ticket.assignee as string | null, 5000, 'dispatched');
  at(14);
  assert.equal((await detail(id)).ticket.assignee, first);
  at(15);
  const second = await until(async () => {
    const a = (await detail(id)).ticket.assignee as string;
    return a !== first ? a : null;
  }, 5000, 'handed on by the ladder');
  at(29);
  assert.equal((await detail(id)).sla.escalation.level, 1, 'the next engineer has until minute 30');
  at(30);
  assert.equal((await detail(id)).sla.escalation.level, 2);
  clock.set(T0 + 31 * M);
  await api.post(`/api/v1/tickets/${id}/transition`, { to: 'accepted' });
  at(45);
  const d = await detail(id);
  assert.equal(d.sla.escalation.level, 2, 'accepted: no manager');
  assert.equal(d.sla.response.state, 'ok');
  const trail = d.events.filter((e: { kind: string }) => ['assigned', 'escalated'].includes(e.kind))
    .map((e: { ts: number; kind: string; actor: string; data: { engineerId?: string; level?: number } }) => [(e.ts - T0) / M, e.kind, e.kind === 'assigned' ? `${e.actor}:${e.data.engineerId}` : e.data.level]);
  assert.deepEqual(trail, [[0, 'assigned', `dispatch:${first}`], [15, 'escalated', 1], [15, 'assigned', `escalation:${second}`], [30, 'escalated', 2]]);
});
