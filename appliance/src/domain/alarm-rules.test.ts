// Table tests for the pure alarm rules: durations, hysteresis, severity moves, rate, stale, offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateThreshold, evaluateRate, staleTick, staleSeen, evaluateStatus, initialState, slopePerMin, type RuleState } from './alarm-rules.ts';
import type { AlarmRule, Severity } from './types.ts';

const overheat = {
  kind: 'threshold', type: 'bearing_overheat', point: 'bearing_temp', hysteresis: 2,
  levels: [{ severity: 'MAJOR', above: 80, forS: 30 }, { severity: 'CRITICAL', above: 95, forS: 10 }],
} as Extract<AlarmRule, { kind: 'threshold' }>;

/** Feeds (seconds, value) pairs and returns the severity after each, '-' for none. */
function run(series: [number, number][]): (Severity | '-')[] {
  let state: RuleState = initialState(overheat, 0);
  return series.map(([s, v]) => {
    state = evaluateThreshold(overheat, state, s * 1000, v).state;
    return state.current ?? '-';
  });
}

test('threshold: above 80 must hold 30 s before MAJOR is raised', () => {
  assert.deepEqual(run([[0, 81], [10, 85], [29, 82], [30, 83]]), ['-', '-', '-', 'MAJOR']);
});

test('threshold: a dip below the limit restarts the duration', () => {
  assert.deepEqual(run([[0, 81], [20, 79], [25, 81], [50, 81], [55, 81]]), ['-', '-', '-', '-', 'MAJOR']);
});

test('threshold: hysteresis holds the alarm near the limit, clears past it', () => {
  assert.deepEqual(run([[0, 81], [30, 81], [35, 79], [40, 78.5], [45, 77.9]]), ['-', 'MAJOR', 'MAJOR', 'MAJOR', '-']);
});

test('threshold: severity rises to CRITICAL and falls back to MAJOR', () => {
  assert.deepEqual(
    run([[0, 81], [30, 90], [31, 96], [41, 97], [45, 94], [50, 92], [55, 70]]),
    ['-', 'MAJOR', 'MAJOR', 'CRITICAL', 'CRITICAL', 'MAJOR', '-'],
  );
});

test('threshold: below-limit rules work the same way', () => {
  const low = { kind: 'threshold', type: 'low_pressure', point: 'p', levels: [{ severity: 'MINOR', below: 2, forS: 0 }] } as Extract<AlarmRule, { kind: 'threshold' }>;
  let s = initialState(low, 0);
  const r1 = evaluateThreshold(low, s, 0, 1.5); s = r1.state;
  assert.equal(r1.change?.to, 'MINOR');
  const r2 = evaluateThreshold(low, s, 1000, 2.5);
  assert.equal(r2.change?.to, null);
  assert.ok(r2.change, 'a clear is a change');
});

test('threshold: only transitions are reported as changes', () => {
  let s = initialState(overheat, 0);
  const changes = [[0, 81], [30, 81], [31, 82], [32, 60]].map(([t, v]) => {
    const o = evaluateThreshold(overheat, s, t * 1000, v); s = o.state; return o.change?.to;
  });
  assert.deepEqual(changes, [undefined, 'MAJOR', undefined, null]);
});

test('rate: least-squares slope per minute', () => {
  assert.equal(slopePerMin([[0, 10], [60_000, 12], [120_000, 14]]), 2);
  assert.equal(slopePerMin([[0, 10]]), 0);
});

test('rate: raises on a fast rise once the window is half covered, clears when it calms', () => {
  const rule = { kind: 'rate', type: 'temp_jump', point: 't', maxPerMin: 5, windowS: 60, severity: 'MINOR' } as Extract<AlarmRule, { kind: 'rate' }>;
  let s = initialState(rule, 0);
  const seen: (string | null)[] = [];
  for (let sec = 0; sec <= 40; sec += 10) { s = evaluateRate(rule, s, sec * 1000, 20 + sec * 0.2).state; seen.push(s.current); } // 12/min
  assert.deepEqual(seen, [null, null, null, 'MINOR', 'MINOR']);
  for (let sec = 50; sec <= 200; sec += 10) s = evaluateRate(rule, s, sec * 1000, 28).state;
  assert.equal(s.current, null);
});

test('stale: silence longer than afterS raises, the next reading clears', () => {
  const rule = { kind: 'stale', type: 'no_data', point: 't', afterS: 60, severity: 'WARNING' } as Extract<AlarmRule, { kind: 'stale' }>;
  let s = initialState(rule, 0);
  assert.equal(staleTick(rule, s, 59_000).change, null);
  const o = staleTick(rule, s, 61_000); s = o.state;
  assert.equal(o.change?.to, 'WARNING');
  assert.equal(staleTick(rule, s, 70_000).change, null, 'no repeat while still stale');
  const back = staleSeen(rule, s, 71_000);
  assert.equal(back.change?.to, null);
  assert.equal(back.state.lastSeen, 71_000);
});

test('offline: status drives the alarm', () => {
  const rule = { kind: 'offline', type: 'device_offline', severity: 'MAJOR' } as Extract<AlarmRule, { kind: 'offline' }>;
  const off = evaluateStatus(rule, initialState(rule, 0), false, 5);
  assert.equal(off.change?.to, 'MAJOR');
  assert.equal(evaluateStatus(rule, off.state, true, 6).change?.to, null);
  assert.equal(evaluateStatus(rule, initialState(rule, 0), true, 6).change, null);
});
