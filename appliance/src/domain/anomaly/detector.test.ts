// The streaming detector: causal, quiet on a normal daily cycle, loud on an injected anomaly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnomalyDetector } from './detector.ts';
import { RollingExtremes } from './rolling-extremes.ts';

const FIVE_MIN = 300_000;
/** A daily cycle sampled every 5 minutes with a little deterministic noise. */
function dailySeries(n: number): { ts: number[]; values: number[] } {
  const ts: number[] = []; const values: number[] = [];
  let seed = 7;
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; };
  for (let i = 0; i < n; i++) {
    ts.push(Date.UTC(2026, 0, 1) + i * FIVE_MIN);
    values.push(50 + 20 * Math.sin((2 * Math.PI * i) / 288) + 2 * rand());
  }
  return { ts, values };
}
function run(values: number[], ts: number[]): number[] {
  const d = new AnomalyDetector();
  return values.map((v, i) => d.update(v, ts[i]));
}

test('causal: the score at a row does not change when later rows change', () => {
  const { ts, values } = dailySeries(3000);
  const a = run(values, ts);
  const changed = values.slice();
  for (let i = 2000; i < changed.length; i++) changed[i] = changed[i] * 3 + 100;
  const b = run(changed, ts);
  assert.deepEqual(b.slice(0, 2000), a.slice(0, 2000));
  assert.notDeepEqual(b.slice(2000), a.slice(2000));
});

test('an injected spike scores far above everything the normal daily cycle scores', () => {
  const { ts, values } = dailySeries(3000);
  values[2500] = 110; // well above the cycle's 70 peak
  const s = run(values, ts);
  const normalMax = Math.max(...s.slice(600, 2500));
  assert.ok(s[2500] > 0.5, `spike scored ${s[2500]}`);
  assert.ok(s[2500] > normalMax + 0.2, `spike ${s[2500]} vs normal max ${normalMax}`);
});

test('a cycle that goes flat where it should swing is found by the daily expert', () => {
  const { ts, values } = dailySeries(4000);
  for (let i = 3000; i < 3150; i++) values[i] = 50; // inside the normal range, but no swing
  const s = run(values, ts);
  const normalMax = Math.max(...s.slice(600, 3000));
  const flatMax = Math.max(...s.slice(3000, 3150));
  assert.ok(flatMax > normalMax, `flat ${flatMax} vs normal ${normalMax}`);
});

test('rolling extremes follow a sliding window', () => {
  const r = new RollingExtremes(3);
  const seen: Array<[number, number]> = [];
  for (const v of [5, 1, 4, 3, 9, 2, 2, 2]) { r.push(v); seen.push([r.min, r.max]); }
  assert.deepEqual(seen, [[5, 5], [1, 5], [1, 5], [1, 4], [3, 9], [2, 9], [2, 9], [2, 2]]);
});
