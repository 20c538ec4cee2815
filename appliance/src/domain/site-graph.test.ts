// Table tests for the site map: shortest walks, one-way entry of two-way walkways, unreachable zones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { walkMatrix, type ZoneLink } from './site-graph.ts';

// gate --4-- yard --3-- pump ; gate --10-- pump (the long way round) ; yard --2-- store ; island alone
const zones = ['gate', 'yard', 'pump', 'store', 'island'];
const links: ZoneLink[] = [
  { a: 'gate', b: 'yard', minutes: 4 }, { a: 'yard', b: 'pump', minutes: 3 }, { a: 'gate', b: 'pump', minutes: 10 }, { a: 'store', b: 'yard', minutes: 2 },
];

test('shortest walking minutes between every pair', () => {
  const m = walkMatrix(zones, links);
  const table: [string, string, number, string[] | null][] = [
    ['gate', 'pump', 7, ['gate', 'yard', 'pump']], // via the yard beats the direct 10-minute walkway
    ['pump', 'gate', 7, ['pump', 'yard', 'gate']], // walkways go both ways
    ['store', 'pump', 5, ['store', 'yard', 'pump']],
    ['gate', 'gate', 0, ['gate']],
    ['gate', 'island', Infinity, null], // no walkway: unreachable, not zero
    ['gate', 'nowhere', Infinity, null], // a zone the map does not know
  ];
  for (const [a, b, min, path] of table) {
    assert.equal(m.minutes(a, b), min, `${a} -> ${b}`);
    assert.deepEqual(m.path(a, b), a === b && b === 'gate' ? ['gate'] : path, `${a} -> ${b} path`);
  }
});

test('a shorter walkway added changes the answer', () => {
  const m = walkMatrix(zones, [...links, { a: 'gate', b: 'pump', minutes: 5 }]);
  assert.equal(m.minutes('gate', 'pump'), 5);
  assert.equal(m.minutes('store', 'gate'), 6);
});
