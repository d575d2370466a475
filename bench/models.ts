// The char-level models the benchmark trains: the engine's SequenceModel, SeqLab's layers alone, and tfjs-layers.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GATE_COUNT, embeddedRecurrentLayer, type RecurrentWeights } from '../src/engine/nn/recurrent';
import { dense } from '../src/engine/nn/dense';
import { embedding } from '../src/engine/nn/embedding';
import { softmaxCrossEntropy } from '../src/engine/nn/crossEntropy';
import { SequenceModel, type ModelState } from '../src/engine/model';
import { ShardedGradients } from '../src/engine/dataParallel';
import type { BackendName } from '../src/engine/backend';
import { Adam } from '../src/engine/adam';
import type { CellType } from '../src/shared/options';
import type { ModelSpec } from '../src/shared/runFolder';

/** One benchmark cell: the classic BasicRNN pattern Embedding → RNN → Linear, trained with Adam and clipping. */
export interface ModelShape {
  cell: CellType;
  vocab: number;
  embed: number;
  hidden: number;
}

const LR = 0.002;
const CLIP = 5;

/** A model the benchmark can train on token batches. */
export interface BenchModel {
  /** One Adam step on ids/targets [batch, time]; returns the loss. */
  trainStep(ids: tf.Tensor2D, targets: tf.Tensor2D): number | Promise<number>;
  dispose(): void | Promise<void>;
}

/** Scales gradients so that their global L2 norm is at most `clip` (0 = no clipping). */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, clip: number): tf.NamedTensorMap {
  if (clip <= 0) return grads;
  const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
  const scale = tf.div(clip, tf.maximum(norm, clip));
  return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]));
}

/** The layers' training step: loss, gradients, global-norm clipping and tf.train.adam. */
function trainStep(optimizer: tf.Optimizer, vars: tf.Variable[], loss: () => tf.Scalar): number {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(loss, vars);
    optimizer.applyGradients(clipByGlobalNorm(grads, CLIP) as Parameters<tf.AdamOptimizer['applyGradients']>[0]);
    return value.dataSync()[0];
  });
}

/** The engine's text loss (src/engine/tasks/textTask.ts) on logits [n, vocab] against targets [batch, time]. */
function textLoss(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return softmaxCrossEntropy(logits, tf.reshape(targets, [-1]) as tf.Tensor1D);
}

/** What users run: src/engine/model.ts, its batches shared by `threads` threads and trained like src/engine/train.ts does. */
export class EngineModel implements BenchModel {
  private readonly optimizer: Adam;

  private constructor(
    readonly model: SequenceModel,
    private readonly gradients: ShardedGradients,
  ) {
    this.optimizer = new Adam(model.variables, LR, CLIP);
  }

  static async create(shape: ModelShape, seed: number, threads: number): Promise<EngineModel> {
    const { cell, vocab, embed, hidden } = shape;
    const spec: ModelSpec = { task: 'text', cell, hidden, layers: 1, dropout: 0, vocabSize: vocab, embedding: embed };
    const gradients = await ShardedGradients.start({ spec, lossSpec: { task: 'text' }, backend: tf.getBackend() as BackendName }, threads, (note) => {
      throw new Error(note);
    });
    return new EngineModel(SequenceModel.create(spec, seed), gradients);
  }

  async trainStep(ids: tf.Tensor2D, targets: tf.Tensor2D): Promise<number> {
    const batch = { rows: ids.shape[0], inputs: ids.dataSync() as Int32Array, targets: targets.dataSync() as Int32Array };
    const { loss, grads } = await this.gradients.compute(this.model, batch, 0);
    this.optimizer.step(grads);
    return loss;
  }

  /** Greedy continuation like the engine's preview: the prompt runs once, then one step per token carrying the state. */
  generate(prompt: number[], count: number): number[] {
    const out: number[] = [];
    let state: ModelState | undefined;
    let ids = prompt;
    for (let n = 0; n < count; n++) {
      const step = tf.tidy(() => {
        const { logits, state: next } = this.model.textLogits(tf.tensor2d(ids, [1, ids.length], 'int32'), undefined, state);
        const probs = tf.softmax(tf.slice(logits, [ids.length - 1, 0], [1, -1]));
        return { probs, state: next.map((s) => ({ h: tf.keep(s.h), c: s.c && tf.keep(s.c) })) };
      });
      const p = step.probs.dataSync();
      step.probs.dispose();
      if (state) tf.dispose(state.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])));
      state = step.state;
      let best = 0;
      for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
      out.push(best);
      ids = [best];
    }
    if (state) tf.dispose(state.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])));
    return out;
  }

  async dispose(): Promise<void> {
    this.model.dispose();
    await this.gradients.dispose();
  }
}

/** SeqLab's layers alone: nn/recurrent's embedded-token layer → nn/dense → nn/crossEntropy, all fast on wasm. */
export class FusedModel implements BenchModel {
  private readonly table: tf.Variable;
  private readonly weights: RecurrentWeights;
  private readonly headW: tf.Variable;
  private readonly headB: tf.Variable;
  private readonly optimizer = tf.train.adam(LR);

  constructor(
    readonly shape: ModelShape,
    seed: number,
  ) {
    const { cell, vocab, embed, hidden } = shape;
    const G = GATE_COUNT[cell] * hidden;
    const k = 1 / Math.sqrt(hidden);
    const u = (dims: number[], limit: number, s: number) => tf.variable(tf.randomUniform(dims, -limit, limit, 'float32', seed + s));
    this.table = u([vocab, embed], 1, 1);
    this.weights = { wIh: u([embed, G], k, 2), wHh: u([hidden, G], k, 3), bIh: u([G], k, 4), bHh: u([G], k, 5) } as RecurrentWeights;
    this.headW = u([hidden, vocab], k, 6);
    this.headB = u([vocab], k, 7);
  }

  private get variables(): tf.Variable[] {
    const { wIh, wHh, bIh, bHh } = this.weights;
    return [this.table, wIh, wHh, bIh, bHh, this.headW, this.headB] as tf.Variable[];
  }

  trainStep(ids: tf.Tensor2D, targets: tf.Tensor2D): number {
    const [B, T] = ids.shape;
    const logits = () => {
      const { outputs } = embeddedRecurrentLayer(this.shape.cell, this.table as tf.Tensor2D, ids, this.weights);
      return dense(tf.reshape(outputs, [B * T, this.shape.hidden]) as tf.Tensor2D, this.headW as tf.Tensor2D, this.headB as tf.Tensor1D);
    };
    return trainStep(this.optimizer, this.variables, () => textLoss(logits(), targets));
  }

  dispose(): void {
    tf.dispose(this.variables);
    this.optimizer.dispose();
  }
}

/**
 * tfjs-layers' SimpleRNN/LSTM/GRU (sigmoid recurrent activation, as PyTorch) and Dense, trained with the same step.
 * The lookup is SeqLab's embedding: tfjs' gather gradient needs a kernel the wasm backend lacks.
 */
export class LayersModel implements BenchModel {
  private readonly table: tf.Variable;
  private readonly rnn: tfl.layers.Layer;
  private readonly head: tfl.layers.Layer;
  private readonly optimizer = tf.train.adam(LR);

  constructor(
    readonly shape: ModelShape,
    seed: number,
  ) {
    const { cell, vocab, embed, hidden } = shape;
    this.table = tf.variable(tf.randomUniform([vocab, embed], -1, 1, 'float32', seed));
    // The default orthogonal recurrent initializer needs tfjs' chained ops, absent from tfjs-core's bundles.
    const options = { units: hidden, returnSequences: true, recurrentActivation: 'sigmoid' as const, recurrentInitializer: 'glorotUniform' as const };
    this.rnn = cell === 'rnn' ? tfl.layers.simpleRNN(options) : cell === 'lstm' ? tfl.layers.lstm(options) : tfl.layers.gru(options);
    this.head = tfl.layers.dense({ units: vocab });
  }

  private logits(ids: tf.Tensor2D): tf.Tensor2D {
    const [B, T] = ids.shape;
    const x = embedding(this.table as tf.Tensor2D, ids);
    return tf.reshape(this.head.apply(this.rnn.apply(x)) as tf.Tensor, [B * T, this.shape.vocab]) as tf.Tensor2D;
  }

  trainStep(ids: tf.Tensor2D, targets: tf.Tensor2D): number {
    if (!this.rnn.built) tf.tidy(() => void this.logits(ids));
    const vars = [this.table, ...[...this.rnn.trainableWeights, ...this.head.trainableWeights].map((w) => w.read() as tf.Variable)];
    return trainStep(this.optimizer, vars, () => textLoss(this.logits(ids), targets));
  }

  dispose(): void {
    this.table.dispose();
    this.rnn.dispose();
    this.head.dispose();
    this.optimizer.dispose();
  }
}
