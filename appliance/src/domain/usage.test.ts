// Table tests for usage accounting (run hours, starts, cycles) and when a maintenance task falls due.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accumulateRun, accumulateCount, initialUsage, dueReasons, dueTs, taskProgress, type UsageState } from './usage.ts';

const S = 1000, H = 3_600_000, DAY = 86_400_000;

test('run time and starts from a running point, table', () => {
  const rows: { name: string; readings: [number, number][]; runS: number; starts: number }[] = [
    { name: 'never above the threshold', readings: [[0, 1], [10, 2], [20, 1]], runS: 0, starts: 0 },
    { name: 'running from the first reading: time counts, no start', readings: [[0, 40], [10, 41], [20, 42]], runS: 20, starts: 0 },
    { name: 'off, on, off, on: two starts, time while on', readings: [[0, 0], [10, 40], [20, 40], [30, 0], [40, 40], [50, 40]], runS: 30, starts: 2 },
    { name: 'a gap longer than 5 minutes counts nothing', readings: [[0, 40], [10, 40], [1000, 40], [1010, 40]], runS: 20, starts: 0 },
    { name: 'out-of-order and repeated readings are ignored', readings: [[0, 40], [10, 40], [5, 0], [10, 0], [20, 40]], runS: 20, starts: 0 },
  ];
  for (const r of rows) {
    let s: UsageState = initialUsage();
    for (const [t, v] of r.readings) s = accumulateRun(s, t * S, v, 5, 300 * S);
    assert.equal(s.runS, r.runS, `${r.name}: run seconds`);
    assert.equal(s.starts, r.starts, `${r.name}: starts`);
  }
});

test('cycles from a device counter, with a reset', () => {
  let s = initialUsage();
  for (const raw of [1000, 1005, 1012, 3, 10]) s = accumulateCount(s, raw);
  // +5 +7, reset to 3 (3 since the reset), +7
  assert.equal(s.cycles, 22);
});

test('a task falls due on whichever interval comes first; the calendar one on its date', () => {
  const task = { id: 'regrease', title: 'Bearing regrease', everyRunH: 2000, everyDays: 182 };
  const t0 = Date.UTC(2026, 0, 1);
  const done = { ts: t0, usage: { runS: 100 * 3600, starts: 5, cycles: 0 } };
  const rows: [string, number, number, string[]][] = [
    ['1999 run hours, 100 days', 2099, 100, []],
    ['2000 run hours, 100 days', 2100, 100, ['2000 run hours (every 2000)']],
    ['500 run hours, 182 days', 600, 182, ['182 days (every 182)']],
    ['both', 2500, 200, ['2400 run hours (every 2000)', '200 days (every 182)']],
  ];
  for (const [name, runH, days, want] of rows) assert.deepEqual(dueReasons(task, { runS: runH * 3600, starts: 5, cycles: 0 }, done, t0 + days * DAY), want, name);
  assert.equal(dueTs(task, done, t0 + 200 * DAY), t0 + 182 * DAY, 'the calendar due date, not the day it was noticed');
  assert.equal(dueTs({ id: 'x', title: 'x', everyStarts: 10 }, done, t0 + 5 * H), t0 + 5 * H);
  assert.deepEqual(dueReasons({ id: 's', title: 's', everyStarts: 10, everyCycles: 100 }, { runS: 0, starts: 15, cycles: 100 }, done, t0), ['10 starts (every 10)', '100 cycles (every 100)']);
  const p = taskProgress(task, { runS: 1100 * 3600, starts: 0, cycles: 0 }, done, t0 + 91 * DAY);
  assert.equal(p.runH, 0.5);
  assert.equal(p.days, 0.5);
});
