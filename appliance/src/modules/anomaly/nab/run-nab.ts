// `npm run nab -- --data <folder> --out <folder> [--labels combined_windows.json]`: runs Outpost's
// detector over a NAB-layout folder, writes NAB result files and prints the standard-profile score.
import { parseArgs } from 'node:util';
import { readCorpus, readWindows, writeResult } from './corpus.ts';
import { AnomalyDetector, DEFAULT_CONFIG, type DetectorConfig } from '../../../domain/anomaly/detector.ts';
import { scoreCorpus, windowRows, STANDARD_PROFILE, type ScoredFile } from '../../../domain/anomaly/nab-score.ts';

export const DETECTOR_NAME = 'outpost';

export function runDetector(values: Float64Array, ts: Float64Array, cfg: DetectorConfig = DEFAULT_CONFIG): Float64Array {
  const d = new AnomalyDetector(cfg);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = d.update(values[i], ts[i]);
  return out;
}

function main(): void {
  const { values: a } = parseArgs({ options: { data: { type: 'string' }, out: { type: 'string' }, labels: { type: 'string' }, config: { type: 'string' } } });
  if (!a.data || !a.out) {
    process.stderr.write('usage: npm run nab -- --data <folder> --out <folder> [--labels <combined_windows.json>]\n');
    process.exit(2);
  }
  const cfg: DetectorConfig = a.config ? { ...DEFAULT_CONFIG, ...JSON.parse(a.config) } : DEFAULT_CONFIG;
  const t0 = performance.now();
  const corpus = readCorpus(a.data);
  const windows = a.labels ? readWindows(a.labels) : null;
  const scored: ScoredFile[] = [];
  let rows = 0;
  let detectMs = 0;
  for (const s of corpus) {
    const t = performance.now();
    const scores = runDetector(s.values, s.ts, cfg);
    detectMs += performance.now() - t;
    rows += s.values.length;
    let labels: Uint8Array | null = null;
    if (windows) {
      const limits = windows.get(s.name);
      if (!limits) throw new Error(`OUTPOST_NAB_NO_LABELS: ${s.name} is not in ${a.labels}`);
      const w = windowRows(s.ts, limits);
      labels = new Uint8Array(s.values.length);
      for (const [x, y] of w) labels.fill(1, x, y + 1);
      scored.push({ name: s.name, scores, windows: w });
    }
    writeResult(a.out, DETECTOR_NAME, s, scores, labels);
  }
  const secs = (performance.now() - t0) / 1000;
  process.stdout.write(`${corpus.length} files, ${rows} rows, detector ${(rows / (detectMs / 1000)).toFixed(0)} rows/s, total ${secs.toFixed(2)} s\n`);
  if (!windows) return;
  const r = scoreCorpus(scored, STANDARD_PROFILE);
  if (process.env.NAB_PER_FILE) {
    for (const f of scored) {
      const one = scoreCorpus([f], STANDARD_PROFILE);
      process.stdout.write(`  ${f.name}: ${one.normalized.toFixed(1)} (own thr ${one.threshold.toFixed(4)})\n`);
    }
  }
  process.stdout.write(`threshold ${r.threshold} raw ${r.raw.toFixed(3)} null ${r.nullRaw.toFixed(3)} perfect ${r.perfect} windows ${r.windows} tp rows ${r.tp} fp rows ${r.fp}\n`);
  process.stdout.write(`NAB standard score: ${r.normalized.toFixed(2)}\n`);
}

if (import.meta.main) main();
