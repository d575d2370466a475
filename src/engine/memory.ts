// Estimates the memory a training run needs before anything is allocated, and refuses a run over the --max-memory-mb limit.
import { GATE_COUNT } from './nn/recurrent';
import { flagName, UsageError, type TrainArgs } from '../shared/options';
import type { ClassifyDataInfo, ModelSpec, SeriesDataInfo, TextDataInfo } from '../shared/runFolder';

const FLOAT_BYTES = 4;
/** Copies of every parameter held while training: the weights, their gradients and Adam's two moments. */
const PARAMETER_COPIES = 4;
/**
 * Floats kept per (batch row, time step) and layer for backpropagation through time, in units of the gate width G
 * and the hidden width H: the post-activation gates, the input projection and the gate gradients (3·G), and the
 * states, transposed states, LSTM cells, auxiliary values and outputs (5·H). See the Trace in nn/recurrent.ts.
 */
const GATE_FLOATS = 3;
const HIDDEN_FLOATS = 5;
/** Copies of every parameter in each gradient worker thread: the weights it receives, its model's and the gradients it sends back. */
const WORKER_PARAMETER_COPIES = 3;
/** Copies of the text logits during a step: the logits, the softmax kept by the loss, and their gradient. */
const LOGIT_COPIES = 3;
/** Series bytes per row and feature: the parsed Float64 column and its Float32 z-scored copy. */
const SERIES_BYTES_PER_VALUE = 8 + 4;
/** Series bytes per row besides the features: the Float64 time axis and the Int32 file row numbers. */
const SERIES_BYTES_PER_ROW = 8 + 4;

/** The number of trainable parameters of a model spec, computed without building the model. */
export function parameterCount(spec: ModelSpec): number {
  const gates = GATE_COUNT[spec.cell] * spec.hidden;
  const readsTokens = spec.task !== 'series';
  const firstInput = readsTokens ? (spec.embedding ?? 0) : (spec.inputSize ?? 0);
  let count = readsTokens ? (spec.vocabSize ?? 0) * (spec.embedding ?? 0) : 0;
  for (let layer = 0; layer < spec.layers; layer++) count += ((layer === 0 ? firstInput : spec.hidden) + spec.hidden) * gates + 2 * gates;
  const outputs = spec.task === 'text' ? (spec.vocabSize ?? 0) : spec.task === 'classify' ? (spec.classes ?? 0) : (spec.horizon ?? 0);
  return count + (spec.hidden + 1) * outputs;
}

/**
 * The estimated peak bytes of training `spec` on the data described by `dataInfo` with `args.batch`: parameters ×
 * (weights, gradients, two Adam moments) × 4 bytes, plus the activations saved for backpropagation through time,
 * plus the text logits, plus the data arrays, plus each gradient worker thread's copies of the parameters (the activations
 * are shared out between threads). An estimate: within a small factor, meant to refuse the impossible.
 */
export function estimateTrainingBytes(
  spec: ModelSpec,
  args: Pick<TrainArgs, 'batch'>,
  dataInfo: TextDataInfo | SeriesDataInfo | ClassifyDataInfo,
  threads = 1,
): number {
  const steps = timeSteps(dataInfo);
  const gates = GATE_COUNT[spec.cell] * spec.hidden;
  const rows = args.batch * steps;
  const parameters = parameterCount(spec) * (PARAMETER_COPIES + (threads - 1) * WORKER_PARAMETER_COPIES) * FLOAT_BYTES;
  const activations = rows * spec.layers * (GATE_FLOATS * gates + HIDDEN_FLOATS * spec.hidden) * FLOAT_BYTES;
  if (dataInfo.kind === 'text') {
    const vocab = dataInfo.vocab.length;
    // The first layer projects the whole embedding table through its input weights once per step.
    const tableProjection = vocab * gates * FLOAT_BYTES;
    const logits = rows * vocab * FLOAT_BYTES * LOGIT_COPIES;
    const tokenIds = (dataInfo.trainTokens + dataInfo.valTokens) * (vocab <= 65536 ? 2 : 4);
    return parameters + activations + tableProjection + logits + tokenIds;
  }
  if (dataInfo.kind === 'classify') {
    // The longest batch is maxLen steps; pooling holds the masked last-layer outputs and their gradient.
    const tableProjection = dataInfo.vocab.length * gates * FLOAT_BYTES;
    const pooling = rows * spec.hidden * FLOAT_BYTES * 2;
    const rowsHeld = dataInfo.rows.train + dataInfo.rows.val + dataInfo.rows.test;
    const tokenIds = rowsHeld * dataInfo.maxLen * 4;
    return parameters + activations + tableProjection + pooling + tokenIds;
  }
  const data = dataInfo.rows * ((spec.inputSize ?? 1) * SERIES_BYTES_PER_VALUE + SERIES_BYTES_PER_ROW);
  return parameters + activations + data;
}

/** The time steps of the longest training row: the text's sequence length, the series' lookback, the classifier's maxLen. */
function timeSteps(dataInfo: TextDataInfo | SeriesDataInfo | ClassifyDataInfo): number {
  return dataInfo.kind === 'text' ? dataInfo.seqLen : dataInfo.kind === 'series' ? dataInfo.lookback : dataInfo.maxLen;
}

/** Bytes as a short readable size: "512.0 MB", "48.2 GB", "3.1 TB" (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * Refuses, with a {@link UsageError} that shows the estimate and what to lower, a run whose training would need more
 * than `args.maxMemoryMb` on `threads` threads. Call it once the model spec and data are known, before the model is created.
 */
export function assertFitsInMemory(
  spec: ModelSpec,
  args: Pick<TrainArgs, 'batch' | 'maxMemoryMb'>,
  dataInfo: TextDataInfo | SeriesDataInfo | ClassifyDataInfo,
  threads = 1,
): void {
  const bytes = estimateTrainingBytes(spec, args, dataInfo, threads);
  if (bytes <= args.maxMemoryMb * 2 ** 20) return;
  const length = { text: 'seqLen', series: 'lookback', classify: 'maxLen' }[dataInfo.kind];
  const steps = `${flagName(length)} (now ${timeSteps(dataInfo)})`;
  const knobs = [
    `${flagName('hidden')} (now ${spec.hidden})`,
    ...(spec.layers > 1 ? [`${flagName('layers')} (now ${spec.layers})`] : []),
    `${flagName('batch')} (now ${args.batch})`,
  ];
  throw new UsageError(
    `This model needs about ${formatBytes(bytes)} to train (limit ${args.maxMemoryMb} MB, ${flagName('maxMemoryMb')}): lower ${knobs.join(', ')} or ${steps}, or raise ${flagName('maxMemoryMb')} if the machine has the memory.`,
  );
}
