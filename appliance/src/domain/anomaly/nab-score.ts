// NAB scoring, mirrored from numenta/NAB: nab/sweeper.py (Sweeper.calcSweepScore, calcScoreByThreshold),
// nab/optimizer.py (optimizeThreshold: one threshold per detector over the whole corpus) and
// nab/runner.py (Runner.normalize: 100 * (score - null) / (perfect - null)).

export interface CostMatrix { tpWeight: number; fpWeight: number; fnWeight: number }
/** config/profiles.json "standard" in NAB. */
export const STANDARD_PROFILE: CostMatrix = { tpWeight: 1.0, fpWeight: 0.11, fnWeight: 1.0 };
export const PROBATION_PERCENT = 0.15;

/** One scored file: anomaly scores per row and its windows as inclusive row indices [start, end]. */
export interface ScoredFile { name: string; scores: ArrayLike<number>; windows: Array<[number, number]> }

/** The rows of a file after the sweep: what a detection at each row would be worth. */
export interface SweptFile { name: string; scores: ArrayLike<number>; sweep: Float64Array; window: Int32Array }

const PROBATIONARY = -2;
const OUTSIDE = -1;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** sweeper.py scaledSigmoid: -1 at the window's left edge maps to 0.98661, 0 (right edge) to 0, >= 3 to -1. */
export function scaledSigmoid(relativePositionInWindow: number): number {
  if (relativePositionInWindow >= 3.0) return -1.0;
  return 2 * sigmoid(-5 * relativePositionInWindow) - 1.0;
}

/** sweeper.py Sweeper._getProbationaryLength: 15% of the rows, at most 15% of 5000 (750). */
export function probationaryLength(numRows: number, percent = PROBATION_PERCENT): number {
  return Math.min(Math.floor(percent * numRows), percent * 5000);
}

/**
 * sweeper.py Sweeper.calcSweepScore: each row's weighted score if it were a detection.
 * Inside a window: scaledSigmoid(-(right - i + 1) / width) * tpWeight / scaledSigmoid(-1), so the
 * window's first row earns exactly tpWeight. Outside: a false positive scaled by its distance past
 * the previous window's right edge (|prevRight - i| / (prevWidth - 1)); before any window, -fpWeight.
 * Rows in the probationary period are tagged and later ignored. windowBase numbers windows corpus-wide.
 */
export function sweepFile(file: ScoredFile, cost: CostMatrix, windowBase: number): SweptFile {
  const n = file.scores.length;
  const sweep = new Float64Array(n);
  const window = new Int32Array(n);
  const maxTP = scaledSigmoid(-1.0);
  const probation = probationaryLength(n);
  let next = 0;
  let cur = -1; let curRight = -1; let curWidth = 0;
  let prevRight = -1; let prevWidth = 0;
  for (let i = 0; i < n; i++) {
    if (next < file.windows.length && i === file.windows[next][0]) {
      cur = next; curRight = file.windows[next][1]; curWidth = curRight - file.windows[next][0] + 1; next++;
    }
    if (cur >= 0) {
      sweep[i] = scaledSigmoid(-(curRight - i + 1) / curWidth) * cost.tpWeight / maxTP;
    } else {
      const pos = prevRight < 0 ? 3.0 : Math.abs(prevRight - i) / (prevWidth - 1);
      sweep[i] = scaledSigmoid(pos) * cost.fpWeight;
    }
    window[i] = i >= probation ? (cur >= 0 ? windowBase + cur : OUTSIDE) : PROBATIONARY;
    if (cur >= 0 && i === curRight) { prevRight = i; prevWidth = curWidth; cur = -1; }
  }
  return { name: file.name, scores: file.scores, sweep, window };
}

export interface ThresholdScore { threshold: number; score: number; tp: number; tn: number; fp: number; fn: number }

/**
 * sweeper.py Sweeper.calcScoreByThreshold over the rows of every file together (optimizer.py):
 * rows sorted by anomaly score, highest first; lowering the threshold past a row makes it a detection.
 * Every window starts at -fnWeight; a detection inside replaces that with the best (earliest) row's
 * weight, so only the first detection in a window counts; detections outside add their (negative) weight.
 * A threshold t means "score >= t is a detection"; the first entry (1.1) is "nothing detected".
 */
export function scoresByThreshold(files: SweptFile[], cost: CostMatrix): ThresholdScore[] {
  let total = 0;
  for (const f of files) total += f.scores.length;
  const score = new Float64Array(total); const sweep = new Float64Array(total); const win = new Int32Array(total);
  let m = 0;
  let windowCount = 0;
  for (const f of files) {
    for (let i = 0; i < f.scores.length; i++) {
      if (f.window[i] === PROBATIONARY) continue;
      score[m] = f.scores[i]; sweep[m] = f.sweep[i]; win[m] = f.window[i]; m++;
      if (f.window[i] + 1 > windowCount) windowCount = f.window[i] + 1;
    }
  }
  // Only windows with at least one scorable row carry a -fnWeight part (_prepareScoreByThresholdParts).
  const parts = new Float64Array(windowCount);
  const seen = new Uint8Array(windowCount);
  let fnRows = 0;
  for (let k = 0; k < m; k++) if (win[k] >= 0) { seen[win[k]] = 1; fnRows++; }
  let sum = 0;
  for (let w = 0; w < windowCount; w++) if (seen[w]) { parts[w] = -cost.fnWeight; sum += parts[w]; }
  let fpPart = 0;
  const order = new Uint32Array(m);
  for (let k = 0; k < m; k++) order[k] = k;
  order.sort((a, b) => score[b] - score[a]);
  let tp = 0; let fp = 0; let fn = fnRows; let tn = m - fnRows;
  const out: ThresholdScore[] = [];
  let threshold = 1.1;
  for (let j = 0; j < m; j++) {
    const k = order[j];
    if (score[k] !== threshold) {
      out.push({ threshold, score: sum + fpPart, tp, tn, fp, fn });
      threshold = score[k];
    }
    if (win[k] >= 0) {
      tp++; fn--;
      const w = win[k];
      if (sweep[k] > parts[w]) { sum += sweep[k] - parts[w]; parts[w] = sweep[k]; }
    } else {
      fp++; tn--;
      fpPart += sweep[k];
    }
  }
  out.push({ threshold, score: sum + fpPart, tp, tn, fp, fn });
  return out;
}

/** optimizer.py optimizeThreshold: the best score over all thresholds; ties go to the higher threshold (stable sort). */
export function bestThreshold(table: ThresholdScore[]): ThresholdScore {
  let best = table[0];
  for (const t of table) if (t.score > best.score) best = t;
  return best;
}

export interface NabResult {
  threshold: number; raw: number; nullRaw: number; perfect: number; normalized: number;
  tp: number; fp: number; fn: number; windows: number;
}

/**
 * The whole NAB pipeline for one detector and one profile: sweep every file, optimise one threshold
 * across the corpus, and normalise between the null detector (a constant score, run through the same
 * optimisation, as NAB's null detector is) and a perfect one (tpWeight per labelled window, as
 * runner.py Runner.normalize counts windows in the label file).
 */
export function scoreCorpus(files: ScoredFile[], cost: CostMatrix = STANDARD_PROFILE): NabResult {
  const swept: SweptFile[] = [];
  const nulls: SweptFile[] = [];
  let base = 0;
  let windows = 0;
  for (const f of files) {
    const s = sweepFile(f, cost, base);
    swept.push(s);
    nulls.push({ ...s, scores: new Float64Array(f.scores.length).fill(0.5) });
    base += f.windows.length; windows += f.windows.length;
  }
  const best = bestThreshold(scoresByThreshold(swept, cost));
  const nullRaw = bestThreshold(scoresByThreshold(nulls, cost)).score;
  const perfect = windows * cost.tpWeight;
  const normalized = perfect === nullRaw ? 0 : 100 * (best.score - nullRaw) / (perfect - nullRaw);
  return { threshold: best.threshold, raw: best.score, nullRaw, perfect, normalized, tp: best.tp, fp: best.fp, fn: best.fn, windows };
}

/** NAB timestamps ("2014-04-10 07:15:00[.000000]") as UTC epoch ms. */
export function parseNabTime(s: string): number {
  const t = Date.parse(s.trim().slice(0, 19).replace(' ', 'T') + 'Z');
  if (Number.isNaN(t)) throw new Error(`OUTPOST_NAB_BAD_TIMESTAMP: cannot read timestamp "${s}"`);
  return t;
}

/**
 * Window limits (timestamps) to row indices. sweeper.py enters a window on the row whose timestamp
 * equals the window's start and uses timestamps.index(end); NAB's labeler guarantees both are rows.
 * Here the first row at or after start and the last at or before end, which is the same for NAB's labels.
 */
export function windowRows(ts: ArrayLike<number>, limits: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of limits) {
    let s = 0; while (s < ts.length && ts[s] < a) s++;
    let e = ts.length - 1; while (e >= 0 && ts[e] > b) e--;
    if (s < ts.length && e >= s) out.push([s, e]);
  }
  return out;
}
