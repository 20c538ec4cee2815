// Table tests for the normal band of each rule kind and the hold verdicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlarmRule } from './types.ts';
import { normalBand, holdReading, holdVerdict, emptyHold, inBand } from './verification.ts';

const overheat: AlarmRule = { kind: 'threshold', type: 'bearing_overheat', point: 't', hysteresis: 3, levels: [{ severity: 'MAJOR', above: 80 }, { severity: 'CRITICAL', above: 95 }] };
const low: AlarmRule = { kind: 'threshold', type: 'pressure_low', point: 'p', hysteresis: 0.2, levels: [{ severity: 'MAJOR', below: 6 }] };

test('normal band per rule kind: threshold above/below with hysteresis, zone B/C boundary, forecast its threshold, none for rate/offline', () => {
  assert.deepEqual(normalBand(overheat, [overheat]), { point: 't', max: 77 });
  assert.deepEqual(normalBand(low, [low]), { point: 'p', min: 6.2 });
  const zone: AlarmRule = { kind: 'zone', type: 'vib', point: 'v', machineGroup: 2, foundation: 'rigid', hysteresis: 0.3 };
  const zb = normalBand(zone, [zone])!;
  assert.equal(zb.point, 'v');
  assert.ok(Math.abs(zb.max! - (2.8 - 0.3)) < 1e-6, `group 2 rigid B/C is 2.8 mm/s, got ${zb.max}`);
  const fc: AlarmRule = { kind: 'forecast', type: 'f', point: 't', of: 'bearing_overheat', leadTimeS: 60, windowS: 60, severity: 'MINOR' };
  assert.deepEqual(normalBand(fc, [overheat, fc]), { point: 't', max: 77 });
  assert.equal(normalBand({ kind: 'rate', type: 'r', point: 't', maxPerMin: 1, windowS: 60, severity: 'MINOR' }, []), null);
  assert.equal(normalBand({ kind: 'offline', type: 'o', severity: 'MAJOR' }, []), null);
  assert.equal(inBand({ point: 't', max: 77 }, 77), true);
  assert.equal(inBand({ point: 't', max: 77 }, 77.1), false);
});

test('hold: readings in band until the end verify; one out of band fails at once; too few readings fail as no_data', () => {
  const band = { point: 't', max: 77 };
  let s = emptyHold();
  for (const [ts, v] of [[1, 60], [2, 70], [3, 65]]) s = holdReading(s, band, ts, v);
  assert.deepEqual(holdVerdict(s, 5, 10, 3), { state: 'watching' });
  assert.deepEqual(holdVerdict(s, 10, 10, 3), { state: 'verified', readings: 3, min: 60, max: 70 });
  assert.deepEqual(holdVerdict(s, 10, 10, 4), { state: 'failed', reason: 'no_data', ts: 10 });
  const bad = holdReading(s, band, 4, 81);
  assert.deepEqual(holdVerdict(bad, 5, 10, 3), { state: 'failed', reason: 'out_of_band', ts: 4, value: 81 });
  // Later good readings do not undo the failure.
  assert.deepEqual(holdVerdict(holdReading(bad, band, 6, 50), 10, 10, 3), { state: 'failed', reason: 'out_of_band', ts: 4, value: 81 });
  // No band (rate/offline rules): any value counts as a reading.
  assert.deepEqual(holdVerdict(holdReading(emptyHold(), null, 1, 1e9), 2, 2, 1), { state: 'verified', readings: 1, min: 1e9, max: 1e9 });
});
