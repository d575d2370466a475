// The sequence model: embedding or input features → stacked recurrent layers → (pooling, for a classifier) → dense head; saved in TF.js format.
import * as tf from '@tensorflow/tfjs-core';
import { dense } from './nn/dense';
import { embedding } from './nn/embedding';
import { embeddedRecurrentLayer, GATE_COUNT, recurrentLayer, type RecurrentOutput, type RecurrentState, type RecurrentWeights } from './nn/recurrent';
import { TRAIN_OPTIONS, type CellType, type PoolMode } from '../shared/options';
import type { ModelSpec } from '../shared/runFolder';

/** The largest size (units, vocabulary, classes, …) a saved model's spec may give; a bigger one is damage. */
const MAX_MODEL_SIZE = 10_000_000;

/** The variables of one recurrent layer. */
type LayerVariables = { [K in keyof RecurrentWeights]: tf.Variable };

/** Recurrent state for every layer, carried across calls (stateful training, evaluation, generation). */
export type ModelState = RecurrentState[];

/** What {@link SequenceModel.textLayerOutputs} collects, layer by layer: the outputs, and an LSTM's cell states when `keepCells`. */
interface LayerCollection {
  keepCells: boolean;
  outputs: tf.Tensor3D[];
  cells: (tf.Tensor3D | undefined)[];
}

/** A state's tensors in one list: per layer h, then c for LSTM (the order every flat form of a state uses). */
export function flattenState(state: ModelState): tf.Tensor2D[] {
  return state.flatMap((s) => (s.c ? [s.h, s.c] : [s.h]));
}

/** A state from tensors in {@link flattenState}'s order. */
export function regroupState(cell: CellType, tensors: tf.Tensor2D[]): ModelState {
  const width = cell === 'lstm' ? 2 : 1;
  return Array.from({ length: tensors.length / width }, (_, l) => ({ h: tensors[l * width], ...(width === 2 ? { c: tensors[l * width + 1] } : {}) }));
}

/** A model state as plain arrays, to post to a worker or keep between batches: {@link flattenState}'s order, each [rows, hidden]. */
export function stateToArrays(state: ModelState): Float32Array[] {
  return flattenState(state).map((t) => t.dataSync() as Float32Array);
}

/** The zero state of `rows` rows, as arrays (see {@link stateToArrays}). */
export function zeroStateArrays(spec: ModelSpec, rows: number): Float32Array[] {
  return Array.from({ length: spec.layers * (spec.cell === 'lstm' ? 2 : 1) }, () => new Float32Array(rows * spec.hidden));
}

/** Tensors for a state given as arrays (see {@link stateToArrays}). */
export function stateFromArrays(spec: ModelSpec, rows: number, arrays: Float32Array[]): ModelState {
  const width = spec.cell === 'lstm' ? 2 : 1;
  if (arrays.length !== spec.layers * width || arrays.some((a) => a.length !== rows * spec.hidden))
    throw new Error(`a ${spec.cell} state for ${rows} rows needs ${spec.layers * width} arrays of ${rows * spec.hidden}`);
  return regroupState(
    spec.cell,
    arrays.map((a) => tf.tensor2d(a, [rows, spec.hidden])),
  );
}

/** Frees a state's tensors. */
export function disposeState(state: ModelState | undefined): void {
  if (state) tf.dispose(flattenState(state));
}

/** Name and format of the saved topology in model.json. */
const MODEL_FORMAT = 'seqlab-model';
const MODEL_FORMAT_VERSION = 1;

/** An RNN, LSTM or GRU for next-token prediction (text), direct multi-step forecasting (series) or labelling texts (classify). */
export class SequenceModel {
  private constructor(
    readonly spec: ModelSpec,
    private readonly embedding: tf.Variable | undefined,
    private readonly recurrent: LayerVariables[],
    private readonly headWeight: tf.Variable,
    private readonly headBias: tf.Variable,
  ) {}

  /** Saved names of the weights (variables get unique engine names, since several models may share a process). */
  private get weightNames(): string[] {
    return [
      ...(this.embedding ? ['embedding'] : []),
      ...this.recurrent.flatMap((_, l) => ['w_ih', 'w_hh', 'b_ih', 'b_hh'].map((w) => `layer${l}/${w}`)),
      'head/w',
      'head/b',
    ];
  }

  /** A new model with PyTorch's default initialisation, from a seed. A spec that cannot be built leaves nothing allocated. */
  static create(spec: ModelSpec, seed: number): SequenceModel {
    const created: tf.Variable[] = [];
    /** A variable holding `init`, which is then released: the variable keeps the values, and nothing else stays allocated. */
    const variable = (init: tf.Tensor) => {
      const v = tf.variable(init);
      init.dispose();
      created.push(v);
      return v;
    };
    try {
      let next = seed;
      const uniform = (shape: number[], bound: number) => variable(tf.randomUniform(shape, -bound, bound, 'float32', next++));
      const gates = GATE_COUNT[spec.cell] * spec.hidden;
      const bound = 1 / Math.sqrt(spec.hidden);
      const readsTokens = spec.task !== 'series';
      const embedding = readsTokens ? variable(tf.randomNormal([vocabSizeOf(spec), embeddingOf(spec)], 0, 1, 'float32', next++)) : undefined;
      const recurrent: LayerVariables[] = [];
      for (let l = 0; l < spec.layers; l++) {
        const inputSize = l > 0 ? spec.hidden : readsTokens ? embeddingOf(spec) : inputSizeOf(spec);
        recurrent.push({
          wIh: uniform([inputSize, gates], bound),
          wHh: uniform([spec.hidden, gates], bound),
          bIh: uniform([gates], bound),
          bHh: uniform([gates], bound),
        });
      }
      const outputs = spec.task === 'text' ? vocabSizeOf(spec) : spec.task === 'classify' ? classesOf(spec) : horizonOf(spec);
      if (spec.task === 'classify') poolOf(spec);
      const headInputs = spec.hidden + (spec.futureSize ?? 0);
      const head = spec.residual
        ? { w: variable(tf.zeros([headInputs, outputs])), b: variable(tf.zeros([outputs])) }
        : { w: uniform([headInputs, outputs], 1 / Math.sqrt(headInputs)), b: uniform([outputs], 1 / Math.sqrt(headInputs)) };
      return new SequenceModel(spec, embedding, recurrent, head.w, head.b);
    } catch (error) {
      tf.dispose(created);
      throw error;
    }
  }

  /** Every trainable variable, in a stable order. */
  get variables(): tf.Variable[] {
    return [...(this.embedding ? [this.embedding] : []), ...this.recurrent.flatMap((l) => [l.wIh, l.wHh, l.bIh, l.bHh]), this.headWeight, this.headBias];
  }

  /** The number of trainable parameters. */
  get parameterCount(): number {
    return this.variables.reduce((sum, v) => sum + v.size, 0);
  }

  /**
   * Runs the recurrent stack; `firstLayer` runs layer 0 on the model's input (features, or embedded tokens).
   * Dropout (training only) applies to each layer's outputs. Returns the last layer's outputs
   * [batch, time, hidden] and the final state of every layer; `collect` gathers every layer's outputs (see {@link textLayerOutputs}).
   */
  private runLayers(
    firstLayer: (weights: RecurrentWeights, init?: RecurrentState, keepCells?: boolean) => RecurrentOutput,
    dropoutSeed: number | undefined,
    state?: ModelState,
    collect?: LayerCollection,
  ): { outputs: tf.Tensor3D; state: ModelState } {
    const finals: ModelState = [];
    let h: tf.Tensor3D | undefined;
    const keepCells = collect?.keepCells ?? false;
    this.recurrent.forEach((layer, l) => {
      const weights = layer as RecurrentWeights;
      const { outputs, final, cells } =
        h === undefined ? firstLayer(weights, state?.[l], keepCells) : recurrentLayer(this.spec.cell, h, weights, state?.[l], keepCells);
      h = dropoutSeed !== undefined && this.spec.dropout > 0 ? (tf.dropout(outputs, this.spec.dropout, undefined, dropoutSeed + l) as tf.Tensor3D) : outputs;
      collect?.outputs.push(h);
      collect?.cells.push(cells);
      finals.push(final);
    });
    return { outputs: h as tf.Tensor3D, state: finals };
  }

  private head(h: tf.Tensor2D): tf.Tensor2D {
    return dense(h, this.headWeight as tf.Tensor2D, this.headBias as tf.Tensor1D);
  }

  /**
   * Text and classify: the last layer's outputs [batch, time, hidden] for ids [batch, time]. `dropoutSeed` turns on
   * dropout (training); `state` continues from an earlier call. A first layer over a vocabulary bigger than the batch's
   * tokens (words) embeds the tokens it sees; a smaller one (characters) projects the whole table once.
   */
  private tokenOutputs(ids: tf.Tensor2D, dropoutSeed?: number, state?: ModelState, collect?: LayerCollection): { outputs: tf.Tensor3D; state: ModelState } {
    if (!this.embedding) throw new Error('a series model reads no tokens');
    const [batch, time] = ids.shape;
    const table = this.embedding as tf.Tensor2D;
    const firstLayer = (weights: RecurrentWeights, init?: RecurrentState, keepCells?: boolean) =>
      table.shape[0] > batch * time
        ? recurrentLayer(this.spec.cell, embedding(table, ids) as tf.Tensor3D, weights, init, keepCells)
        : embeddedRecurrentLayer(this.spec.cell, table, ids, weights, init, keepCells);
    return this.runLayers(firstLayer, dropoutSeed, state, collect);
  }

  /**
   * Text, for inspection: every layer's outputs [batch, time, hidden], first layer first, for ids [batch, time] from
   * `state` (no dropout), with `keepCells` an LSTM's cell states after every step too (undefined for other cells), and the final state.
   */
  textLayerOutputs(ids: tf.Tensor2D, state?: ModelState, keepCells = false): { outputs: tf.Tensor3D[]; cells: (tf.Tensor3D | undefined)[]; state: ModelState } {
    const collect: LayerCollection = { keepCells, outputs: [], cells: [] };
    const { state: final } = this.tokenOutputs(ids, undefined, state, collect);
    return { outputs: collect.outputs, cells: collect.cells, state: final };
  }

  /** Text: the last layer's outputs [batch*time, hidden] for ids [batch, time], before the head (see {@link tokenOutputs}). */
  textHidden(ids: tf.Tensor2D, dropoutSeed?: number, state?: ModelState): { hidden: tf.Tensor2D; state: ModelState } {
    const { outputs, state: final } = this.tokenOutputs(ids, dropoutSeed, state);
    return { hidden: tf.reshape(outputs, [ids.shape[0] * ids.shape[1], -1]), state: final };
  }

  /** Text: next-token logits [batch*time, vocab] for ids [batch, time] (see {@link textHidden}). */
  textLogits(ids: tf.Tensor2D, dropoutSeed?: number, state?: ModelState): { logits: tf.Tensor2D; state: ModelState } {
    const { hidden, state: final } = this.textHidden(ids, dropoutSeed, state);
    return { logits: this.head(hidden), state: final };
  }

  /**
   * Classify: class logits [batch, classes] for ids [batch, time], row b holding a text of `lengths[b]` ≥ 1 tokens
   * followed by padding. The layers are causal, so the outputs at t < lengths[b] do not depend on the padding, and the
   * pooling reads only those: `last` the output at lengths[b] − 1, `mean` and `max` those over t < lengths[b].
   * A residual classifier adds its head's output to `priors` [batch, classes], the baseline's log-probabilities.
   */
  classifyLogits(ids: tf.Tensor2D, lengths: Int32Array, dropoutSeed?: number, priors?: tf.Tensor2D): tf.Tensor2D {
    const [batch, time] = ids.shape;
    if (lengths.length !== batch || lengths.some((n) => !(n >= 1 && n <= time)))
      throw new Error(`classifyLogits: each of the ${batch} lengths must be from 1 to ${time}`);
    if (Boolean(this.spec.residual) !== (priors !== undefined))
      throw new Error(`classifyLogits: a ${this.spec.residual ? 'residual' : 'plain'} classifier ${this.spec.residual ? 'needs' : 'takes no'} priors`);
    const { outputs } = this.tokenOutputs(ids, dropoutSeed); // [B, T, H]
    const pool = poolOf(this.spec);
    // weights [B, T, 1]: 1 at the steps pooled over (for `last`, only the final one), 0 elsewhere.
    const weights = new Float32Array(batch * time);
    for (let b = 0; b < batch; b++) {
      if (pool === 'last') weights[b * time + lengths[b] - 1] = 1;
      else weights.fill(1, b * time, b * time + lengths[b]);
    }
    const mask = tf.tensor3d(weights, [batch, time, 1]);
    let pooled: tf.Tensor2D; // [B, H]
    if (pool === 'max') {
      // Padded steps read as −1e9, far below any output (|h| ≤ 1, or 1/(1 − dropout) with dropout), so never the maximum.
      pooled = tf.max(tf.where(tf.cast(mask, 'bool'), outputs, tf.fill(outputs.shape, -1e9)), 1) as tf.Tensor2D;
    } else {
      const sums = tf.sum(tf.mul(outputs, mask), 1) as tf.Tensor2D;
      pooled = pool === 'last' ? sums : (tf.div(sums, tf.tensor2d(Float32Array.from(lengths), [batch, 1])) as tf.Tensor2D);
    }
    return priors ? tf.add(this.head(pooled), priors) : this.head(pooled);
  }

  /**
   * Copies the embedding and recurrent layers of `source` (a text model) into this one, leaving the head: a classifier
   * starting from a language model. The two must have the same vocabulary, embedding, cell and layer sizes.
   */
  copyEncoder(source: SequenceModel): void {
    const from = source.namedWeights();
    for (const [name, v] of Object.entries(this.namedWeights()) as [string, tf.Variable][]) {
      if (name.startsWith('head/')) continue;
      const value = from[name];
      if (!value || value.shape.join('x') !== v.shape.join('x'))
        throw new Error(`weight "${name}" of the source model has shape [${value?.shape ?? ''}], expected [${v.shape}]`);
      v.assign(value);
    }
  }

  /** The head's weight [hidden, outputs] and bias [outputs], for a loss that computes only some of the outputs (sampled softmax). */
  get headParams(): { weight: tf.Tensor2D; bias: tf.Tensor1D } {
    return { weight: this.headWeight as tf.Tensor2D, bias: this.headBias as tf.Tensor1D };
  }

  /**
   * Series: the head's `horizon` outputs [batch, horizon] for windows [batch, lookback, features] and, when the spec has
   * them, the known future covariates [batch, futureSize]: normalised target values, or their correction to the
   * baseline forecast for a residual model.
   */
  forecast(windows: tf.Tensor3D, future?: tf.Tensor2D, dropoutSeed?: number): tf.Tensor2D {
    const { outputs } = this.runLayers((weights) => recurrentLayer(this.spec.cell, windows, weights), dropoutSeed);
    const [batch, time, hidden] = outputs.shape;
    const last = tf.reshape(tf.slice(outputs, [0, time - 1, 0], [batch, 1, hidden]), [batch, hidden]) as tf.Tensor2D;
    if ((this.spec.futureSize ?? 0) === 0) return this.head(last);
    if (!future || future.shape[1] !== this.spec.futureSize) throw new Error(`the model needs ${this.spec.futureSize} future covariates per window`);
    return this.head(tf.concat([last, future], 1));
  }

  /** The weights by name, for saving. */
  namedWeights(): tf.NamedTensorMap {
    const names = this.weightNames;
    return Object.fromEntries(this.variables.map((v, i) => [names[i], v]));
  }

  /** Copies weights into this model (checkpoint restore or loading). */
  assignWeights(weights: tf.NamedTensorMap): void {
    for (const [name, v] of Object.entries(this.namedWeights()) as [string, tf.Variable][]) {
      const value = weights[name];
      if (!value) throw new Error(`the saved model has no weight "${name}"`);
      if (value.shape.join('x') !== v.shape.join('x')) throw new Error(`weight "${name}" has shape [${value.shape}], expected [${v.shape}]`);
      v.assign(value);
    }
  }

  /** model.json in the TensorFlow.js artifact format, with our own topology, for weights saved in `weightsFile`. */
  modelJson(weightsFile: string, specs: tf.io.WeightsManifestEntry[]): ModelJson {
    return { format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, modelTopology: this.spec, weightsManifest: [{ paths: [weightsFile], weights: specs }] };
  }

  /** Rebuilds a model from model.json and its weight bytes, checking both. */
  static deserialize(modelJson: unknown, weightData: ArrayBuffer): SequenceModel {
    const json = modelJson as Partial<ModelJson>;
    if (json?.format !== MODEL_FORMAT || !json.modelTopology || !Array.isArray(json.weightsManifest)) throw new Error('model.json is not a SeqLab model');
    if (typeof json.formatVersion !== 'number' || json.formatVersion > MODEL_FORMAT_VERSION) {
      throw new Error(`model.json has format version ${json.formatVersion}, newer than this SeqLab reads (${MODEL_FORMAT_VERSION}): update SeqLab`);
    }
    const specs = json.weightsManifest.flatMap((group) => group.weights);
    // Checked before decoding, which would allocate the weights before a bad one and then throw.
    const wrongType = specs.find((s) => s?.dtype !== 'float32');
    if (wrongType)
      throw new Error(`weight ${JSON.stringify(wrongType?.name)} has dtype ${JSON.stringify(wrongType?.dtype)}; a SeqLab model's weights are float32`);
    const expected = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
    if (weightData.byteLength !== expected)
      throw new Error(`the weights file has ${weightData.byteLength} bytes, expected ${expected}: it is truncated or from another model`);
    // A damaged size (say 1e308 layers) would build layers without end before the weights could refuse it.
    const topology = json.modelTopology as unknown as Record<string, unknown>;
    for (const key of ['hidden', 'layers', 'vocabSize', 'embedding', 'inputSize', 'horizon', 'futureSize', 'classes']) {
      const size = topology[key];
      const most = key === 'layers' ? TRAIN_OPTIONS.layers.max : MAX_MODEL_SIZE;
      if ((size !== undefined || key === 'hidden' || key === 'layers') && !(Number.isInteger(size) && (size as number) >= 0 && (size as number) <= most)) {
        throw new Error(`model.json's ${key} is ${JSON.stringify(size)}, not a whole number from 0 to ${most}`);
      }
    }
    const model = SequenceModel.create(json.modelTopology, 0);
    let weights: tf.NamedTensorMap = {};
    try {
      weights = tf.io.decodeWeights(weightData, specs);
      model.assignWeights(weights);
      return model;
    } catch (error) {
      // Weights that do not fit the model: nothing of it, or of them, stays allocated.
      model.dispose();
      throw error;
    } finally {
      tf.dispose(Object.values(weights));
    }
  }

  /** Frees the model's variables. */
  dispose(): void {
    tf.dispose(this.variables);
  }
}

/** The content of model.json. */
export interface ModelJson {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  modelTopology: ModelSpec;
  weightsManifest: tf.io.WeightsManifestConfig;
}

function vocabSizeOf(spec: ModelSpec): number {
  return required(spec.vocabSize, 'vocabSize');
}
function embeddingOf(spec: ModelSpec): number {
  return required(spec.embedding, 'embedding');
}
function classesOf(spec: ModelSpec): number {
  return required(spec.classes, 'classes');
}
function poolOf(spec: ModelSpec): PoolMode {
  if (spec.pool !== 'last' && spec.pool !== 'mean' && spec.pool !== 'max')
    throw new Error(`the model spec needs a pool of last, mean or max, not ${spec.pool}`);
  return spec.pool;
}
function inputSizeOf(spec: ModelSpec): number {
  return required(spec.inputSize, 'inputSize');
}
function horizonOf(spec: ModelSpec): number {
  return required(spec.horizon, 'horizon');
}
function required(value: number | undefined, name: string): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new Error(`the model spec needs a positive ${name}`);
  return value as number;
}
