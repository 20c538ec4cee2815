// Table tests for distances and the nearest zone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distanceM, nearestZone } from './geo.ts';

test('distance: one degree of latitude is ~111.2 km; 0.001 deg of longitude at 31 N is ~95 m', () => {
  assert.ok(Math.abs(distanceM({ lat: 31, lon: 121 }, { lat: 32, lon: 121 }) - 111_195) < 50);
  assert.ok(Math.abs(distanceM({ lat: 31, lon: 121 }, { lat: 31, lon: 121.001 }) - 95.3) < 1);
  assert.equal(distanceM({ lat: 31, lon: 121 }, { lat: 31, lon: 121 }), 0);
});

test('nearest zone: closest marked centre within reach (plus the fix accuracy); unmarked zones and far fixes place nobody', () => {
  const zones = [
    { id: 'pump-house', lat: 31.0, lon: 121.0 },
    { id: 'utility-room', lat: 31.0, lon: 121.002 },
    { id: 'office', lat: null, lon: null },
  ];
  assert.equal(nearestZone(zones, { lat: 31.0, lon: 121.0005 }, 150)?.zone.id, 'pump-house');
  assert.equal(nearestZone(zones, { lat: 31.0, lon: 121.0016 }, 150)?.zone.id, 'utility-room');
  assert.equal(nearestZone(zones, { lat: 31.01, lon: 121.0 }, 150), null, '1.1 km north is off site');
  assert.equal(nearestZone(zones, { lat: 31.0025, lon: 121.0, accuracyM: 200 }, 150)?.zone.id, 'pump-house', '278 m away with a 200 m fix may be there');
  assert.equal(nearestZone([{ id: 'x', lat: null, lon: null }], { lat: 0, lon: 0 }, 1e9), null);
});
