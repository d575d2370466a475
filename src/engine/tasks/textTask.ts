// Next-token training on a text: batches, validation, and the final metrics beside a smoothed bigram baseline.
import * as tf from '@tensorflow/tfjs-core';
import { MIN_STEPS_PER_EPOCH, type TrainArgs } from '../config';
import { prepareTextCorpus, sampleTextBatch, validationBatches, Vocabulary, type TextCorpus } from '../data/text';
import { crossEntropyAndHits } from '../losses';
import type { SequenceModel, ModelSpec } from '../model';
import type { Rng } from '../rng';
import type { TextMetrics, TextDataInfo } from '../../shared/protocol';
import type { TrainingTask } from './task';
import type { TrainBatch } from './batch';
import { BigramModel } from '../eval/bigram';

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
  private readonly corpus: TextCorpus;

  /** `trained` carries a trained run's vocabulary, to evaluate or resume with the same token ids. */
  constructor(
    text: string,
    private readonly args: TrainArgs,
    trained?: TextDataInfo,
  ) {
    this.corpus = prepareTextCorpus(text, args, trained && new Vocabulary(trained.vocab, trained.tokens));
    const { vocab, ids, trainEnd, valStart, seqLen } = this.corpus;
    this.notes = this.corpus.notes;
    this.spec = { task: 'text', cell: args.cell, hidden: args.hidden, layers: args.layers, dropout: args.dropout, vocabSize: vocab.size, embedding: args.embedding };
    this.dataInfo = { kind: 'text', tokens: args.tokens, vocab: [...vocab.tokens], trainTokens: trainEnd, valTokens: ids.length - valStart, seqLen };
    this.itemsPerStep = args.batch * seqLen;
    this.stepsPerEpoch = Math.max(MIN_STEPS_PER_EPOCH, Math.ceil(trainEnd / this.itemsPerStep));
  }

  sampleBatch(rng: Rng): TrainBatch {
    const { inputs, targets, batch } = sampleTextBatch(this.corpus, this.args.batch, rng);
    return { rows: batch, inputs, targets };
  }

  async validationLoss(model: SequenceModel): Promise<number> {
    return (await this.modelMetrics(model, this.args.maxEvalItems)).valLoss;
  }

  /** Cross-entropy, perplexity, bits per char and accuracy of the model on the validation windows. */
  private async modelMetrics(model: SequenceModel, maxTokens: number): Promise<TextMetrics> {
    let lossSum = 0;
    let hitSum = 0;
    let count = 0;
    for (const batch of validationBatches(this.corpus, this.args.batch, maxTokens)) {
      const [loss, hits] = tf.tidy(() => {
        const inputs = tf.tensor2d(batch.inputs, [batch.batch, batch.seqLen], 'int32');
        const { losses, hits } = crossEntropyAndHits(model.textLogits(inputs).logits, tf.tensor1d(batch.targets, 'int32'));
        return [tf.sum(losses), tf.sum(hits)];
      });
      lossSum += (await loss.data())[0];
      hitSum += (await hits.data())[0];
      tf.dispose([loss, hits]);
      count += batch.targets.length;
    }
    return textMetrics(lossSum / count, hitSum / count, count, this.args.tokens === 'char');
  }

  async evaluate(model: SequenceModel): Promise<{ task: 'text'; metrics: TextMetrics; baselines: { bigram: TextMetrics } }> {
    const maxTokens = Math.max(this.args.maxEvalItems, 65536);
    const metrics = await this.modelMetrics(model, maxTokens);
    const bigram = new BigramModel(this.corpus.vocab.size, this.corpus.ids.subarray(0, this.corpus.trainEnd));
    let lossSum = 0;
    let hitSum = 0;
    let count = 0;
    for (const batch of validationBatches(this.corpus, this.args.batch, maxTokens)) {
      for (let i = 0; i < batch.targets.length; i++) {
        lossSum -= Math.log(bigram.probability(batch.inputs[i], batch.targets[i]));
        hitSum += bigram.mostLikely(batch.inputs[i]) === batch.targets[i] ? 1 : 0;
        count++;
      }
    }
    return { task: 'text', metrics, baselines: { bigram: textMetrics(lossSum / count, hitSum / count, count, this.args.tokens === 'char') } };
  }
}

/** The text figures from a mean cross-entropy in nats and an accuracy. */
export function textMetrics(valLoss: number, accuracy: number, tokens: number, perCharacter: boolean): TextMetrics {
  return { valLoss, perplexity: Math.exp(valLoss), bitsPerChar: perCharacter ? valLoss / Math.LN2 : null, accuracy, tokens };
}
