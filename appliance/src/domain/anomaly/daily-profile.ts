// A point's daily cycle: an exponential mean per time-of-day slot, so "high at 14:00" can be normal
// while "flat at 14:00" is not. Readings without a timestamp (ts = 0) all fall in one slot.

export class DailyProfile {
  private readonly slots: number;
  private readonly alpha: number;
  private readonly mean: Float64Array;
  private readonly seen: Uint32Array;

  private readonly period: number;

  /** slots per period (ms; a day unless told), learning rate alpha. */
  constructor(slots: number, alpha: number, period = 86_400_000) {
    this.period = period;
    this.slots = slots;
    this.alpha = alpha;
    this.mean = new Float64Array(slots);
    this.seen = new Uint32Array(slots);
  }

  slotOf(ts: number): number {
    const p = this.period;
    return Math.floor((((ts % p) + p) % p) / (p / this.slots));
  }

  /** The expected value for this slot, or NaN until the slot has been seen `minSeen` times. */
  expected(slot: number, minSeen: number): number {
    return this.seen[slot] >= minSeen ? this.mean[slot] : NaN;
  }

  learn(slot: number, value: number): void {
    const k = ++this.seen[slot];
    const a = Math.max(this.alpha, 1 / k);
    this.mean[slot] += a * (value - this.mean[slot]);
  }
}
