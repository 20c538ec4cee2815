// Notify on a manual clock: retries wait base, 2x base ... and give up at maxAttempts; an ack cancels what has not gone
// out; the same person is not told twice about one ticket within a minute. Real SQLite file, real local HTTP receiver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createBus, createLogger, manualClock } from '../../core/index.ts';
import { openDatabase } from '../storage/index.ts';
import { createRegistry } from '../devices/index.ts';
import { createRoster } from '../roster/index.ts';
import { createMetrics } from '../health/index.ts';
import type { Ticket } from '../../domain/index.ts';
import { createNotify } from './notify.ts';

test('retries back off and give up; an ack cancels; one alert per person and ticket a minute', async (t) => {
  let hits = 0;
  const server = createServer((req, res) => { req.resume(); req.on('end', () => { hits += 1; res.writeHead(503); res.end(); }); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const dir = mkdtempSync(join(tmpdir(), 'outpost-notify-'));
  const db = openDatabase(join(dir, 'outpost.db'));
  t.after(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });
  const clock = manualClock(Date.UTC(2026, 5, 1, 8, 0));
  const bus = createBus();
  const registry = createRegistry(db);
  registry.upsertSite({ id: 's', name: 'S', timezone: 'Asia/Shanghai' });
  registry.upsertZone({ id: 'z', siteId: 's', name: 'Boiler room' });
  registry.upsertAsset({ id: 'a', siteId: 's', zoneId: 'z', name: 'Boiler', type: 'boiler', criticality: 3 });
  const roster = createRoster({ db, bus, clock });
  roster.upsert({ id: 'e1', siteId: 's', username: null, name: 'E1', phone: null, role: 'engineer', active: true, profile: { notify: { wecom: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` } } });
  const metrics = createMetrics({ databaseBytes: () => 0 });
  const notify = createNotify({ db, bus, clock, registry, roster, metrics, logger: createLogger('silent') }, {
    ackMins: { CRITICAL: 5, MAJOR: 15, MINOR: 30, WARNING: 60 }, publicUrl: '', retryBaseMs: 1000, retryMaxMs: 4000, maxAttempts: 4,
    tickMs: 3_600_000, timeoutMs: 2000, vapidSubject: 'mailto:ops@example.com', sms: { url: '', token: '' }, groups: [],
  });
  notify.start();
  t.after(() => notify.stop());
  const ticket = (id: string): Ticket => ({
    id, siteId: 's', assetId: 'a', alarmType: null, alarmId: null, title: 'Boiler pressure', status: 'assigned', priority: 'MAJOR', createdTs: clock.now(), updatedTs: clock.now(),
    alarmCount: 0, source: 'manual', category: 'mechanical', zoneId: 'z', assignee: 'e1', description: null,
  });
  const wecom = (ticketId: string) => notify.forTicket(ticketId)[0].deliveries.find((d) => d.channel === 'wecom')!;

  bus.emit('ticket.assigned', ticket('T1'), { engineerId: 'e1', previous: null, by: 'test', why: null });
  await notify.settle();
  const [alert] = notify.forTicket('T1');
  assert.equal(alert.ackDueTs, clock.now() + 15 * 60_000);
  assert.equal(alert.zoneName, 'Boiler room');
  assert.match(alert.body, /请在此前确认：16:15/, 'zh-CN by default, deadline in the site\'s zone (UTC+8)');
  assert.deepEqual(alert.deliveries.map((d) => d.channel), ['wecom'], 'no login: no live stream; no broker: no MQTT');
  assert.equal(hits, 1);
  assert.deepEqual([wecom('T1').status, wecom('T1').nextTs], ['pending', clock.now() + 1000]);

  // Waits 1 s, 2 s, 4 s (capped at retryMaxMs), then the 4th failure gives up.
  const waits = [1000, 2000, 4000];
  for (const [i, w] of waits.entries()) {
    clock.advance(w - 1);
    notify.runDue(); await notify.settle();
    assert.equal(hits, i + 1, `not before ${w} ms`);
    clock.advance(1);
    notify.runDue(); await notify.settle();
    assert.equal(hits, i + 2, `tried again after ${w} ms`);
  }
  assert.deepEqual([wecom('T1').status, wecom('T1').attempts, wecom('T1').nextTs], ['failed', 4, null]);
  assert.match(wecom('T1').detail!, /gave up after 4 tries: HTTP 503/);
  clock.advance(60_000); notify.runDue(); await notify.settle();
  assert.equal(hits, 4, 'nothing after giving up');
  const counted = Object.fromEntries((await metrics.notificationsSent.get()).values.map((v) => [`${v.labels.channel}:${v.labels.result}`, v.value]));
  assert.deepEqual(counted, { 'wecom:retry': 3, 'wecom:failed': 1 });

  // The same person about the same ticket within a minute: no second alert. After that: a new one.
  bus.emit('ticket.escalated', { ticket: ticket('T2'), level: 1, reason: 'no_ack', target: { engineerId: 'e1' } });
  clock.advance(30_000);
  bus.emit('ticket.assigned', ticket('T2'), { engineerId: 'e1', previous: null, by: 'escalation', why: null });
  assert.equal(notify.forTicket('T2').length, 1);
  await notify.settle();
  const acks: unknown[] = [];
  bus.on('alert.acked', (e) => acks.push(e));
  // Accepting acks it: the pending retry is cancelled, not sent.
  bus.emit('ticket.updated', { ...ticket('T2'), status: 'accepted' });
  assert.deepEqual(acks, [{ ticketId: 'T2', engineerId: 'e1', ts: clock.now() }]);
  clock.advance(1000); notify.runDue(); await notify.settle();
  assert.equal(wecom('T2').status, 'cancelled');
  assert.equal(hits, 5);
  clock.advance(31_000);
  bus.emit('sla.changed', { ticket: ticket('T2'), clock: 'resolution', state: 'warning', dueTs: clock.now() });
  assert.deepEqual(notify.forTicket('T2').map((a) => a.reason), ['escalated', 'sla_warning'], 'acked, so the warning is news');
  // Inactive people and people not on the roster are not alerted; a bad event does not throw into the emitter.
  roster.upsert({ id: 'e1', siteId: 's', username: null, name: 'E1', phone: null, role: 'engineer', active: false, profile: {} });
  bus.emit('ticket.assigned', ticket('T3'), { engineerId: 'e1', previous: null, by: 'test', why: null });
  bus.emit('ticket.assigned', ticket('T4'), { engineerId: 'nobody', previous: null, by: 'test', why: null });
  bus.emit('ticket.escalated', { ticket: ticket('T5'), level: 2, reason: 'response_overdue', target: { role: 'supervisor' } });
  assert.equal(notify.forTicket('T3').length + notify.forTicket('T4').length + notify.forTicket('T5').length, 0);
  await notify.settle();
});
