// Anomaly likelihood: how unusual the recent raw surprise is against this point's own history of
// surprise (Ahmad, Lavin, Purdy, Agha 2017, "Unsupervised real-time anomaly detection for streaming
// data", Neurocomputing 262, section 3.3; nupic anomaly_likelihood.py). Streaming, O(1) per reading.

/** Upper tail of the standard normal, Q(z) = P(Z > z) (Abramowitz & Stegun 7.1.26 via erfc). */
export function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/**
 * Keeps a long exponential mean/variance of a raw score (the "historic window", 1/alpha readings) and a
 * short running mean (the last `short` raw scores), and returns the log-scaled likelihood that the short
 * mean is not drawn from the long distribution: 0 usual .. 1 very unusual (nupic's
 * computeLogLikelihood: log(1.0000000001 - L) / log(1e-10)).
 */
export class Likelihood {
  private mean = 0;
  private varr = 0;
  private n = 0;
  private readonly ring: Float64Array;
  private pos = 0;
  private sum = 0;
  private readonly alpha: number;
  private readonly warm: number;

  constructor(opts: { short: number; historic: number; warm: number }) {
    this.ring = new Float64Array(opts.short);
    this.alpha = 1 / opts.historic;
    this.warm = opts.warm;
  }

  update(raw: number): number {
    const ring = this.ring;
    this.sum += raw - ring[this.pos];
    ring[this.pos] = raw;
    this.pos = this.pos + 1 === ring.length ? 0 : this.pos + 1;
    const shortMean = this.sum / ring.length;
    let out = 0;
    if (this.n >= this.warm) {
      // A floor on the historic deviation, as nupic's estimateNormal floors the variance (at 0.0003 for raw
      // scores in [0, 1]), so a flat history does not make every small change infinitely unlikely.
      const sd = Math.max(Math.sqrt(this.varr), 0.01);
      const l = 1 - normalTail((shortMean - this.mean) / sd);
      out = Math.log(1.0000000001 - l) / -23.02585084720009;
    }
    // The history learns from the raw score itself, so a lasting change becomes the new normal.
    this.n++;
    const a = this.n < 1 / this.alpha ? 1 / this.n : this.alpha;
    const d = raw - this.mean;
    this.mean += a * d;
    this.varr = (1 - a) * (this.varr + a * d * d);
    return out;
  }
}
