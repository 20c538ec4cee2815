// The NAB scorer against its two ends (null 0, perfect 100) and against cases worked by hand from nab/sweeper.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreCorpus, scaledSigmoid, probationaryLength, windowRows, type ScoredFile } from './nab-score.ts';

function file(n: number, windows: Array<[number, number]>, hits: Record<number, number>): ScoredFile {
  const scores = new Float64Array(n);
  for (const [i, v] of Object.entries(hits)) scores[Number(i)] = v;
  return { name: 'c/f.csv', scores, windows };
}
const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

test('scaled sigmoid: 0.98661 at a window\'s left edge, 0 at its right edge, -1 from 3 widths past it', () => {
  close(scaledSigmoid(-1), 0.9866142981514305);
  close(scaledSigmoid(0), 0);
  assert.equal(scaledSigmoid(3), -1);
});

test('probation: 15% of the rows, never more than 750', () => {
  assert.equal(probationaryLength(100), 15);
  assert.equal(probationaryLength(4032), 604);
  assert.equal(probationaryLength(15902), 750);
});

test('a detector that never fires scores 0 and one that fires on each window\'s first row scores 100', () => {
  const w: Array<[number, number]> = [[40, 49], [70, 79]];
  const none = scoreCorpus([file(100, w, {}), file(200, [[120, 139]], {})]);
  close(none.normalized, 0);
  assert.equal(none.nullRaw, -3);
  const perfect = scoreCorpus([file(100, w, { 40: 1, 70: 1 }), file(200, [[120, 139]], { 120: 1 })]);
  close(perfect.normalized, 100);
  assert.equal(perfect.threshold, 1);
});

test('a detection halfway into its window earns scaledSigmoid(-0.5) / scaledSigmoid(-1) = 0.85979', () => {
  // Window rows 40..49 (width 10); row 45 sits at -(49 - 45 + 1) / 10 = -0.5.
  const r = scoreCorpus([file(100, [[40, 49]], { 45: 1 })]);
  close(r.raw, 0.8597925669097837);
  close(r.normalized, 100 * (0.8597925669097837 + 1) / 2);
});

test('only the earliest detection in a window counts, and later ones there cost nothing', () => {
  const r = scoreCorpus([file(100, [[40, 49]], { 41: 1, 45: 1, 48: 1 })]);
  close(r.raw, 0.9912952980422967); // row 41: -(49 - 41 + 1) / 10 = -0.9
  assert.equal(r.tp, 3);
});

test('a false positive after a window is scaled by its distance past the right edge; before any window it costs 0.11', () => {
  // Row 60: |49 - 60| / (10 - 1) = 1.222 -> scaledSigmoid = -0.99557, times 0.11.
  const after = scoreCorpus([file(100, [[40, 49]], { 45: 1, 60: 1 })]);
  close(after.raw, 0.8597925669097837 - 0.10951310130369775);
  const before = scoreCorpus([file(100, [[40, 49]], { 20: 1, 45: 1 })]);
  close(before.raw, 0.8597925669097837 - 0.11);
});

test('detections in the probationary period are not scored', () => {
  const r = scoreCorpus([file(100, [[40, 49]], { 5: 1, 14: 1, 45: 1 })]);
  close(r.raw, 0.8597925669097837);
  assert.equal(r.fp, 0);
});

test('one threshold for the whole corpus: the best over every score level, ties to the higher threshold', () => {
  // File a: its window found at 0.9. File b: a false positive at 0.8 and its window found at 0.6.
  // >= 0.9: a found, b missed: 0.9913 - 1. >= 0.6: both found, one FP before any window: 0.9913 + 0.9913 - 0.11.
  const a = file(100, [[40, 49]], { 41: 0.9 });
  const b = file(100, [[60, 69]], { 30: 0.8, 61: 0.6 });
  const r = scoreCorpus([a, b]);
  assert.equal(r.threshold, 0.6);
  close(r.raw, 2 * 0.9912952980422967 - 0.11);
});

test('window limits map to the rows they cover', () => {
  const ts = [0, 10, 20, 30, 40, 50];
  assert.deepEqual(windowRows(ts, [[10, 30], [45, 100]]), [[1, 3], [5, 5]]);
});
