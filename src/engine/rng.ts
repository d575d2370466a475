// A small seeded random number generator (mulberry32) for batch order, sampling and dropout seeds.

/** Deterministic uniform numbers in [0, 1) from a 32-bit seed. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next uniform number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A standard normal number (Box-Muller over two uniforms). */
  gaussian(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** The generator's state, so that a resumed run continues the same stream. */
  get snapshot(): number {
    return this.state;
  }

  /** Continues from a {@link snapshot}. */
  static restore(snapshot: number): Rng {
    const rng = new Rng(0);
    rng.state = snapshot >>> 0;
    return rng;
  }
}
