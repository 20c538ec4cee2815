// Reads and writes folders in NAB's layout: <category>/<file>.csv (timestamp,value) and results as
// <out>/<detector>/<category>/<detector>_<file>.csv (timestamp,value,anomaly_score,label), as nab/runner.py writes them.
import { readdirSync, readFileSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { parseNabTime } from '../../../domain/anomaly/nab-score.ts';

export interface NabSeries { name: string; rawTs: string[]; ts: Float64Array; values: Float64Array }

/** Every category/file.csv under root, sorted by name so a run is repeatable. */
export function readCorpus(root: string): NabSeries[] {
  const out: NabSeries[] = [];
  for (const cat of readdirSync(root).sort()) {
    const dir = join(root, cat);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.csv')) out.push(readSeries(join(dir, f), `${cat}/${f}`));
  }
  return out;
}

export function readSeries(path: string, name: string): NabSeries {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const rawTs: string[] = []; const ts: number[] = []; const values: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const c = line.indexOf(',');
    const v = Number(line.slice(c + 1));
    if (c < 0 || !Number.isFinite(v)) throw new Error(`OUTPOST_NAB_BAD_ROW: ${name} line ${i + 1} is not "timestamp,value": ${line}`);
    rawTs.push(line.slice(0, c)); ts.push(parseNabTime(line.slice(0, c))); values.push(v);
  }
  return { name, rawTs, ts: Float64Array.from(ts), values: Float64Array.from(values) };
}

/** combined_windows.json: file -> [[start, end], ...] as epoch ms. */
export function readWindows(path: string): Map<string, Array<[number, number]>> {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Array<[string, string]>>;
  const out = new Map<string, Array<[number, number]>>();
  for (const [k, ws] of Object.entries(json)) out.set(k, ws.map(([a, b]) => [parseNabTime(a), parseNabTime(b)] as [number, number]));
  return out;
}

export function writeResult(outRoot: string, detector: string, s: NabSeries, scores: ArrayLike<number>, labels: Uint8Array | null): void {
  const [cat, file] = s.name.split('/');
  const path = join(outRoot, detector, cat, `${detector}_${file}`);
  mkdirSync(dirname(path), { recursive: true });
  const rows: string[] = [labels ? 'timestamp,value,anomaly_score,label' : 'timestamp,value,anomaly_score'];
  for (let i = 0; i < s.values.length; i++) {
    rows.push(`${s.rawTs[i]},${s.values[i]},${scores[i]}${labels ? ',' + labels[i] : ''}`);
  }
  writeFileSync(path, rows.join('\n') + '\n');
}
