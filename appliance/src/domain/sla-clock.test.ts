// Table tests for the SLA clocks: response and resolution from the status history, pauses, the 80% warning, breaches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slaClock, ticketSla, nextSlaChange, clockAt, type StatusChange } from './sla-clock.ts';
import { defaultHours, type Calendar } from './business-hours.ts';
import type { TicketStatus } from './types.ts';

const M = 60_000;
const T0 = Date.UTC(2026, 0, 5, 2, 0); // Monday 10:00 in Shanghai
const ALWAYS: Calendar = { kind: '24x7' };
const hist = (...steps: [number, TicketStatus][]): StatusChange[] => steps.map(([min, to]) => ({ ts: T0 + min * M, to }));

test('response clock: ok, warning at 80%, breached, by how much', () => {
  const opened = hist([0, 'new'], [2, 'assigned']);
  const rows: { at: number; state: string; usedPct: number; overdue: number }[] = [
    { at: 10, state: 'ok', usedPct: 17, overdue: 0 },
    { at: 47, state: 'ok', usedPct: 78, overdue: 0 },
    { at: 48, state: 'warning', usedPct: 80, overdue: 0 },
    { at: 60, state: 'breached', usedPct: 100, overdue: 0 },
    { at: 75, state: 'breached', usedPct: 125, overdue: 15 },
  ];
  for (const r of rows) {
    const c = slaClock('response', opened, 60, ALWAYS, T0 + r.at * M);
    assert.equal(c.state, r.state, `at ${r.at} min`);
    assert.equal(c.usedPct, r.usedPct, `at ${r.at} min: % used`);
    assert.equal(c.overdueMins, r.overdue, `at ${r.at} min: overdue`);
    assert.equal(c.dueTs, T0 + 60 * M);
    assert.equal(c.warnTs, T0 + 48 * M);
    assert.equal(c.running, true);
  }
  assert.equal(slaClock('response', opened, 60, ALWAYS, T0 + 75 * M).breachedTs, T0 + 60 * M);
});

test('response stops at the first answer, and a later decline does not restart it', () => {
  const c = slaClock('response', hist([0, 'new'], [2, 'assigned'], [30, 'accepted'], [40, 'new'], [41, 'assigned']), 60, ALWAYS, T0 + 500 * M);
  assert.equal(c.state, 'ok');
  assert.equal(c.usedMins, 30);
  assert.equal(c.stopped, true);
  assert.equal(c.stoppedTs, T0 + 30 * M);
  // Answered late: the breach stays on record with its overrun.
  const late = slaClock('response', hist([0, 'new'], [90, 'in_progress']), 60, ALWAYS, T0 + 500 * M);
  assert.equal(late.state, 'breached');
  assert.equal(late.overdueMins, 30);
  assert.equal(late.breachedTs, T0 + 60 * M);
});

test('resolution pauses while waiting for parts: the deadline moves by the wait', () => {
  const h = hist([0, 'new'], [10, 'accepted'], [20, 'in_progress'], [60, 'waiting_parts'], [180, 'in_progress']);
  const rows: { at: number; due: number; used: number; paused: boolean }[] = [
    { at: 30, due: 240, used: 30, paused: false },
    { at: 100, due: 280, used: 60, paused: true },
    { at: 150, due: 330, used: 60, paused: true },
    { at: 200, due: 360, used: 80, paused: false },
  ];
  for (const r of rows) {
    const s = ticketSla({ responseMins: 15, resolveMins: 240 }, h, ALWAYS, T0 + r.at * M);
    assert.equal(s.resolution.dueTs, T0 + r.due * M, `at ${r.at}: due`);
    assert.equal(s.resolution.usedMins, r.used, `at ${r.at}: used`);
    assert.equal(s.paused, r.paused, `at ${r.at}: paused`);
  }
  // Paused past 80% of the wall time but not of the allowance: still ok.
  assert.equal(ticketSla({ responseMins: 15, resolveMins: 240 }, h, ALWAYS, T0 + 179 * M).resolution.state, 'ok');
});

test('resolution stops when resolved and runs again when the fix is reopened', () => {
  const h = hist([0, 'new'], [5, 'in_progress'], [100, 'resolved'], [110, 'verifying'], [150, 'assigned']);
  const stopped = slaClock('resolution', h.slice(0, 4), 240, ALWAYS, T0 + 140 * M);
  assert.equal(stopped.stopped, true);
  assert.equal(stopped.usedMins, 100);
  assert.equal(stopped.stoppedTs, T0 + 100 * M);
  const reopened = slaClock('resolution', h, 240, ALWAYS, T0 + 200 * M);
  assert.equal(reopened.running, true);
  assert.equal(reopened.usedMins, 150);
  assert.equal(reopened.dueTs, T0 + 290 * M);
  const cancelled = slaClock('resolution', [...h, { ts: T0 + 210 * M, to: 'cancelled' }], 240, ALWAYS, T0 + 900 * M);
  assert.equal(cancelled.state, 'ok');
  assert.equal(cancelled.stopped, true);
});

test('business-hours clock: the night and the weekend do not count', () => {
  const cal: Calendar = { kind: 'business', timezone: 'Asia/Shanghai', hours: defaultHours(), holidays: [] };
  const fri16 = Date.parse('2026-01-09T16:00:00+08:00');
  const h: StatusChange[] = [{ ts: fri16, to: 'new' }];
  // 480 business minutes: 60 on Friday, 420 on Monday -> Monday 16:00; 80% (384) -> Monday 14:24.
  const mon1330 = slaClock('resolution', h, 480, cal, Date.parse('2026-01-12T13:30:00+08:00'));
  assert.equal(mon1330.state, 'ok');
  assert.equal(mon1330.usedMins, 330);
  assert.equal(new Date(mon1330.dueTs).toISOString(), '2026-01-12T08:00:00.000Z');
  assert.equal(new Date(mon1330.warnTs!).toISOString(), '2026-01-12T06:24:00.000Z');
  assert.equal(slaClock('resolution', h, 480, cal, Date.parse('2026-01-12T14:24:00+08:00')).state, 'warning');
  // Saturday: still 60 minutes used, whatever the wall clock says.
  assert.equal(slaClock('resolution', h, 480, cal, Date.parse('2026-01-10T20:00:00+08:00')).usedMins, 60);
});

test('the tick looks again at the next warning or deadline of a running clock', () => {
  const h = hist([0, 'new']);
  const p = { responseMins: 60, resolveMins: 240 };
  assert.equal(nextSlaChange(ticketSla(p, h, ALWAYS, T0 + M)), T0 + 48 * M);
  assert.equal(nextSlaChange(ticketSla(p, h, ALWAYS, T0 + 50 * M)), T0 + 60 * M);
  // Response breached: only the resolution's warning (192 min) is ahead.
  assert.equal(nextSlaChange(ticketSla(p, h, ALWAYS, T0 + 61 * M)), T0 + 192 * M);
  assert.equal(nextSlaChange(ticketSla(p, hist([0, 'new'], [5, 'in_progress'], [6, 'resolved']), ALWAYS, T0 + 10 * M)), null);
});

test('a stored clock brought forward matches the one recomputed from the history', () => {
  const cal: Calendar = { kind: 'business', timezone: 'Asia/Shanghai', hours: defaultHours(), holidays: ['2026-01-12'] };
  const fri16 = Date.parse('2026-01-09T16:00:00+08:00');
  const running: StatusChange[] = [{ ts: fri16, to: 'new' }, { ts: fri16 + 10 * M, to: 'in_progress' }];
  const paused: StatusChange[] = [...running, { ts: fri16 + 30 * M, to: 'waiting_parts' }];
  for (const [name, h] of [['running', running], ['paused', paused]] as const) {
    const stored = slaClock('resolution', h, 960, cal, fri16 + 40 * M);
    for (const later of [Date.parse('2026-01-10T12:00:00+08:00'), Date.parse('2026-01-13T11:00:00+08:00'), Date.parse('2026-01-16T16:30:00+08:00')]) {
      const fresh = slaClock('resolution', h, 960, cal, later);
      const moved = clockAt(stored, cal, later);
      assert.equal(moved.usedPct, fresh.usedPct, `${name} at ${new Date(later).toISOString()}: % used`);
      assert.equal(moved.dueTs, fresh.dueTs, `${name} at ${new Date(later).toISOString()}: due`);
      assert.equal(moved.overdueMins, fresh.overdueMins, `${name}: overdue`);
    }
  }
});
