// Trend-to-threshold cost and accuracy: Outpost's two-scale Theil-Sen forecast beside a least-squares extrapolation, same windows.
import { fitTrend, forecastCrossing, earliestForecast, type Sample } from '../appliance/src/domain/index.ts';
import { slopePerMin } from '../appliance/src/domain/index.ts';
import { noise } from '../ops/demo-site/physics.ts';

const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 2000);
const N = 120; // samples per window: what the forecast module fits after bucketing
const MIN = 60_000, H = 3_600_000, LIMIT = 80;

/** Window i: a drift of 0.2-0.4 units/min from 50 with noise, and (when spikes) one reading in 20 off by +15 (a glitching sensor). */
function windowOf(i: number, spikes: boolean): { s: Sample[]; trueCross: number } {
  const slope = 0.2 + 0.2 * ((i * 0.618) % 1);
  const s: Sample[] = [];
  for (let m = 0; m < N; m++) s.push([m * MIN, 50 + slope * m * 0.25 + 0.5 * noise(i, m) + (spikes && (m * 7 + i) % 20 === 0 ? 15 : 0)]);
  return { s, trueCross: ((LIMIT - 50) / (slope * 0.25)) * MIN };
}

function outpost(s: Sample[], now: number): number | null {
  const cands = [s, s.slice((2 * s.length) / 3)].map((w) => ({ fc: forecastCrossing(fitTrend(w)!, LIMIT, 'above', now, 48 * H) }));
  return earliestForecast(cands).fc.crossingTs;
}

/** The peer: least-squares slope (the rate rule's) and the last reading extrapolated along it. */
function leastSquares(s: Sample[], now: number): number | null {
  const perMs = slopePerMin(s) / MIN;
  const n = s.length, tbar = s.reduce((a, [t]) => a + t, 0) / n, vbar = s.reduce((a, [, v]) => a + v, 0) / n;
  const atNow = vbar + perMs * (now - tbar);
  return perMs > 0 ? now + (LIMIT - atNow) / perMs : null;
}

function rate(fn: (s: Sample[], now: number) => number | null, ws: Sample[][]): number {
  let best = 0;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    for (const s of ws) fn(s, s[N - 1][0]);
    best = Math.max(best, ws.length / ((performance.now() - t0) / 1000));
  }
  return best;
}

/** Median |predicted - true| crossing, as % of the time that was left. */
function error(fn: (s: Sample[], now: number) => number | null, spikes: boolean): number {
  const errs: number[] = [];
  for (let i = 0; i < WINDOWS; i++) {
    const { s, trueCross } = windowOf(i, spikes);
    const now = s[N - 1][0];
    const p = fn(s, now);
    errs.push(p === null ? 100 : (Math.abs(p - trueCross) / (trueCross - now)) * 100);
  }
  errs.sort((a, b) => a - b);
  return errs[errs.length >> 1];
}

const clean = Array.from({ length: WINDOWS }, (_, i) => windowOf(i, false).s);
const o = rate(outpost, clean), p = rate(leastSquares, clean);
const rows: [string, string, string, string][] = [
  ['forecasts/s, one core (120-sample window, best of 3)', Math.round(o).toLocaleString('en'), Math.round(p).toLocaleString('en'), (o / p).toFixed(3)],
  ['points at one refit per 2 min (windowS 3600), one core', Math.round(o * 120).toLocaleString('en'), Math.round(p * 120).toLocaleString('en'), ''],
  ['crossing error, clean drift (median, % of time left)', error(outpost, false).toFixed(1), error(leastSquares, false).toFixed(1), ''],
  ['crossing error, 1 reading in 20 a +15 spike', error(outpost, true).toFixed(1), error(leastSquares, true).toFixed(1), ''],
];
const w = [58, 20, 22, 6];
const line = (c: string[]) => `| ${c.map((x, i) => (i ? x.padStart(w[i]) : x.padEnd(w[i]))).join(' | ')} |`;
console.log(`\n${WINDOWS} windows, node ${process.version}, ${new Date().toISOString()}\n`);
console.log(line(['', 'two-scale Theil-Sen', 'least squares (peer)', 'ratio']));
console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
