// Anomaly detectors: readings/s per core for Outpost's detector beside a plain rolling z-score in the same run, and the NAB subset score and time.
import { cpus } from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnomalyDetector } from '../appliance/src/domain/anomaly/detector.ts';
import { scoreCorpus, windowRows } from '../appliance/src/domain/anomaly/nab-score.ts';
import { readCorpus, readWindows } from '../appliance/src/modules/anomaly/nab/corpus.ts';

const N = Number(process.env.BENCH_READINGS ?? 2_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const NAB = process.env.BENCH_NAB ?? '/work/shared/data/nab';

/** The peer: a plain rolling z-score over the last 500 readings (windowed Gaussian, NAB's 39.6 baseline family). */
class RollingZ {
  private readonly buf = new Float64Array(500);
  private i = 0; private sum = 0; private sq = 0;
  update(v: number): number {
    const k = this.i % 500; const old = this.buf[k];
    const n = Math.min(this.i, 500);
    const mean = n ? this.sum / n : v; const sd = n ? Math.sqrt(Math.max(0, this.sq / n - mean * mean)) : 0;
    const z = sd > 0 ? Math.abs(v - mean) / sd : 0;
    if (this.i >= 500) { this.sum -= old; this.sq -= old * old; }
    this.buf[k] = v; this.sum += v; this.sq += v * v; this.i++;
    return z;
  }
}

// A daily cycle sampled every 5 minutes with noise and an occasional spike: the detectors' realistic path.
const values = new Float64Array(N); const ts = new Float64Array(N);
let seed = 1;
const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
for (let i = 0; i < N; i++) {
  ts[i] = Date.UTC(2026, 0, 1) + i * 300_000;
  values[i] = 50 + 20 * Math.sin((2 * Math.PI * i) / 288) + 3 * (rand() - 0.5) + (rand() < 0.0005 ? 40 : 0);
}

function rate(make: () => { update(v: number, t: number): number }): number {
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const d = make(); let sink = 0;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) sink += d.update(values[i], ts[i]);
    const secs = (performance.now() - t0) / 1000;
    if (Number.isNaN(sink)) throw new Error('NaN score');
    best = Math.max(best, N / secs);
  }
  return best;
}

const outpost = rate(() => new AnomalyDetector());
const peer = rate(() => new RollingZ());

// The NAB run goes through the real CLI in a child process, as an operator would run it.
const out = mkdtempSync(join(tmpdir(), 'outpost-nab-'));
const t0 = performance.now();
const cli = fileURLToPath(new URL('../appliance/src/modules/anomaly/nab/run-nab.ts', import.meta.url));
const text = execFileSync(process.execPath, [cli, '--data', NAB, '--out', out, '--labels', join(NAB, 'labels/combined_windows.json')], { encoding: 'utf8' });
const nabSecs = (performance.now() - t0) / 1000;
rmSync(out, { recursive: true, force: true });
const score = /NAB standard score: ([\d.-]+)/.exec(text)?.[1] ?? '?';
const threshold = /threshold ([\d.e-]+)/.exec(text)?.[1] ?? '?';

// The peer through the same scorer (a z-score is unbounded; z / (1 + z) keeps its order in [0, 1)).
const windows = readWindows(join(NAB, 'labels/combined_windows.json'));
const peerNab = scoreCorpus(readCorpus(NAB).map((s) => {
  const d = new RollingZ();
  const scores = Float64Array.from(s.values, (v) => { const z = d.update(v); return z / (1 + z); });
  return { name: s.name, scores, windows: windowRows(s.ts, windows.get(s.name) ?? []) };
}));

const f = (x: number) => Math.round(x).toLocaleString('en-US');
const rows = [
  ['', 'Outpost detector', 'rolling z-score (peer)', 'ratio', 'target'],
  ['readings/s, one core (best of ' + ROUNDS + ' x ' + f(N) + ')', f(outpost), f(peer), (outpost / peer).toFixed(2), '> 200,000'],
  ['NAB subset (31 files), standard score', score, peerNab.normalized.toFixed(2), '', '>= 70 (aim 75)'],
  ['NAB subset, optimised threshold', Number(threshold).toFixed(4), peerNab.threshold.toFixed(4), '', ''],
  ['NAB subset, whole run (CLI, detect + write + score), s', nabSecs.toFixed(2), '-', '', '< 60'],
];
const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
console.log(`${cpus()[0]?.model ?? 'cpu'} x ${cpus().length}, node ${process.version}`);
console.log(line(rows[0])); console.log('|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|');
for (const r of rows.slice(1)) console.log(line(r));
