// Table tests for trend to threshold: the fit, the crossing and its band, the raise/clear decision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitTrend, forecastCrossing, forecastHolds, bucketMeans, tQuantile975, forecastChart, earliestForecast, type Sample } from './forecast.ts';
import { noise } from '../../../ops/demo-site/physics.ts';

const MIN = 60_000, H = 3_600_000;
const T0 = Date.UTC(2026, 10, 1);
/** n samples one minute apart from T0: value = f(minute). */
const series = (n: number, f: (m: number) => number): Sample[] => Array.from({ length: n }, (_, m) => [T0 + m * MIN, f(m)]);

test('crossing of a limit: central estimate and band, table', () => {
  const cases: { name: string; s: Sample[]; limit: number; dir: 'above' | 'below'; crossMin: number | null; significant: boolean }[] = [
    // 50 + 1/min: at minute 59 the trend is 109... choose limit 120: crosses at minute 70.
    { name: 'clean rise', s: series(60, (m) => 50 + m), limit: 120, dir: 'above', crossMin: 70, significant: true },
    { name: 'noisy rise (±1)', s: series(60, (m) => 50 + m + noise(1, m)), limit: 120, dir: 'above', crossMin: 70, significant: true },
    { name: 'falling towards a low limit', s: series(60, (m) => 10 - 0.05 * m), limit: 6, dir: 'below', crossMin: 80, significant: true },
    { name: 'flat noise: no trend', s: series(60, (m) => 60 + noise(2, m)), limit: 80, dir: 'above', crossMin: null, significant: false },
    { name: 'moving away from the limit', s: series(60, (m) => 70 - 0.2 * m + 0.1 * noise(3, m)), limit: 80, dir: 'above', crossMin: null, significant: false },
    { name: 'already past the limit', s: series(30, (m) => 85 + 0.5 * m), limit: 80, dir: 'above', crossMin: 29, significant: true },
  ];
  for (const c of cases) {
    const f = fitTrend(c.s)!;
    const now = c.s.at(-1)![0];
    const fc = forecastCrossing(f, c.limit, c.dir, now, 24 * H);
    assert.equal(fc.significant, c.significant, `${c.name}: significant`);
    if (c.crossMin === null) { assert.equal(fc.earlyTs, null, `${c.name}: no early edge`); continue; }
    assert.ok(Math.abs((fc.crossingTs! - T0) / MIN - c.crossMin) < 1.5, `${c.name}: crossing at minute ${(fc.crossingTs! - T0) / MIN}, want ${c.crossMin}`);
    assert.ok(fc.earlyTs! <= fc.crossingTs! && fc.crossingTs! <= fc.lateTs!, `${c.name}: early <= central <= late`);
  }
});

test('Theil-Sen shrugs off spikes that drag least squares (one in six readings +15)', () => {
  const s = series(60, (m) => 50 + 0.5 * m + (m % 6 === 0 && m > 30 ? 15 : 0));
  const f = fitTrend(s)!;
  assert.ok(Math.abs(f.slope * MIN - 0.5) < 0.02, `slope ${f.slope * MIN} per minute`);
});

test('more noise widens the band: the early edge comes sooner and the late edge later', () => {
  const quiet = fitTrend(series(60, (m) => 50 + 0.5 * m + 0.2 * noise(4, m)))!;
  const loud = fitTrend(series(60, (m) => 50 + 0.5 * m + 3 * noise(4, m)))!;
  const now = T0 + 59 * MIN;
  const q = forecastCrossing(quiet, 100, 'above', now, 24 * H), l = forecastCrossing(loud, 100, 'above', now, 24 * H);
  assert.ok(l.earlyTs! < q.earlyTs! && l.lateTs! > q.lateTs!);
});

test('raise when the early edge is inside the lead time; clear beyond 1.5 x (hysteresis); never without a significant trend', () => {
  const base = { direction: 'above' as const, limit: 80, nowTs: 0, trendNow: 70, slopePerHour: 1, crossingTs: 10 * H, lateTs: 12 * H };
  const rows: [string, Parameters<typeof forecastHolds>[0], number, boolean, boolean][] = [
    ['early edge at 8 h, lead 10 h', { ...base, significant: true, earlyTs: 8 * H }, 10 * H, false, true],
    ['early edge at 12 h, lead 10 h, not raised', { ...base, significant: true, earlyTs: 12 * H }, 10 * H, false, false],
    ['early edge at 12 h, lead 10 h, already raised: held', { ...base, significant: true, earlyTs: 12 * H }, 10 * H, true, true],
    ['early edge at 16 h, lead 10 h, raised: cleared', { ...base, significant: true, earlyTs: 16 * H }, 10 * H, true, false],
    ['not significant', { ...base, significant: false, earlyTs: 1 * H }, 10 * H, true, false],
    ['band never reaches the limit', { ...base, significant: true, earlyTs: null }, 10 * H, true, false],
    ['flat past the limit, raised: held', { ...base, significant: false, earlyTs: null, crossingTs: 0 }, 10 * H, true, true],
    ['flat past the limit, not raised: the threshold rule speaks', { ...base, significant: false, earlyTs: null, crossingTs: 0 }, 10 * H, false, false],
  ];
  for (const [name, fc, lead, active, want] of rows) assert.equal(forecastHolds(fc, lead, active), want, name);
});

test('two scales: the recent window catches a drift that speeds up; a steady drift keeps the long window', () => {
  const now = T0 + 70 * MIN;
  const pick = (f: (m: number) => number) => {
    const cands = [60, 20].map((w) => {
      const s = series(71, f).filter(([t]) => t >= now - w * MIN);
      return { w, fc: forecastCrossing(fitTrend(s)!, 80, 'above', now, 24 * H) };
    });
    return earliestForecast(cands);
  };
  // +0.3 °C/min for 60 minutes, then +0.6: the true crossing is at minute 80. Ten minutes into the faster drift the
  // hour-long window still says minute 98; the last 20 minutes say about 85.
  const faster = pick((m) => (m <= 60 ? 50 + 0.3 * m : 68 + 0.6 * (m - 60)) + 0.2 * noise(6, m));
  assert.equal(faster.w, 20);
  const at = (faster.fc.crossingTs! - T0) / MIN;
  assert.ok(at > 78 && at < 88, `crossing at minute ${at}`);
  const steady = pick((m) => 50 + 0.3 * m + 0.2 * noise(6, m));
  assert.ok(Math.abs((steady.fc.crossingTs! - T0) / MIN - 100) < 3);
  const flat = pick((m) => 60 + noise(7, m));
  assert.equal(flat.w, 60, 'nothing significant: the long window speaks');
});

test('Student t quantiles and bucket means', () => {
  assert.equal(tQuantile975(1), 12.706);
  assert.equal(tQuantile975(11), 2.228);
  assert.equal(tQuantile975(500), 1.96);
  const b = bucketMeans(series(100, (m) => m), 10);
  assert.equal(b.length, 10);
  assert.equal(b[0][1], 4.5);
  assert.equal(b[9][1], 94.5);
  assert.equal(bucketMeans(series(5, (m) => m), 10).length, 5);
});

test('the chart holds the samples and a trend with its band that reaches past the crossing', () => {
  const s = series(60, (m) => 50 + 0.5 * m + 0.3 * noise(5, m));
  const f = fitTrend(s)!;
  const now = s.at(-1)![0];
  const fc = forecastCrossing(f, 80, 'above', now, 24 * H);
  const ch = forecastChart(f, s, fc, 2 * H);
  assert.equal(ch.series.values.length, 60);
  assert.equal(ch.trend.ts.length, 41);
  assert.ok(ch.trend.ts.at(-1)! >= fc.crossingTs!);
  ch.trend.mid.forEach((m, i) => assert.ok(ch.trend.lo[i] <= m && m <= ch.trend.hi[i]));
});
