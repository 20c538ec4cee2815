// The streaming anomaly detector for one point: causal, O(1) per reading, one configuration for every
// point. Several cheap "surprise" experts, each turned into an anomaly likelihood against its own history.
import { Likelihood, normalTail } from './likelihood.ts';
import { RollingExtremes } from './rolling-extremes.ts';
import { DailyProfile } from './daily-profile.ts';

export interface DetectorConfig {
  /** Quantisation levels over the range seen while warming up (the sequence expert's alphabet). */
  levels: number;
  /** Readings before any score is given. */
  warm: number;
  /** Likelihood windows (Ahmad et al. 2017 use 10 and 8640 readings). */
  short: number;
  historic: number;
  /** Exponential horizon (readings) of the level expert's mean and deviation. */
  levelHorizon: number;
  use: { level: boolean; sequence: boolean; spatial: boolean; local: boolean; daily: boolean };
  dailySlots: number;
  dailyAlpha: number;
  dailyMinSeen: number;
  dailyShort: number;
  dailyGate: number;
  dailyWeight: number;
  localWindow: number;
  restLevel: number;
  restRows: number;
  restDamp: number;
  localScale: number;
  localWeight: number;
  spatialScale: number;
  expertWeight: number;
  gain: number;
}

export const DEFAULT_CONFIG: DetectorConfig = {
  levels: 24, warm: 150, short: 10, historic: 2000, levelHorizon: 500,
  use: { level: true, sequence: true, spatial: true, local: true, daily: true },
  dailySlots: 48, dailyAlpha: 0.1, dailyMinSeen: 3, dailyShort: 6, dailyGate: 0.5, dailyWeight: 0.8,
  restLevel: 0.5, restRows: 0, restDamp: 0.5,
  localWindow: 500, localScale: 0.5, localWeight: 0.8,
  spatialScale: 0.1, expertWeight: 0.5, gain: 1,
};

export class AnomalyDetector {
  private readonly cfg: DetectorConfig;
  private n = 0;
  private rest = 0;
  private lo = Infinity;
  private hi = -Infinity;
  // Level expert: exponential mean and variance.
  private m = 0;
  private v = 0;
  // Sequence expert: first-order transition counts between quantised levels (a cheap stand-in for
  // HTM's sequence memory, Ahmad et al. 2017): the surprise is how rarely this move followed the last level.
  private step = 0;
  private base = 0;
  private prevQ = 0;
  private hasPrev = false;
  private readonly trans = new Map<number, number>();
  private readonly from = new Map<number, number>();
  private readonly lLevel: Likelihood;
  private readonly lSeq: Likelihood;
  private readonly recent: RollingExtremes;
  private readonly daily: DailyProfile;
  private readonly lDaily: Likelihood;
  // Exponential variances of the daily residual and of the value around its level: the daily expert
  // speaks only where the cycle explains most of the variance (gate), so a point without a cycle is not judged by one.
  private vr = 0;
  private vv = 0;
  private nr = 0;

  constructor(cfg: DetectorConfig = DEFAULT_CONFIG) {
    this.cfg = cfg;
    const lo = { short: cfg.short, historic: cfg.historic, warm: cfg.warm };
    this.lLevel = new Likelihood(lo);
    this.lSeq = new Likelihood(lo);
    this.recent = new RollingExtremes(cfg.localWindow);
    this.daily = new DailyProfile(cfg.dailySlots, cfg.dailyAlpha);
    this.lDaily = new Likelihood({ short: cfg.dailyShort, historic: cfg.historic, warm: cfg.warm });
  }

  /** Judges one reading from the past only, then learns from it. Returns 0 (usual) .. 1 (anomalous). */
  update(value: number, ts = 0): number {
    const cfg = this.cfg;
    const n = ++this.n;
    let score = 0;

    // Spatial novelty (nupic's NAB detector does the same): a value beyond everything seen so far.
    let spatial = 0;
    if (n > cfg.warm) {
      const range = this.hi - this.lo;
      const excess = Math.max(value - this.hi, this.lo - value);
      if (excess > 0) spatial = 0.5 + 0.5 * Math.tanh(excess / (cfg.spatialScale * range + 1e-12));
    }
    // Local novelty: beyond the extremes of the recent window, relative to that window's range.
    let local = 0;
    if (n > cfg.warm) {
      const rh = this.recent.max; const rl = this.recent.min;
      const excess = Math.max(value - rh, rl - value);
      if (excess > 0) local = Math.tanh(excess / (cfg.localScale * (rh - rl) + 1e-12));
    }
    this.recent.push(value);
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;

    // Level expert.
    let rawLevel = 0;
    if (n > 1) {
      const sd = Math.sqrt(this.v) + 1e-9 * (Math.abs(this.m) + 1);
      rawLevel = 1 - 2 * normalTail(Math.abs(value - this.m) / sd);
    }
    const a = n < cfg.levelHorizon ? 1 / n : 1 / cfg.levelHorizon;
    const d = value - this.m;
    this.m += a * d;
    this.v = (1 - a) * (this.v + a * d * d);
    const sLevel = this.lLevel.update(rawLevel);

    // Sequence expert, its alphabet fixed once the warm-up has shown the range.
    let rawSeq = 0;
    if (n === cfg.warm) {
      this.step = (this.hi - this.lo) / cfg.levels || Math.abs(this.hi) / cfg.levels || 1;
      this.base = this.lo;
    }
    if (n >= cfg.warm) {
      const q = Math.floor((value - this.base) / this.step);
      if (this.hasPrev) {
        const key = this.prevQ * 65536 + q;
        const c = this.trans.get(key) ?? 0;
        const t = this.from.get(this.prevQ) ?? 0;
        rawSeq = t === 0 ? 1 : 1 - c / t;
        this.trans.set(key, c + 1);
        this.from.set(this.prevQ, t + 1);
      }
      this.prevQ = q;
      this.hasPrev = true;
    }
    const sSeq = n > cfg.warm ? this.lSeq.update(rawSeq) : 0;

    // Daily expert.
    let sDaily = 0;
    {
      const slot = this.daily.slotOf(ts);
      const e = this.daily.expected(slot, cfg.dailyMinSeen);
      if (!Number.isNaN(e)) {
        const r = value - e;
        const b = 1 / Math.min(++this.nr, cfg.levelHorizon);
        this.vr = (1 - b) * this.vr + b * r * r;
        this.vv = (1 - b) * this.vv + b * d * d;
        const gated = this.vr < cfg.dailyGate * this.vv;
        const raw = Math.abs(r) / (Math.sqrt(this.vr) + 1e-12);
        const l = this.lDaily.update(Math.min(raw, 10));
        if (gated) sDaily = l;
      }
      this.daily.learn(slot, value);
    }

    if (n <= cfg.warm) return 0;
    if (cfg.use.daily) score = Math.max(score, cfg.dailyWeight * sDaily);
    if (cfg.use.level) score = Math.max(score, cfg.expertWeight * sLevel);
    if (cfg.use.sequence) score = Math.max(score, cfg.expertWeight * sSeq);
    if (cfg.use.local) score = Math.max(score, cfg.localWeight * local);
    if (cfg.use.spatial) score = Math.max(score, spatial);
    // Rest period (as CAD-OSE and nupic's NAB detector do): after a report, the same episode is not reported
    // again for a while, so one anomaly costs one alert, not a run of them.
    if (this.rest > 0) { this.rest--; score *= cfg.restDamp; }
    else if (score >= cfg.restLevel) this.rest = cfg.restRows;
    return score * cfg.gain;
  }
}
