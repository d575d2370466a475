// The baselines of a classifier: multinomial naive Bayes over word unigrams and bigrams, and the majority class.
import { tokenize } from '../data/text';
import { logLoss } from './classifyMetrics';

/** The smoothings {@link fitNaiveBayes} tries on the validation rows. */
const ALPHAS = [0.1, 0.3, 1];

/** What naive Bayes counts on the training texts; smoothing does not change it. */
interface FeatureCounts {
  /** Training rows of each class. */
  rows: number[];
  /** Occurrences of each feature in each class's texts. */
  perClass: Map<string, number>[];
  /** Feature occurrences in each class's texts. */
  totals: number[];
  /** The features seen in training; others are ignored when predicting. */
  vocabulary: Set<string>;
}

/** Multinomial naive Bayes over lower-cased word unigrams and bigrams, with Lidstone smoothing, in log space. */
export class NaiveBayes {
  private readonly logPriors: number[];
  private readonly logDenominators: number[];

  private constructor(
    private readonly counts: FeatureCounts,
    /** The smoothing: the count added to every feature of every class. */
    readonly alpha: number,
  ) {
    const rows = counts.rows.reduce((sum, count) => sum + count, 0);
    this.logPriors = counts.rows.map((count) => Math.log(count / rows));
    this.logDenominators = counts.totals.map((total) => Math.log(total + alpha * counts.vocabulary.size));
  }

  /**
   * Counts the features of the training texts by class; the priors are the classes' shares of the training rows.
   * @throws RangeError when texts and class ids differ in number, or there are none.
   */
  static fit(texts: readonly string[], classIds: readonly number[], classes: number, alpha = 1): NaiveBayes {
    return new NaiveBayes(countFeatures(texts, classIds, classes), alpha);
  }

  /** The same counts with another smoothing. */
  withAlpha(alpha: number): NaiveBayes {
    return new NaiveBayes(this.counts, alpha);
  }

  /** The probability of each class for a text. */
  predictProba(text: string): number[] {
    return softmax(this.logScores(text));
  }

  /** The log joint score of each class for a text: log p(class) + Σ log p(feature | class), unnormalised. */
  logScores(text: string): number[] {
    const scores = [...this.logPriors];
    const logAlpha = Math.log(this.alpha);
    for (const feature of features(text)) {
      if (!this.counts.vocabulary.has(feature)) {
        continue;
      }
      this.counts.perClass.forEach((counts, id) => {
        const count = counts.get(feature);
        scores[id] += (count === undefined ? logAlpha : Math.log(count + this.alpha)) - this.logDenominators[id];
      });
    }
    return scores;
  }

  /** The counts and smoothing, for a run folder. */
  toJSON(): NaiveBayesFile {
    const features: Record<string, number[]> = {};
    for (const feature of this.counts.vocabulary) features[feature] = this.counts.perClass.map((counts) => counts.get(feature) ?? 0);
    return { alpha: this.alpha, rows: this.counts.rows, totals: this.counts.totals, features };
  }

  /** The model {@link toJSON} saved. @throws RangeError for a file that is not one. */
  static fromJSON(file: NaiveBayesFile): NaiveBayes {
    const classes = file.rows.length;
    if (!(file.alpha > 0) || classes < 2 || file.totals.length !== classes) throw new RangeError('not a naive-Bayes model: alpha, rows or totals are wrong');
    const counts: FeatureCounts = { rows: file.rows, perClass: Array.from({ length: classes }, () => new Map()), totals: file.totals, vocabulary: new Set() };
    for (const [feature, perClass] of Object.entries(file.features)) {
      if (perClass.length !== classes)
        throw new RangeError(`not a naive-Bayes model: feature "${feature}" has ${perClass.length} counts for ${classes} classes`);
      counts.vocabulary.add(feature);
      perClass.forEach((count, id) => {
        if (count > 0) counts.perClass[id].set(feature, count);
      });
    }
    return new NaiveBayes(counts, file.alpha);
  }
}

/** A naive-Bayes model as saved: the smoothing, each class's training rows and feature total, and each feature's count per class. */
export interface NaiveBayesFile {
  alpha: number;
  rows: number[];
  totals: number[];
  features: Record<string, number[]>;
}

/**
 * Naive Bayes fitted on the training rows with the smoothing (from ALPHAS) of the lowest log loss on the validation rows;
 * alpha 1 without validation rows.
 */
export function fitNaiveBayes(
  trainTexts: readonly string[],
  trainIds: readonly number[],
  valTexts: readonly string[],
  valIds: readonly number[],
  classes: number,
): NaiveBayes {
  const fitted = NaiveBayes.fit(trainTexts, trainIds, classes);
  if (valTexts.length === 0) {
    return fitted;
  }
  const scored = ALPHAS.map((alpha) => {
    const model = fitted.withAlpha(alpha);
    return {
      model,
      loss: logLoss(
        valIds,
        valTexts.map((text) => model.predictProba(text)),
      ),
    };
  });
  return scored.reduce((best, candidate) => (candidate.loss < best.loss ? candidate : best)).model;
}

/** The majority baseline: each class's share of the training rows, for every text (it predicts the most frequent class). */
export function majorityProbs(trainClassIds: readonly number[], classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const id of trainClassIds) counts[id]++;
  return counts.map((count) => count / trainClassIds.length);
}

/** The lower-cased words (runs of letters, digits, underscores and apostrophes), other characters, and adjacent pairs of them. */
function features(text: string): string[] {
  const words = [...tokenize(text.toLowerCase(), 'word', 1)].filter((token) => token.trim() !== '');
  return [...words, ...words.slice(1).map((word, index) => `${words[index]} ${word}`)];
}

function countFeatures(texts: readonly string[], classIds: readonly number[], classes: number): FeatureCounts {
  if (texts.length !== classIds.length || texts.length === 0) {
    throw new RangeError(`naive Bayes needs one class id per text and at least one text, got ${texts.length} texts and ${classIds.length} ids`);
  }
  const counts: FeatureCounts = {
    rows: new Array<number>(classes).fill(0),
    perClass: Array.from({ length: classes }, () => new Map<string, number>()),
    totals: new Array<number>(classes).fill(0),
    vocabulary: new Set(),
  };
  texts.forEach((text, row) => {
    const id = classIds[row];
    counts.rows[id]++;
    for (const feature of features(text)) {
      counts.perClass[id].set(feature, (counts.perClass[id].get(feature) ?? 0) + 1);
      counts.totals[id]++;
      counts.vocabulary.add(feature);
    }
  });
  return counts;
}

/** Probabilities from log scores, stable for large magnitudes. */
function softmax(scores: number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((score) => Math.exp(score - max));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}
