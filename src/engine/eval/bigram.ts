// The smoothed bigram baseline for text: P(next | previous), interpolated with add-one unigram counts.
import type { TokenIds } from '../data/text';

/** Weight of the unigram prior in each bigram row (Dirichlet smoothing). */
const PRIOR_WEIGHT = 1;

/** A bigram model counted on the training tokens, smoothed so that every token has a probability. */
export class BigramModel {
  private readonly pairCounts = new Map<number, Map<number, number>>();
  private readonly rowTotals: Float64Array;
  private readonly unigram: Float64Array;
  private readonly argmax: Int32Array;

  constructor(vocabSize: number, ids: TokenIds) {
    this.rowTotals = new Float64Array(vocabSize);
    const unigramCounts = new Float64Array(vocabSize).fill(1);
    for (let i = 0; i < ids.length; i++) unigramCounts[ids[i]]++;
    const total = unigramCounts.reduce((a, b) => a + b, 0);
    this.unigram = unigramCounts.map((c) => c / total);
    for (let i = 1; i < ids.length; i++) {
      const row = this.pairCounts.get(ids[i - 1]) ?? new Map<number, number>();
      row.set(ids[i], (row.get(ids[i]) ?? 0) + 1);
      this.pairCounts.set(ids[i - 1], row);
      this.rowTotals[ids[i - 1]]++;
    }
    this.argmax = new Int32Array(vocabSize);
    const unigramBest = this.unigram.reduce((best, p, id, all) => (p > all[best] ? id : best), 0);
    for (let prev = 0; prev < vocabSize; prev++) {
      let best = unigramBest;
      let bestCount = 0;
      for (const [next, count] of this.pairCounts.get(prev) ?? []) {
        if (count > bestCount || (count === bestCount && next < best)) [best, bestCount] = [next, count];
      }
      this.argmax[prev] = best;
    }
  }

  /** P(next | previous). */
  probability(previous: number, next: number): number {
    const count = this.pairCounts.get(previous)?.get(next) ?? 0;
    return (count + PRIOR_WEIGHT * this.unigram[next]) / (this.rowTotals[previous] + PRIOR_WEIGHT);
  }

  /** The most likely next token after `previous`. */
  mostLikely(previous: number): number {
    return this.argmax[previous];
  }
}
