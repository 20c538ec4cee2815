// ISO 10816-3 zones: the classifier against the standard's Annex A tables, and the zone rule as threshold levels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vibrationZone, zoneAsThreshold, pointZone, evaluateZone, ISO_10816_3 } from './vibration-zones.ts';
import { evaluateThreshold, initialState } from './alarm-rules.ts';
import { profileProblems } from './profile-check.ts';
import type { AlarmRule } from './types.ts';

test('zones by machine group and foundation (ISO 10816-3:2009 Tables A.1 and A.2), boundaries belong to the worse zone', () => {
  const rows: [number, 1 | 2, 'rigid' | 'flexible', string][] = [
    // Table A.2, group 2 rigid: A/B 1.4, B/C 2.8, C/D 4.5 mm/s
    [1.0, 2, 'rigid', 'A'], [1.4, 2, 'rigid', 'B'], [2.79, 2, 'rigid', 'B'], [2.8, 2, 'rigid', 'C'], [4.49, 2, 'rigid', 'C'], [4.5, 2, 'rigid', 'D'],
    // Table A.2, group 2 flexible: 2.3 / 4.5 / 7.1
    [2.0, 2, 'flexible', 'A'], [3.0, 2, 'flexible', 'B'], [5.0, 2, 'flexible', 'C'], [7.1, 2, 'flexible', 'D'],
    // Table A.1, group 1 rigid: 2.3 / 4.5 / 7.1; flexible: 3.5 / 7.1 / 11
    [2.2, 1, 'rigid', 'A'], [4.0, 1, 'rigid', 'B'], [7.0, 1, 'rigid', 'C'], [7.1, 1, 'rigid', 'D'],
    [3.4, 1, 'flexible', 'A'], [7.0, 1, 'flexible', 'B'], [10.9, 1, 'flexible', 'C'], [11.0, 1, 'flexible', 'D'],
  ];
  for (const [v, g, f, z] of rows) assert.equal(vibrationZone(v, g, f), z, `${v} mm/s group ${g} ${f}`);
  assert.deepEqual(ISO_10816_3[2].rigid, { AB: 1.4, BC: 2.8, CD: 4.5 });
});

test('a zone rule alarms in zone C and D with its severities, after forS, and clears with hysteresis', () => {
  const rule: Extract<AlarmRule, { kind: 'zone' }> = { kind: 'zone', type: 'vib_zone', point: 'vib', machineGroup: 2, foundation: 'rigid', forS: 10, hysteresis: 0.2 };
  const th = zoneAsThreshold(rule);
  let s = initialState(rule, 0);
  const seen: (string | null)[] = [];
  for (const [t, v] of [[0, 2.0], [5, 2.8], [16, 2.9], [20, 4.6], [31, 4.7], [40, 2.7], [50, 2.5]] as [number, number][]) {
    const out = evaluateThreshold(th, s, t * 1000, v);
    s = out.state;
    seen.push(s.current);
  }
  // zone C entered at 2.8 after 10 s; D after 10 s at >= 4.5; back to C; 2.7 is within 0.2 of the C boundary, so held; 2.5 clears.
  assert.deepEqual(seen, [null, null, 'WARNING', 'WARNING', 'MAJOR', 'WARNING', null]);
  assert.equal(pointZone([rule], 'vib', 3.1), 'C');
  const raised = evaluateZone(rule, evaluateZone(rule, initialState(rule, 0), 0, 4.6).state, 11_000, 4.8);
  assert.equal(raised.change?.to, 'MAJOR');
  assert.equal(raised.change?.details.zone, 'D', 'the alarm names its zone');
  assert.equal(pointZone([rule], 'other', 3.1), null);
});

test('profile check: zone severities differ; a forecast rule names a threshold rule on its point', () => {
  const base = { id: 'p', name: 'p', points: [{ key: 't', name: 't' }, { key: 'v', name: 'v' }] };
  const th: AlarmRule = { kind: 'threshold', type: 'hot', point: 't', levels: [{ severity: 'MAJOR', above: 80 }] };
  assert.deepEqual(profileProblems({ ...base, rules: [th, { kind: 'forecast', type: 'hot_forecast', point: 't', of: 'hot', leadTimeS: 3600, windowS: 600, severity: 'MINOR' }] }), []);
  assert.match(profileProblems({ ...base, rules: [th, { kind: 'forecast', type: 'f', point: 't', of: 'nope', leadTimeS: 3600, windowS: 600, severity: 'MINOR' }] })[0], /threshold rule/);
  assert.match(profileProblems({ ...base, rules: [th, { kind: 'forecast', type: 'f', point: 'v', of: 'hot', leadTimeS: 3600, windowS: 600, severity: 'MINOR' }] })[0], /differs/);
  assert.match(profileProblems({ ...base, rules: [{ kind: 'zone', type: 'z', point: 'v', machineGroup: 1, foundation: 'rigid', severities: { C: 'MAJOR' } }] })[0], /different severities/);
});
