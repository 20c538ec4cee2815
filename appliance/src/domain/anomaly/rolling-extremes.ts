// Sliding-window maximum and minimum in O(1) amortised per reading (monotonic deques, Lemire 2006,
// "Streaming maximum-minimum filter using no more than three comparisons per element").

export class RollingExtremes {
  private readonly size: number;
  private readonly vals: Float64Array;
  private readonly maxQ: Int32Array;
  private readonly minQ: Int32Array;
  private maxHead = 0; private maxTail = 0;
  private minHead = 0; private minTail = 0;
  private i = 0;

  constructor(size: number) {
    this.size = size;
    this.vals = new Float64Array(size + 1);
    this.maxQ = new Int32Array(size + 1);
    this.minQ = new Int32Array(size + 1);
  }

  get count(): number { return Math.min(this.i, this.size); }
  get max(): number { const c = this.size + 1; return this.vals[this.maxQ[this.maxHead % c] % c]; }
  get min(): number { const c = this.size + 1; return this.vals[this.minQ[this.minHead % c] % c]; }

  push(v: number): void {
    const cap = this.size + 1;
    const i = this.i++;
    this.vals[i % cap] = v;
    // Deques hold reading numbers (mod a large period is unnecessary: i fits in int32 for 2^31 readings).
    while (this.maxTail > this.maxHead && this.vals[this.maxQ[(this.maxTail - 1) % cap] % cap] <= v) this.maxTail--;
    this.maxQ[this.maxTail++ % cap] = i;
    while (this.minTail > this.minHead && this.vals[this.minQ[(this.minTail - 1) % cap] % cap] >= v) this.minTail--;
    this.minQ[this.minTail++ % cap] = i;
    const oldest = i - this.size + 1;
    while (this.maxQ[this.maxHead % cap] < oldest) this.maxHead++;
    while (this.minQ[this.minHead % cap] < oldest) this.minHead++;
  }
}
