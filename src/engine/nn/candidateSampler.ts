// Draws the shared classes of sampled-softmax training from the training tokens' counts raised to a power, seeded.
import type { Rng } from '../rng';
import type { SampledClasses } from '../../shared/protocol';

/** Arguments for {@link CandidateSampler}. */
export interface CandidateSamplerArgs {
  /** The expected number of distinct classes in a sample (S); a size of at least the vocabulary samples every class. */
  size: number;
  /** Exponent of the counts: 0.75 (word2vec's) flattens the unigram distribution, 1 keeps it, 0 is uniform. */
  power: number;
}

/**
 * Samples of distinct classes for sampledSoftmaxCrossEntropy (sampledSoftmax.ts): `draws` independent draws from
 * q_c ∝ (count_c + 1)^power (the one keeps every class drawable), deduplicated. Class c is in a sample with
 * probability π_c = 1 − (1 − q_c)^draws exactly, and `draws` is the fewest for which Σ_c π_c, the expected number of
 * distinct classes, reaches `size`. Each draw takes one number from the caller's generator (Walker's alias method), so a run's seed
 * fixes its samples and a resumed run continues them.
 */
export class CandidateSampler {
  /** Draws per sample (0 when every class is taken). */
  readonly draws: number;
  /** log π_c [V]. */
  private readonly logInclusion: Float32Array;
  /** Walker's alias table: class k keeps its slot with probability keep[k], else yields alias[k]. */
  private readonly keep: Float64Array;
  private readonly alias: Int32Array;
  /** The sample in which each class was last drawn, to deduplicate without clearing. */
  private readonly drawnIn: Int32Array;
  private samples = 0;

  /** A sampler for the classes [0, counts.length), from each class's count in the training tokens. */
  constructor(counts: ArrayLike<number>, args: CandidateSamplerArgs) {
    const vocab = counts.length;
    if (!(Number.isInteger(args.size) && args.size >= 1)) throw new Error(`CandidateSampler: size must be a positive whole number, got ${args.size}`);
    if (!(args.power >= 0)) throw new Error(`CandidateSampler: power must be 0 or more, got ${args.power}`);
    const weights = Float64Array.from({ length: vocab }, (_, c) => Math.pow(counts[c] + 1, args.power));
    const total = weights.reduce((a, b) => a + b, 0);
    const q = weights.map((w) => w / total);
    this.draws = args.size >= vocab ? 0 : drawsForDistinct(q, args.size);
    this.logInclusion = Float32Array.from(q, (p) => (this.draws === 0 ? 0 : Math.log(-Math.expm1(this.draws * Math.log1p(-p)))));
    [this.keep, this.alias] = aliasTable(q);
    this.drawnIn = new Int32Array(vocab).fill(-1);
  }

  /** A sampler for a vocabulary of `vocabSize` classes, counting the training split's token ids. */
  static fromIds(ids: ArrayLike<number>, vocabSize: number, args: CandidateSamplerArgs): CandidateSampler {
    const counts = new Float64Array(vocabSize);
    for (let i = 0; i < ids.length; i++) counts[ids[i]]++;
    return new CandidateSampler(counts, args);
  }

  /** The number of classes. */
  get vocabSize(): number {
    return this.logInclusion.length;
  }

  /** One sample of distinct classes, ascending (which keeps the gathers of their head columns in order). */
  sample(rng: Rng): SampledClasses {
    const vocab = this.vocabSize;
    if (this.draws === 0) return { ids: Int32Array.from({ length: vocab }, (_, c) => c), logInclusion: new Float32Array(vocab) };
    const sample = this.samples++;
    const drawn: number[] = [];
    for (let d = 0; d < this.draws; d++) {
      const u = rng.next() * vocab;
      const slot = Math.floor(u);
      const c = u - slot < this.keep[slot] ? slot : this.alias[slot];
      if (this.drawnIn[c] !== sample) {
        this.drawnIn[c] = sample;
        drawn.push(c);
      }
    }
    const ids = Int32Array.from(drawn).sort();
    return { ids, logInclusion: Float32Array.from(ids, (c) => this.logInclusion[c]) };
  }
}

/** The most draws {@link drawsForDistinct} tries, per class asked for. */
const MAX_DRAWS_PER_CLASS = 100;

/** The fewest draws from q whose expected number of distinct classes, Σ_c 1 − (1 − q_c)^draws, reaches `size` (bisection). */
function drawsForDistinct(q: Float64Array, size: number): number {
  const log1m = q.map((p) => Math.log1p(-p));
  const distinct = (draws: number) => log1m.reduce((sum, l) => sum - Math.expm1(draws * l), 0);
  let low = size - 1; // never enough: there are at most as many distinct classes as draws
  let high = size * MAX_DRAWS_PER_CLASS;
  if (distinct(high) < size) return high;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (distinct(mid) >= size) high = mid;
    else low = mid;
  }
  return high;
}

/** Walker's alias table for q: drawing slot k uniformly, then k with probability keep[k] and alias[k] otherwise, draws c with probability q_c. */
function aliasTable(q: Float64Array): [Float64Array, Int32Array] {
  const n = q.length;
  const keep = q.map((p) => p * n);
  const alias = Int32Array.from({ length: n }, (_, k) => k);
  const small: number[] = [];
  const large: number[] = [];
  keep.forEach((scaled, k) => (scaled < 1 ? small : large).push(k));
  while (small.length > 0 && large.length > 0) {
    const less = small.pop() as number;
    const more = large[large.length - 1];
    alias[less] = more;
    keep[more] -= 1 - keep[less];
    if (keep[more] < 1) small.push(large.pop() as number);
  }
  for (const k of [...small, ...large]) keep[k] = 1; // rounding leftovers keep their slot
  return [keep, alias];
}
