// Text classification on a labelled CSV/TSV: stratified splits, length-bucketed batches, test metrics beside the majority and naive-Bayes baselines, and --init-from a text run.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { MIN_STEPS_PER_EPOCH } from '../config';
import { loadLabelledTexts, type LabelledTexts } from '../data/labelled';
import { stratifiedSplit } from '../data/stratify';
import { countTokens, UNKNOWN_TOKEN, Vocabulary, vocabularyFromCounts, type TokenIds } from '../data/text';
import { classifyMetrics } from '../eval/classifyMetrics';
import { fitNaiveBayes, majorityProbs, type NaiveBayes } from '../eval/naiveBayes';
import { fitPrior, priorLogProbs, type NaiveBayesPrior } from './classifyPrior';
import type { SequenceModel } from '../model';
import { loadModel } from '../modelCheckpoint';
import type { Rng } from '../rng';
import { loadRunRecord } from '../runStore';
import type { EvaluateArgs, TrainingTask } from './task';
import { CLASSIFY_LR, MAX_AUTO_LEN, UsageError, type TrainArgs } from '../../shared/options';
import {
  hasUsableModel,
  MISCLASSIFIED_TEXT_CHARS,
  NAIVE_BAYES_FILE,
  RUN_FILE,
  type ClassifyDataInfo,
  type ClassifyMetrics,
  type MisclassifiedRow,
  type ModelSpec,
  type RunRecord,
  type TextDataInfo,
} from '../../shared/runFolder';
import type { LossSpec, TrainBatch } from '../../shared/protocol';
import { concatArrays } from './batch';

/** The automatic maxLen reads this share of the training texts whole. */
const AUTO_LEN_SHARE = 0.95;
/** Training batches are cut from pools of this many batches' rows, each sorted by length, so that a batch's texts have similar lengths. */
const BUCKET_POOL_BATCHES = 32;
/** Most rows, and most padded tokens, in one forward pass of scoring (validation, test, prediction). */
const SCORING_ROWS = 128;
const SCORING_TOKENS = 32_768;
/** Misclassified test rows kept in run.json. */
const MAX_ERRORS = 200;

/** Labelled rows encoded for the model: token ids (cut to maxLen, at least one), prior log-probabilities and class ids, with the file's texts and lines. */
interface EncodedRows {
  texts: string[];
  lines: number[];
  ids: TokenIds[];
  /** With a prior: each row's log-probabilities [classes] (out of fold for the training rows). */
  priors?: Float32Array[];
  classIds: number[];
}

/** A text run whose embedding and recurrent layers a new classifier starts from (--init-from). */
interface ParentRun {
  dir: string;
  record: RunRecord & { data: TextDataInfo };
}

/** A labelled-text file ready for training a classifier. */
export class ClassifyTask implements TrainingTask {
  readonly kind = 'classify';
  readonly throughputUnit = 'tokens/s';
  readonly defaultLr = CLASSIFY_LR;
  readonly lossSpec: LossSpec;
  readonly spec: ModelSpec;
  readonly dataInfo: ClassifyDataInfo;
  readonly argOverrides?: Partial<TrainArgs>;
  readonly notes: string[];
  readonly stepsPerEpoch: number;
  readonly itemsPerStep: number;
  private readonly vocab: Vocabulary;
  private readonly rows: EncodedRows;
  private readonly split: { train: number[]; val: number[]; test: number[] };
  private readonly parent: ParentRun | undefined;
  /** The naive-Bayes baseline, fitted on the training split with the smoothing the validation split prefers. */
  private readonly bayes: NaiveBayes;
  /** `--prior naive-bayes`: that baseline as the prior the model corrects. */
  private readonly prior: NaiveBayesPrior | undefined;
  /** Training batches (row indices) still to serve in this pass over the training rows. */
  private queue: number[][] = [];

  /** `trained` carries a trained run's vocabulary, labels and maxLen, to evaluate or resume with the same ids. */
  constructor(
    text: string,
    private readonly args: TrainArgs,
    trained?: ClassifyDataInfo,
  ) {
    const loaded = loadLabelledTexts(text, trained ? { textColumn: trained.textColumn, labelColumn: trained.labelColumn } : args);
    this.notes = [...loaded.notes];
    const labels = trained ? trained.labels : loaded.classes;
    const classIds = classIdsOf(loaded, labels);
    this.split = stratifiedSplit(classIds, args.val, args.test, args.seed);
    const trainTexts = this.split.train.map((row) => loaded.texts[row]);
    if (this.split.val.length === 0)
      this.notes.push(`The ${loaded.texts.length} rows are too few to hold out a validation split: validation uses the training rows.`);
    this.parent = trained || args.initFrom === undefined ? undefined : loadParent(args.initFrom, args.tokens);
    this.vocab = trained
      ? new Vocabulary(trained.vocab, trained.tokens, trained.wordTokenizer ?? 1)
      : this.parent
        ? new Vocabulary(this.parent.record.data.vocab, this.parent.record.data.tokens, this.parent.record.data.wordTokenizer ?? 1)
        : this.buildVocabulary(trainTexts);
    const full = loaded.texts.map((t) => this.vocab.encode(t));
    if (this.parent) this.noteUnknown(this.split.train.map((row) => full[row]));
    const maxLen = trained
      ? trained.maxLen
      : this.chooseMaxLen(
          this.split.train.map((row) => full[row].length),
          full,
        );
    const trainIds = this.split.train.map((row) => classIds[row]);
    this.bayes = fitNaiveBayes(
      trainTexts,
      trainIds,
      this.split.val.map((row) => loaded.texts[row]),
      this.split.val.map((row) => classIds[row]),
      labels.length,
    );
    let priors: Float32Array[] | undefined;
    if (trained ? trained.prior : args.prior === 'naive-bayes') {
      const { outOfFold, ...prior } = fitPrior(this.bayes, trainTexts, trainIds, labels.length, args.seed);
      this.prior = prior;
      // Training rows take their out-of-fold scores; the others are scored by the model of all the training rows.
      const trainIndex = new Map(this.split.train.map((row, k) => [row, k]));
      priors = loaded.texts.map((text, row) => {
        const k = trainIndex.get(row);
        return k === undefined ? priorLogProbs(prior, text) : outOfFold[k];
      });
      if (!trained)
        this.notes.push(
          `The network learns a correction to naive Bayes (word 1-2-grams, alpha ${this.bayes.alpha}), whose log-probabilities it starts from, scaled by ${prior.scale.toPrecision(3)} to fit the training rows out of fold; --prior none trains the network alone.`,
        );
    }
    this.rows = { texts: loaded.texts, lines: loaded.lines, ids: full.map((ids) => readable(ids, maxLen)), priors, classIds };

    const counts = new Array<number>(labels.length).fill(0);
    for (const row of this.split.train) counts[classIds[row]]++;
    const classWeights = trained ? trained.classWeights : args.classWeights === 'auto' ? balancedWeights(counts) : null;
    if (!trained && classWeights) this.notes.push(`Class weights: ${labels.map((label, c) => `${label} ${classWeights[c].toPrecision(3)}`).join(', ')}.`);
    const sizes = this.parent ? this.parentSizes() : args;
    if (this.parent) this.argOverrides = sizes;
    this.spec = {
      task: 'classify',
      cell: sizes.cell,
      hidden: sizes.hidden,
      layers: sizes.layers,
      dropout: args.dropout,
      vocabSize: this.vocab.size,
      embedding: sizes.embedding,
      classes: labels.length,
      pool: args.pool,
      ...(this.prior ? { residual: true } : {}),
    };
    this.lossSpec = { task: 'classify', classWeights };
    this.dataInfo = {
      kind: 'classify',
      tokens: this.vocab.kind,
      vocab: [...this.vocab.tokens],
      ...(this.vocab.kind === 'word' ? { wordTokenizer: this.vocab.wordTokenizer } : {}),
      labels: [...labels],
      textColumn: loaded.textColumn,
      labelColumn: loaded.labelColumn,
      header: loaded.header,
      maxLen,
      rows: { train: this.split.train.length, val: this.split.val.length, test: this.split.test.length },
      classCounts: counts,
      classWeights,
      prior: this.prior ? { scale: this.prior.scale } : null,
      parent: trained ? trained.parent : this.parent ? { id: this.parent.record.id, runDir: this.parent.dir } : null,
    };
    const trainTokens = this.split.train.reduce((sum, row) => sum + this.rows.ids[row].length, 0);
    this.itemsPerStep = (Math.min(args.batch, this.split.train.length) * trainTokens) / this.split.train.length;
    this.stepsPerEpoch = Math.max(MIN_STEPS_PER_EPOCH, Math.ceil(this.split.train.length / args.batch));
  }

  /** The vocabulary of the training texts, with a note on what it left out. */
  private buildVocabulary(trainTexts: string[]): Vocabulary {
    const counts = new Map<string, number>();
    for (const text of trainTexts) for (const [token, count] of countTokens(text, this.args.tokens)) counts.set(token, (counts.get(token) ?? 0) + count);
    const { vocab, note } = vocabularyFromCounts(counts, this.args);
    if (note) this.notes.push(note);
    return vocab;
  }

  /** Notes the share of the training tokens that the parent run's vocabulary does not hold. */
  private noteUnknown(trainIds: TokenIds[]): void {
    let unknown = 0;
    let total = 0;
    for (const ids of trainIds) {
      total += ids.length;
      for (const id of ids) if (id === 0) unknown++;
    }
    if (unknown > 0)
      this.notes.push(
        `${((100 * unknown) / total).toPrecision(2)}% of the training tokens are not in the vocabulary of --init-from ${this.parent?.record.id} and read as ${UNKNOWN_TOKEN}.`,
      );
  }

  /** --max-len, or enough tokens for AUTO_LEN_SHARE of the training texts (at most MAX_AUTO_LEN), noting the texts cut. */
  private chooseMaxLen(trainLengths: number[], all: TokenIds[]): number {
    const sorted = [...trainLengths].sort((a, b) => a - b);
    const wanted = sorted[Math.max(0, Math.ceil(AUTO_LEN_SHARE * sorted.length) - 1)];
    const maxLen = this.args.maxLen > 0 ? this.args.maxLen : Math.max(1, Math.min(MAX_AUTO_LEN, wanted));
    const cut = all.filter((ids) => ids.length > maxLen).length;
    if (this.args.maxLen > 0 && cut === 0) return maxLen;
    const why =
      this.args.maxLen > 0
        ? '--max-len'
        : `enough for ${100 * AUTO_LEN_SHARE}% of the training texts${wanted > MAX_AUTO_LEN ? `, capped at ${MAX_AUTO_LEN}` : ''}; set --max-len N to choose`;
    const cutWords = cut === 0 ? 'none is cut' : `${cut} of the ${all.length} texts are longer and read up to there`;
    this.notes.push(`Texts are read up to ${maxLen} ${this.args.tokens} tokens (${why}): ${cutWords}.`);
    return maxLen;
  }

  /** The --init-from run's cell and sizes, which replace the ones given (with a note when they differ). */
  private parentSizes(): Pick<TrainArgs, 'cell' | 'hidden' | 'layers' | 'embedding'> {
    const { record } = this.parent as ParentRun;
    const sizes = { cell: record.model.cell, hidden: record.model.hidden, layers: record.model.layers, embedding: record.model.embedding as number };
    const replaced = (Object.keys(sizes) as (keyof typeof sizes)[]).filter((key) => sizes[key] !== this.args[key]).map((key) => `--${key} ${this.args[key]}`);
    this.notes.push(
      `Starting from text run ${record.id}: its vocabulary (${this.vocab.size} ${this.vocab.kind} tokens), embedding (${sizes.embedding} wide) and ${sizes.layers} ${sizes.cell.toUpperCase()} layer${sizes.layers === 1 ? '' : 's'} of ${sizes.hidden} units; the head is new.${replaced.length ? ` Replaces ${replaced.join(', ')}.` : ''}`,
    );
    return sizes;
  }

  initModel(model: SequenceModel): void {
    if (!this.parent) return;
    let source: SequenceModel;
    try {
      source = loadModel(this.parent.dir);
    } catch (error) {
      throw new UsageError(
        `--init-from ${this.parent.dir}: its model cannot be loaded (${(error as Error).message}). Restore the run folder, or pass another text run.`,
      );
    }
    try {
      model.copyEncoder(source);
    } finally {
      source.dispose();
    }
  }

  sampleBatch(rng: Rng): TrainBatch {
    if (this.queue.length === 0) this.queue = this.bucketedPass(rng);
    const rows = this.queue.pop() as number[];
    const priors = this.rows.priors;
    return {
      ...tokenBatch(rows.map((row) => this.rows.ids[row])),
      targets: Int32Array.from(rows, (row) => this.rows.classIds[row]),
      ...(priors ? { priors: concatArrays(rows.map((row) => priors[row])) } : {}),
    };
  }

  /** The naive-Bayes counts of the prior, which prediction reads from the run folder. */
  modelFiles(): Record<string, unknown> {
    return this.prior ? { [NAIVE_BAYES_FILE]: this.prior.bayes.toJSON() } : {};
  }

  /**
   * One pass over the training rows in random order, as batches: pools of BUCKET_POOL_BATCHES batches' rows are each
   * sorted by length and cut into batches, so that each batch pads little; the batches are then shuffled.
   */
  private bucketedPass(rng: Rng): number[][] {
    const order = shuffled(this.split.train, rng);
    const { batch } = this.args;
    const batches: number[][] = [];
    for (let start = 0; start < order.length; start += batch * BUCKET_POOL_BATCHES) {
      const pool = order.slice(start, start + batch * BUCKET_POOL_BATCHES).sort((a, b) => this.rows.ids[a].length - this.rows.ids[b].length);
      for (let first = 0; first < pool.length; first += batch) batches.push(pool.slice(first, first + batch));
    }
    return shuffled(batches, rng);
  }

  /** The training loss (class-weighted cross-entropy, no dropout) on up to maxEvalItems validation rows, evenly strided. */
  async validationLoss(model: SequenceModel): Promise<number> {
    const val = this.split.val.length > 0 ? this.split.val : this.split.train;
    const count = Math.min(val.length, this.args.maxEvalItems);
    const rows = Array.from({ length: count }, (_, k) => val[Math.floor((k * val.length) / count)]);
    const logProbs = classLogProbs(
      model,
      rows.map((row) => this.rows.ids[row]),
      this.rows.priors && rows.map((row) => (this.rows.priors as Float32Array[])[row]),
    );
    const weights = this.lossSpec.task === 'classify' ? this.lossSpec.classWeights : null;
    let loss = 0;
    let total = 0;
    rows.forEach((row, k) => {
      const label = this.rows.classIds[row];
      const w = weights ? weights[label] : 1;
      loss -= w * logProbs[k][label];
      total += w;
    });
    return loss / total;
  }

  /** The rows of another labelled file, read with this run's columns, vocabulary and labels. */
  private otherRows(text: string): EncodedRows {
    const loaded = loadLabelledTexts(text, { textColumn: this.dataInfo.textColumn, labelColumn: this.dataInfo.labelColumn });
    const unknown = loaded.classes.filter((label) => !this.dataInfo.labels.includes(label));
    if (unknown.length > 0)
      throw new UsageError(
        `The file to evaluate on has labels the run was not trained on: ${unknown.slice(0, 10).join(', ')}. Pass a file labelled with the run's classes (${this.dataInfo.labels.slice(0, 10).join(', ')}).`,
      );
    const prior = this.prior;
    return {
      texts: loaded.texts,
      lines: loaded.lines,
      ids: loaded.texts.map((t) => readable(this.vocab.encode(t), this.dataInfo.maxLen)),
      priors: prior && loaded.texts.map((t) => priorLogProbs(prior, t)),
      classIds: classIdsOf(loaded, this.dataInfo.labels),
    };
  }

  /**
   * Accuracy, macro-F1, log loss, per-class figures and the confusion matrix on the test split (or every row of
   * `heldOutText`), beside the majority and naive-Bayes baselines fitted on the training split, and the misclassified rows.
   */
  async evaluate(
    model: SequenceModel,
    options: EvaluateArgs = {},
  ): Promise<{
    task: 'classify';
    metrics: ClassifyMetrics;
    baselines: { majority: ClassifyMetrics; naiveBayes: ClassifyMetrics };
    errors: MisclassifiedRow[];
  }> {
    const { labels } = this.dataInfo;
    const rows = options.heldOutText === undefined ? this.pick(this.split.test) : this.otherRows(options.heldOutText);
    const probs = classLogProbs(model, rows.ids, rows.priors).map((logp) => logp.map(Math.exp));
    const majority = majorityProbs(
      this.split.train.map((row) => this.rows.classIds[row]),
      labels.length,
    );
    return {
      task: 'classify',
      metrics: classifyMetrics(rows.classIds, probs, labels),
      baselines: {
        majority: classifyMetrics(
          rows.classIds,
          rows.texts.map(() => majority),
          labels,
        ),
        naiveBayes: classifyMetrics(
          rows.classIds,
          rows.texts.map((t) => this.bayes.predictProba(t)),
          labels,
        ),
      },
      errors: misclassified(rows, probs, labels),
    };
  }

  /** Some rows of the run's data. */
  private pick(rows: number[]): EncodedRows {
    const priors = this.rows.priors;
    return {
      texts: rows.map((row) => this.rows.texts[row]),
      lines: rows.map((row) => this.rows.lines[row]),
      ids: rows.map((row) => this.rows.ids[row]),
      priors: priors && rows.map((row) => priors[row]),
      classIds: rows.map((row) => this.rows.classIds[row]),
    };
  }
}

/** Each row's class id among `labels`; a label outside them is an error of the caller. */
function classIdsOf(loaded: LabelledTexts, labels: readonly string[]): number[] {
  const ids = new Map(labels.map((label, id) => [label, id]));
  return loaded.labels.map((label) => {
    const id = ids.get(label);
    if (id === undefined) throw new UsageError(`Label "${label}" is not one of the run's classes (${labels.join(', ')}): the data changed. Train a new run.`);
    return id;
  });
}

/** The ids the model reads of a text: its first maxLen, or the unknown token alone for a text without tokens. */
export function readable(ids: TokenIds, maxLen: number): TokenIds {
  return ids.length === 0 ? Uint16Array.of(0) : ids.subarray(0, maxLen);
}

/** Class weights inversely proportional to the training rows of each class, with a mean of 1 over the rows (scikit-learn's "balanced"). */
function balancedWeights(counts: number[]): number[] {
  const rows = counts.reduce((a, b) => a + b, 0);
  return counts.map((count) => rows / (counts.length * Math.max(1, count)));
}

/** A training or scoring batch of texts: ids [rows, T] right-padded with 0 to the longest (T), and each text's length. */
function tokenBatch(texts: readonly TokenIds[]): Pick<TrainBatch, 'rows' | 'inputs' | 'lengths'> {
  const time = texts.reduce((longest, ids) => Math.max(longest, ids.length), 1);
  const inputs = new Int32Array(texts.length * time);
  texts.forEach((ids, r) => inputs.set(ids, r * time));
  return { rows: texts.length, inputs, lengths: Int32Array.from(texts, (ids) => ids.length) };
}

/**
 * Log-probabilities of the classes [classes] for each encoded text (each 1 to maxLen ids) with, for a residual model,
 * its prior log-probabilities, in order. Texts are scored in batches of similar length (sorted), which pads little;
 * the padding never changes a text's result.
 */
export function classLogProbs(model: SequenceModel, texts: readonly TokenIds[], priors?: readonly Float32Array[]): Float32Array[] {
  const order = texts.map((_, k) => k).sort((a, b) => texts[a].length - texts[b].length);
  const out: Float32Array[] = new Array(texts.length);
  for (let first = 0; first < order.length;) {
    let count = 1;
    while (first + count < order.length && count < SCORING_ROWS && (count + 1) * texts[order[first + count]].length <= SCORING_TOKENS) count++;
    const rows = order.slice(first, first + count);
    const batch = tokenBatch(rows.map((k) => texts[k]));
    const logProbs = tf.tidy(() => {
      const ids = tf.tensor2d(batch.inputs, [batch.rows, batch.inputs.length / batch.rows], 'int32');
      const prior = priors && tf.tensor2d(concatArrays(rows.map((k) => priors[k])), [count, priors[0].length]);
      return tf.logSoftmax(model.classifyLogits(ids, batch.lengths as Int32Array, undefined, prior));
    });
    const values = logProbs.dataSync() as Float32Array; // [rows, classes]
    logProbs.dispose();
    const classes = values.length / count;
    rows.forEach((k, r) => (out[k] = values.slice(r * classes, (r + 1) * classes)));
    first += count;
  }
  return out;
}

/** The rows the model got wrong, most confident first, at most MAX_ERRORS. */
function misclassified(rows: EncodedRows, probs: Float32Array[], labels: readonly string[]): MisclassifiedRow[] {
  const wrong: { row: number; predicted: number; confidence: number }[] = [];
  probs.forEach((p, row) => {
    let predicted = 0;
    for (let k = 1; k < p.length; k++) if (p[k] > p[predicted]) predicted = k;
    if (predicted !== rows.classIds[row]) wrong.push({ row, predicted, confidence: p[predicted] });
  });
  return wrong
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, MAX_ERRORS)
    .map(({ row, predicted, confidence }) => ({
      line: rows.lines[row],
      text: Array.from(rows.texts[row]).slice(0, MISCLASSIFIED_TEXT_CHARS).join(''),
      label: labels[rows.classIds[row]],
      predicted: labels[predicted],
      confidence,
    }));
}

/**
 * The text run of --init-from, checked: a run folder, of a text model that saved one, with the tokens asked for.
 * @throws UsageError naming --init-from.
 */
function loadParent(dir: string, tokens: TrainArgs['tokens']): ParentRun {
  let record: RunRecord;
  try {
    record = loadRunRecord(dir);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`--init-from: ${error.message}`);
    throw error;
  }
  const { data } = record;
  if (data.kind !== 'text')
    throw new UsageError(
      `--init-from ${dir} is a ${data.kind} run: pass a text run (a next-token model), whose embedding and recurrent layers the classifier starts from.`,
    );
  if (!hasUsableModel(record))
    throw new UsageError(`--init-from ${dir} has no model: the run stopped before its first checkpoint. Pass a text run that trained.`);
  if (data.tokens !== tokens)
    throw new UsageError(
      `--init-from ${dir} reads ${data.tokens} tokens but --tokens is ${tokens}: pass --tokens ${data.tokens}, since the classifier reads the text run's vocabulary.`,
    );
  if (data.vocab.length !== record.model.vocabSize)
    throw new UsageError(
      `--init-from ${dir}: the vocabulary in its ${RUN_FILE} has ${data.vocab.length} tokens but its model expects ${record.model.vocabSize}. Restore the run folder, or pass another text run.`,
    );
  return { dir: path.resolve(dir), record: record as ParentRun['record'] };
}

/** A shuffled copy (Fisher-Yates). */
function shuffled<T>(values: readonly T[], rng: Rng): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
