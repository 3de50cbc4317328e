/**
 * Deterministic pseudo-random numbers (mulberry32: 32-bit state, period 2^32,
 * fast and good enough for simulated sensor noise; not for cryptography).
 *
 * Every simulated thing takes its own stream, forked by a stable label
 * (`random.fork('tag:AA:BB:…')`), so that adding a hub or a tag does not shift
 * the values of the others: the same `--seed` gives the same readings.
 */
export class SeededRandom {
  private state: number;
  private spareNormal: number | undefined;
  /** The seed this stream started from, the root of its forks. */
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.state = this.seed;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer uniform in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Normal with the given mean and standard deviation (Marsaglia polar method). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const s = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * s;
    }
    let u: number, v: number, s: number;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + sd * u * f;
  }

  /** An independent stream for `label`, a pure function of this stream's seed and the label. */
  fork(label: string): SeededRandom {
    return new SeededRandom(hash32(`${this.seed}\u0000${label}`));
  }
}

/** FNV-1a, 32 bits: a stable hash of a label into a seed. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
