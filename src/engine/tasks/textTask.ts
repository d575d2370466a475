// Next-token training on a text: stateful or random-window batches, held-out scoring with the state carried or reset, and the bigram baseline.
import * as tf from '@tensorflow/tfjs-core';
import { MIN_STEPS_PER_EPOCH, MIN_STREAM_BATCHES } from '../config';
import { prepareTextCorpus, sampleTextBatch, validationBatches, Vocabulary, type TextCorpus, type TokenBatch, type TokenIds } from '../data/text';
import { streamChunks, TextStreams } from '../data/textStreams';
import { crossEntropyAndHits } from '../losses';
import { CandidateSampler } from '../nn/candidateSampler';
import { disposeState, flattenState, regroupState, zeroStateArrays, type ModelState, type SequenceModel } from '../model';
import type { Rng } from '../rng';
import type { EvaluateArgs, TrainingTask } from './task';
import { BigramModel } from '../eval/bigram';
import { SHORT_TEXT_LR, TEXT_LR, UsageError, type TrainArgs } from '../../shared/options';
import type { ModelSpec, TextDataInfo, TextMetrics, TextScoring } from '../../shared/runFolder';
import type { TrainBatch } from '../../shared/protocol';

/** Logits held at once when scoring with the state carried: chunks of at most this many values (16 MB). */
const SCORING_LOGITS = 1 << 22;
/** Held-out targets scored at the end of a run at most: a bigger split (from a text over 2.5 MB) is scored on its first ones, and `tokens` says how many. */
const FINAL_SCORING_TOKENS = 1 << 18;

/**
 * Vocabularies above this size train with a sampled softmax over {@link SAMPLED_CLASSES} classes per batch (exact softmax
 * for every evaluation). tinyshakespeare in words (7,773 tokens), LSTM-128, one thread: the dense head ran at ~900
 * tokens/s, S=512 at 6.6–9.2k; S=1024 at 4.6k and a worse perplexity at the same time.
 */
const SAMPLED_SOFTMAX_VOCAB = 2048;
const SAMPLED_CLASSES = 512;

/** Held-out token ids to score: ids [start, end). */
interface HeldOut {
  ids: TokenIds;
  start: number;
  end: number;
}

/** A text corpus ready for training. */
export class TextTask implements TrainingTask {
  readonly kind = 'text';
  readonly throughputUnit = 'tokens/s';
  readonly lossSpec = { task: 'text' } as const;
  readonly spec: ModelSpec;
  readonly dataInfo: TextDataInfo;
  readonly notes: string[];
  readonly stepsPerEpoch: number;
  readonly itemsPerStep: number;
  readonly defaultLr: number;
  private readonly corpus: TextCorpus;
  /** Stateful training's streams, or undefined for random windows from a zero state. */
  private readonly streams: TextStreams | undefined;
  /** The state the streams' next batch starts from (stateToArrays layout). */
  private state: Float32Array[] | undefined;
  /** How validation scores the model: as it was trained. */
  private readonly scoring: TextScoring;
  /** Draws each batch's sampled-softmax classes for a big vocabulary, else undefined (exact softmax). */
  private readonly sampler: CandidateSampler | undefined;

  /** `trained` carries a trained run's vocabulary, to evaluate or resume with the same token ids. */
  constructor(
    text: string,
    private readonly args: TrainArgs,
    trained?: TextDataInfo,
  ) {
    this.corpus = prepareTextCorpus(text, args, trained && new Vocabulary(trained.vocab, trained.tokens, trained.wordTokenizer ?? 1));
    const { vocab, ids, trainEnd, valStart, seqLen } = this.corpus;
    this.notes = this.corpus.notes;
    this.spec = {
      task: 'text',
      cell: args.cell,
      hidden: args.hidden,
      layers: args.layers,
      dropout: args.dropout,
      vocabSize: vocab.size,
      embedding: args.embedding,
    };
    const stateful = trained ? trained.stateful === true : args.stateful;
    const streamsFit = TextStreams.fit(trainEnd, args.batch, seqLen, MIN_STREAM_BATCHES);
    if (stateful && streamsFit) {
      this.streams = new TextStreams({ ids, end: trainEnd, rows: args.batch, seqLen });
    } else if (stateful) {
      this.notes.push(
        `The text is too short for ${args.batch} streams of ${MIN_STREAM_BATCHES} × ${seqLen} tokens: training on random windows, each from a zero state.`,
      );
    }
    this.scoring = this.streams ? 'carried' : 'reset';
    this.defaultLr = streamsFit ? TEXT_LR : SHORT_TEXT_LR;
    this.sampler =
      vocab.size > SAMPLED_SOFTMAX_VOCAB ? CandidateSampler.fromIds(ids.subarray(0, trainEnd), vocab.size, { size: SAMPLED_CLASSES, power: 0.75 }) : undefined;
    if (this.sampler)
      this.notes.push(`Training with a sampled softmax over ${SAMPLED_CLASSES} of the ${vocab.size} tokens per batch (evaluation uses all of them).`);
    this.dataInfo = {
      kind: 'text',
      tokens: args.tokens,
      vocab: [...vocab.tokens],
      trainTokens: trainEnd,
      valTokens: ids.length - valStart,
      seqLen,
      stateful: Boolean(this.streams),
      ...(args.tokens === 'word' ? { wordTokenizer: vocab.wordTokenizer } : {}),
    };
    this.itemsPerStep = args.batch * seqLen;
    this.stepsPerEpoch = Math.max(MIN_STEPS_PER_EPOCH, this.streams ? this.streams.batchesPerPass : Math.ceil(trainEnd / this.itemsPerStep));
  }

  sampleBatch(rng: Rng): TrainBatch {
    if (!this.streams) {
      const { inputs, targets, batch } = sampleTextBatch(this.corpus, this.args.batch, rng);
      return { rows: batch, inputs, targets, ...this.sampledClasses(rng) };
    }
    const { inputs, targets, batch, restart } = this.streams.nextBatch(rng);
    if (restart || !this.state) this.state = zeroStateArrays(this.spec, batch);
    return { rows: batch, inputs, targets, state: this.state, ...this.sampledClasses(rng) };
  }

  private sampledClasses(rng: Rng): Pick<TrainBatch, 'classes'> {
    return this.sampler ? { classes: this.sampler.sample(rng) } : {};
  }

  carryState(final: Float32Array[]): void {
    this.state = final;
  }

  async validationLoss(model: SequenceModel): Promise<number> {
    return (await this.score(model, this.heldOut(), this.scoring, this.args.maxEvalItems)).valLoss;
  }

  /** The run's held-out split, or all of another text. */
  private heldOut(text?: string): HeldOut {
    if (text === undefined) return { ids: this.corpus.ids, start: this.corpus.valStart, end: this.corpus.ids.length };
    const ids = this.corpus.vocab.encode(text);
    if (ids.length < 2)
      throw new UsageError(
        `The text to evaluate on has ${ids.length} ${this.args.tokens} token${ids.length === 1 ? '' : 's'}: scoring next tokens needs at least 2. Pass a longer file.`,
      );
    return { ids, start: 0, end: ids.length };
  }

  /**
   * Cross-entropy, perplexity, bits per char and accuracy on up to `maxTokens` held-out targets: with the state carried
   * from each token to the next (see {@link scoreCarried}), or in windows of seqLen tokens that each start from a zero state.
   */
  private async score(model: SequenceModel, heldOut: HeldOut, scoring: TextScoring, maxTokens: number): Promise<TextMetrics> {
    const end = Math.min(heldOut.end, heldOut.start + maxTokens + 1);
    const totals = { loss: 0, hits: 0, count: 0 };
    if (scoring === 'carried') {
      await scoreCarried(model, { ...heldOut, end }, totals);
    } else {
      const windows = { ...this.corpus, ids: heldOut.ids.subarray(0, end), valStart: heldOut.start };
      for (const batch of validationBatches(windows, this.args.batch, maxTokens)) await scoreRows(model, batch, undefined, totals);
    }
    return { ...textMetrics(totals.loss / totals.count, totals.hits / totals.count, totals.count, this.args.tokens === 'char'), state: scoring };
  }

  /** The whole held-out split (or `heldOutText`) scored as trained, and with `bothScorings` the other way too, beside the bigram. */
  async evaluate(
    model: SequenceModel,
    options: EvaluateArgs = {},
  ): Promise<{ task: 'text'; metrics: TextMetrics; baselines: { bigram: TextMetrics }; scorings?: Record<TextScoring, TextMetrics> }> {
    const whole = this.heldOut(options.heldOutText);
    const heldOut = { ...whole, end: Math.min(whole.end, whole.start + FINAL_SCORING_TOKENS + 1) };
    const metrics = await this.score(model, heldOut, this.scoring, FINAL_SCORING_TOKENS);
    const bigram = new BigramModel(this.corpus.vocab.size, this.corpus.ids.subarray(0, this.corpus.trainEnd));
    let lossSum = 0;
    let hitSum = 0;
    for (let i = heldOut.start; i + 1 < heldOut.end; i++) {
      lossSum -= Math.log(bigram.probability(heldOut.ids[i], heldOut.ids[i + 1]));
      hitSum += bigram.mostLikely(heldOut.ids[i]) === heldOut.ids[i + 1] ? 1 : 0;
    }
    const count = heldOut.end - 1 - heldOut.start;
    const summary = { task: 'text' as const, metrics, baselines: { bigram: textMetrics(lossSum / count, hitSum / count, count, this.args.tokens === 'char') } };
    if (!options.bothScorings) return summary;
    const other: TextScoring = this.scoring === 'carried' ? 'reset' : 'carried';
    const otherMetrics = await this.score(model, heldOut, other, FINAL_SCORING_TOKENS);
    return { ...summary, scorings: { [this.scoring]: metrics, [other]: otherMetrics } as Record<TextScoring, TextMetrics> };
  }
}

/** Running sums of a scoring: cross-entropy (nats), top-1 hits and targets. */
interface ScoreTotals {
  loss: number;
  hits: number;
  count: number;
}

/** Adds a batch's scores to `totals`, from `state` (zero if undefined). Returns the final state when `keep` (the caller disposes it). */
async function scoreRows(
  model: SequenceModel,
  batch: TokenBatch,
  state: ModelState | undefined,
  totals: ScoreTotals,
  keep = false,
): Promise<ModelState | undefined> {
  const [loss, hits, ...final] = tf.tidy(() => {
    const inputs = tf.tensor2d(batch.inputs, [batch.batch, batch.seqLen], 'int32');
    const { logits, state: next } = model.textLogits(inputs, undefined, state);
    const scored = crossEntropyAndHits(logits, tf.tensor1d(batch.targets, 'int32'));
    return [tf.sum(scored.losses), tf.sum(scored.hits), ...(keep ? flattenState(next) : [])];
  });
  totals.loss += (await loss.data())[0];
  totals.hits += (await hits.data())[0];
  totals.count += batch.targets.length;
  tf.dispose([loss, hits]);
  return keep ? regroupState(model.spec.cell, final as tf.Tensor2D[]) : undefined;
}

/**
 * Scores held-out ids [start, end) as one stream, the state carried from each chunk to the next, so that every token is
 * predicted from everything before it in the split. (Reading a long split as 32 parallel parts, each warmed up on the
 * 512 tokens before it, scored within 0.00001 bits/char of this on tinyshakespeare and was no faster.)
 */
async function scoreCarried(model: SequenceModel, { ids, start, end }: HeldOut, totals: ScoreTotals): Promise<void> {
  const chunk = Math.max(16, Math.min(4096, Math.floor(SCORING_LOGITS / (model.spec.vocabSize ?? 1))));
  let state: ModelState | undefined;
  for (const batch of streamChunks(ids, start, end, chunk)) {
    const next = await scoreRows(model, batch, state, totals, true);
    disposeState(state);
    state = next;
  }
  disposeState(state);
}

/** The text figures from a mean cross-entropy in nats and an accuracy. */
export function textMetrics(valLoss: number, accuracy: number, tokens: number, perCharacter: boolean): TextMetrics {
  return { valLoss, perplexity: Math.exp(valLoss), bitsPerChar: perCharacter ? valLoss / Math.LN2 : null, accuracy, tokens };
}
