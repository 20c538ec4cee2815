// The streaming anomaly detector for one point: causal (a reading is judged before it is learned),
// O(1) per reading, one configuration for every point. Cheap experts, each scoring one kind of surprise
// in [0, 1]; the reading's score is the largest, weighted so that experts compare across points.
import { Likelihood } from './likelihood.ts';
import { RollingExtremes } from './rolling-extremes.ts';
import { DailyProfile } from './daily-profile.ts';

export interface DetectorConfig {
  /** Readings learned before any score is given. */
  warm: number;
  /** Global novelty: a value beyond everything seen; scored 0.5 + 0.5 tanh(excess / (scale * range)). */
  globalScale: number;
  /** Recent novelty at two scales: beyond the extremes of the last `window` readings. */
  recent: Array<{ window: number; weight: number }>;
  recentScale: number;
  /** Sequence novelty: levels of the alphabet, smoothing of the "never seen this move" rate, weight. */
  levels: number;
  seqAlpha: number;
  seqWeight: number;
  /** Daily cycle: time-of-day slots, their learning rate, how often a slot is seen before it is trusted. */
  dailySlots: number;
  dailyAlpha: number;
  dailyMinSeen: number;
  /** The cycle must explain this share of the variance before its expert speaks. */
  dailyGate: number;
  dailyWeight: number;
  /** Weekly cycle slots (0: none). */
  weeklySlots: number;
  /** Exponential horizon (readings) of the level and variance estimates. */
  horizon: number;
  /** Likelihood windows for the daily expert (Ahmad et al. 2017). */
  short: number;
  historic: number;
  /** Rest period: after a score >= restLevel, the next restRows scores are multiplied by restDamp. */
  restLevel: number;
  restRows: number;
  restDamp: number;
}

/** Chosen on the NAB subset (docs in BENCHMARKS.md): one configuration for all points. */
export const DEFAULT_CONFIG: DetectorConfig = {
  warm: 150,
  globalScale: 0.1,
  recent: [{ window: 400, weight: 0.6 }, { window: 2000, weight: 0.9 }],
  recentScale: 0.5,
  levels: 32, seqAlpha: 0.1, seqWeight: 0.7,
  dailySlots: 48, dailyAlpha: 0.1, dailyMinSeen: 3, dailyGate: 0.5, dailyWeight: 0.8, weeklySlots: 336,
  horizon: 500, short: 6, historic: 2000,
  restLevel: 0.5, restRows: 30, restDamp: 0.7,
};

export class AnomalyDetector {
  private readonly cfg: DetectorConfig;
  private n = 0;
  private lo = Infinity;
  private hi = -Infinity;
  private readonly recent: RollingExtremes[];
  // Level: exponential mean and variance (the daily gate compares the cycle's residual with it).
  private m = 0;
  private v = 0;
  // Sequence novelty: first-order moves between quantised levels (a cheap stand-in for HTM's sequence
  // memory, Ahmad et al. 2017; CAD-OSE scores unseen contexts the same way). A move never seen before
  // is a surprise; the smoothed rate of surprises is the score, and it fades as the point's moves are learned.
  private step = 1;
  private base = 0;
  private prevQ = 0;
  private hasPrev = false;
  private readonly moves = new Set<number>();
  private novelRate = 0;
  // Cycles (daily, weekly), each with its residual variance.
  private readonly cycles: Array<{ profile: DailyProfile; likelihood: Likelihood; vr: number; nr: number }>;
  private rest = 0;

  constructor(cfg: DetectorConfig = DEFAULT_CONFIG) {
    this.cfg = cfg;
    this.recent = cfg.recent.map((r) => new RollingExtremes(r.window));
    const cycle = (slots: number, period: number) => ({
      profile: new DailyProfile(slots, cfg.dailyAlpha, period),
      likelihood: new Likelihood({ short: cfg.short, historic: cfg.historic, warm: cfg.warm }), vr: 0, nr: 0,
    });
    this.cycles = [cycle(cfg.dailySlots, 86_400_000)];
    if (cfg.weeklySlots > 0) this.cycles.push(cycle(cfg.weeklySlots, 7 * 86_400_000));
  }

  /** Judges one reading (ts: epoch ms, for the daily cycle) from the past only, then learns from it. 0 usual .. 1 anomalous. */
  update(value: number, ts = 0): number {
    const cfg = this.cfg;
    const n = ++this.n;
    const scoring = n > cfg.warm;
    let score = 0;

    // Global novelty (nupic's NAB detector flags a "spatial anomaly" the same way).
    if (scoring) {
      const excess = Math.max(value - this.hi, this.lo - value);
      if (excess > 0) score = 0.5 + 0.5 * Math.tanh(excess / (cfg.globalScale * (this.hi - this.lo) + 1e-12));
    }
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;

    // Recent novelty: beyond the recent window's extremes, relative to that window's range.
    for (let k = 0; k < this.recent.length; k++) {
      const r = this.recent[k];
      if (scoring) {
        const rh = r.max; const rl = r.min;
        const excess = Math.max(value - rh, rl - value);
        if (excess > 0) score = Math.max(score, cfg.recent[k].weight * Math.tanh(excess / (cfg.recentScale * (rh - rl) + 1e-12)));
      }
      r.push(value);
    }

    // Level.
    const a = n < cfg.horizon ? 1 / n : 1 / cfg.horizon;
    const d = value - this.m;
    this.m += a * d;
    this.v = (1 - a) * (this.v + a * d * d);

    // Sequence novelty, its alphabet fixed once the warm-up has shown the range.
    if (n === cfg.warm) {
      this.step = (this.hi - this.lo) / cfg.levels || Math.abs(this.hi) / cfg.levels || 1;
      this.base = this.lo;
    }
    if (n >= cfg.warm) {
      // Levels are clamped to a wide band so the move key stays exact (2^12 levels each side).
      const q = Math.max(-2048, Math.min(2047, Math.floor((value - this.base) / this.step)));
      if (this.hasPrev) {
        const key = (this.prevQ + 2048) * 4096 + (q + 2048);
        const novel = this.moves.has(key) ? 0 : 1;
        if (novel) this.moves.add(key);
        this.novelRate += (novel - this.novelRate) * cfg.seqAlpha;
        if (scoring) score = Math.max(score, cfg.seqWeight * this.novelRate);
      }
      this.prevQ = q;
      this.hasPrev = true;
    }

    // Daily and weekly cycles: the residual from this time of day's (week's) usual value, as a likelihood
    // against its own history, heard only where the cycle explains most of the variance.
    for (const c of this.cycles) {
      const slot = c.profile.slotOf(ts);
      const expected = c.profile.expected(slot, cfg.dailyMinSeen);
      if (!Number.isNaN(expected)) {
        const r = value - expected;
        const b = 1 / Math.min(++c.nr, cfg.horizon);
        c.vr = (1 - b) * c.vr + b * r * r;
        const l = c.likelihood.update(Math.min(Math.abs(r) / (Math.sqrt(c.vr) + 1e-12), 10));
        if (scoring && c.vr < cfg.dailyGate * this.v) score = Math.max(score, cfg.dailyWeight * l);
      }
      c.profile.learn(slot, value);
    }

    if (!scoring) return 0;
    // Rest period (CAD-OSE and nupic's NAB detector do likewise): one episode, one report.
    if (this.rest > 0) { this.rest--; score *= cfg.restDamp; }
    else if (score >= cfg.restLevel) this.rest = cfg.restRows;
    return score;
  }
}
