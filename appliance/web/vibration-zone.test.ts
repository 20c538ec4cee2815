// The dashboard's copy of the ISO 10816-3 table equals the box's, and classifies the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ISO_10816_3 as WEB, vibrationZone as webZone, pointZone } from './vibration-zone.js';
import { ISO_10816_3, vibrationZone } from '../src/domain/vibration-zones.ts';

test('web zone table mirrors the domain table', () => {
  assert.deepEqual(WEB, ISO_10816_3);
  for (const v of [0.5, 1.4, 2.3, 2.8, 3.5, 4.5, 7.1, 11, 20]) {
    for (const g of [1, 2] as const) for (const f of ['rigid', 'flexible'] as const) assert.equal(webZone(v, g, f), vibrationZone(v, g, f));
  }
  assert.equal(pointZone({ rules: [{ kind: 'zone', point: 'vib', machineGroup: 2, foundation: 'rigid' }] }, 'vib', 3), 'C');
  assert.equal(pointZone({ rules: [] }, 'vib', 3), null);
});
