// Usage-based and calendar maintenance on a manual clock and a real SQLite file: counts, due work orders, restart, close-out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBus, manualClock, type StoredReading } from '../../core/index.ts';
import { openDatabase } from '../storage/index.ts';
import { createRegistry } from '../devices/index.ts';
import { createTickets } from '../tickets/index.ts';
import { createMetrics } from '../health/index.ts';
import { createUsage } from './usage.ts';
import { tempDir } from '../../../test/helpers.ts';

const MIN = 60_000, DAY = 86_400_000;

test('run hours and starts from motor current open scheduled work orders; counts survive a restart; closing one restarts its interval; the calendar brings it due too', async () => {
  const { dir, cleanup } = tempDir();
  const db = openDatabase(`${dir}/o.db`);
  const bus = createBus();
  const clock = manualClock(Date.UTC(2026, 0, 1));
  const registry = createRegistry(db);
  registry.load();
  registry.upsertSite({ id: 's', name: 'S', timezone: 'UTC' });
  registry.upsertAsset({ id: 'p1', siteId: 's', zoneId: null, name: 'Pump 1', type: 'pump', criticality: 2 });
  registry.upsertProfile({ id: 'm', name: 'M', points: [{ key: 'current', name: 'Current' }], rules: [] });
  await registry.addDevice({ id: 'd1', siteId: 's', assetId: 'p1', profileId: 'm', name: 'D1', password: 'pw-d1-secret' });
  const tickets = createTickets({ db, bus, clock, registry, metrics: createMetrics({ databaseBytes: () => 0, defaultMetrics: false }), series: () => ({ resolution: 'raw', ts: [], values: [] }) }, { evidenceBeforeS: 60 });
  const make = () => createUsage({ db, bus, clock, registry, tickets }, { tickS: 3600, maxGapS: 300 });
  let usage = make();
  usage.setPlan({ assetType: 'pump', running: { point: 'current', above: 5 }, tasks: [
    { id: 'regrease', title: 'Bearing regrease', everyRunH: 2, everyDays: 30 },
    { id: 'starts_check', title: 'Starter check', everyStarts: 3, priority: 'WARNING' },
  ] });
  tickets.start();
  usage.start();
  assert.deepEqual(usage.tick(), [], 'nothing is due on first sight: the intervals count from now');

  // Device time, one reading a minute: off 10 min, on to minute 60, off 4 min, on to 120, off 4, on to 190: 51 + 56 + 65 = 172 min (held until the next reading), 3 starts.
  const t0 = clock.now();
  const on = (m: number) => (m >= 10 && m <= 60) || (m >= 65 && m <= 120) || (m >= 125 && m <= 190);
  const rows: StoredReading[] = [];
  for (let m = 0; m <= 190; m++) rows.push({ deviceId: 'd1', point: 'current', ts: t0 + m * MIN, value: on(m) ? 42 : 0.3, receivedAt: t0 });
  bus.emit('readings.stored', rows.slice(0, 100));
  bus.emit('readings.stored', rows.slice(100));
  clock.advance(191 * MIN);

  const opened = usage.tick();
  assert.deepEqual(opened.map((t) => t.alarmType).sort(), ['maintenance_regrease', 'maintenance_starts_check']);
  const regrease = opened.find((t) => t.alarmType === 'maintenance_regrease')!;
  assert.match(regrease.title, /^Bearing regrease on Pump 1 \(2 run hours \(every 2\)\)$/);
  assert.equal(regrease.priority, 'MINOR');
  const ev = tickets.detail(regrease.id).evidence as unknown as { kind: string; counters: { runH: number; starts: number } };
  assert.equal(ev.kind, 'schedule');
  assert.equal(ev.counters.runH, 172 / 60);
  assert.equal(ev.counters.starts, 3);
  assert.deepEqual(usage.tick(), [], 'one open work order per asset and task');

  // A restart keeps the counts.
  usage.stop();
  usage = make();
  usage.start();
  const of = usage.of('p1');
  assert.equal(of.usage.runH, 172 / 60);
  assert.equal(of.usage.starts, 3);
  assert.equal(of.tasks.find((t) => t.id === 'regrease')!.ticketId, regrease.id);

  // The regrease is done and the work order closed: its run hours and days count again from here.
  for (const to of ['in_progress', 'resolved', 'closed'] as const) tickets.transition(regrease.id, to, 'tech');
  const after = usage.of('p1').tasks.find((t) => t.id === 'regrease')!;
  assert.equal(after.ticketId, null);
  assert.equal(after.progress.runH, 0);
  assert.deepEqual(usage.tick(), []);

  // 30 days later, hardly run: the calendar interval brings it due, dated on the day it fell due.
  const closedTs = clock.now();
  clock.advance(31 * DAY);
  const [cal] = usage.tick();
  assert.equal(cal.alarmType, 'maintenance_regrease');
  assert.match(cal.title, /31 days \(every 30\)/);
  assert.equal(cal.predictedTs, closedTs + 30 * DAY);

  usage.stop();
  tickets.stop();
  db.close();
  cleanup();
});

test('a plan is checked: every task has an interval and the counter it needs', () => {
  const { dir, cleanup } = tempDir();
  const db = openDatabase(`${dir}/o.db`);
  const registry = createRegistry(db);
  const usage = createUsage({ db, bus: createBus(), clock: manualClock(), registry, tickets: {} as never }, { tickS: 60, maxGapS: 300 });
  assert.throws(() => usage.setPlan({ assetType: 'x', tasks: [{ id: 'a', title: 'A' }] }), /OUTPOST_BAD_REQUEST: task "a" needs at least one interval/);
  assert.throws(() => usage.setPlan({ assetType: 'x', tasks: [{ id: 'a', title: 'A', everyRunH: 10 }] }), /needs "running"/);
  assert.throws(() => usage.setPlan({ assetType: 'x', cycles: { point: 'c' }, tasks: [{ id: 'a', title: 'A', everyDays: 1 }, { id: 'a', title: 'B', everyCycles: 5 }] }), /appears twice/);
  db.close();
  cleanup();
});
