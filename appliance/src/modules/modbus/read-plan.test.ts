// Table tests of the read planner: gaps, limits per function code, tables kept apart, every point read once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planReads, planNaive } from './read-plan.ts';
import type { RegisterPoint, Table, DataType } from './register-map.ts';

const pt = (table: Table, address: number, type: DataType = 'uint16'): RegisterPoint => ({ key: `${table}${address}`, table, address, type });
const shape = (b: ReturnType<typeof planReads>) => b.map((x) => `${x.fc}:${x.address}+${x.count}`);

const CASES: [string, RegisterPoint[], number, string[]][] = [
  ['contiguous registers become one read', [pt('holding', 0), pt('holding', 1), pt('holding', 2)], 0, ['3:0+3']],
  ['unsorted input is sorted first', [pt('holding', 2), pt('holding', 0), pt('holding', 1)], 0, ['3:0+3']],
  ['a gap larger than maxGap splits', [pt('holding', 0), pt('holding', 10)], 5, ['3:0+1', '3:10+1']],
  ['a gap up to maxGap is read through', [pt('holding', 0), pt('holding', 6)], 5, ['3:0+7']],
  ['float32 pairs (SDM630 30001, 30003, 30005)', [pt('input', 0, 'float32'), pt('input', 2, 'float32'), pt('input', 4, 'float32')], 0, ['4:0+6']],
  ['a 64-bit value spans four registers', [pt('holding', 0, 'uint64'), pt('holding', 4)], 0, ['3:0+5']],
  ['tables never share a read', [pt('holding', 0), pt('input', 1), pt('coil', 0), pt('discrete', 0)], 10, ['1:0+1', '2:0+1', '3:0+1', '4:1+1']],
  ['125 registers at most per FC3 read', Array.from({ length: 130 }, (_, i) => pt('holding', i)), 0, ['3:0+125', '3:125+5']],
  ['a float32 is not split across the 125 limit', [...Array.from({ length: 124 }, (_, i) => pt('input', i)), pt('input', 124, 'float32')], 0, ['4:0+124', '4:124+2']],
  ['2000 coils at most per FC1 read', [pt('coil', 0), pt('coil', 1999), pt('coil', 2000)], 2000, ['1:0+2000', '1:2000+1']],
  ['overlapping points (a bit field and its word)', [pt('holding', 5), pt('holding', 5)], 0, ['3:5+1']],
  ['no points, no reads', [], 8, []],
];

for (const [name, points, maxGap, want] of CASES) {
  test(`plan: ${name}`, () => {
    const blocks = planReads(points, { maxGap });
    assert.deepEqual(shape(blocks), want);
    // Every point is read exactly once, inside its block.
    const seen = blocks.flatMap((b) => b.points.map((i) => {
      const p = points[i];
      assert.ok(p.address >= b.address && p.address < b.address + b.count, `${p.key} inside ${b.address}+${b.count}`);
      return i;
    })).sort((a, b) => a - b);
    assert.deepEqual(seen, points.map((_, i) => i));
  });
}

test('naive plan: one request per point', () => {
  assert.deepEqual(shape(planNaive([pt('holding', 0), pt('holding', 1, 'float32')])), ['3:0+1', '3:1+2']);
});
