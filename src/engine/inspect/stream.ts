// Runs a text model over a token stream the way `seqlab eval` scores one, with the model's own ops in chunks: the state carried from token to token, or reset to zero every seqLen tokens.
import * as tf from '@tensorflow/tfjs-core';
import { disposeState, flattenState, regroupState, type ModelState, type SequenceModel } from '../model';
import type { InspectedRun } from './inspectedRun';
import type { InspectState, InspectStream } from '../../shared/inspect';

/** Logits held at once, as eval's carried scoring holds them: chunks of at most this many values (16 MB). */
const CHUNK_LOGITS = 1 << 22;
/** Reset scoring: windows run side by side as the rows of one call, at most this many. */
const WINDOW_ROWS = 32;

/** Tokens per call for a model: eval's chunks, at most 4,096 and fewer when their logits would pass {@link CHUNK_LOGITS}. */
export function chunkTokens(model: SequenceModel): number {
  return Math.max(16, Math.min(4096, Math.floor(CHUNK_LOGITS / (model.spec.vocabSize ?? 1))));
}

/** One call's share of the stream: `starts.length` rows of `length` tokens, row r holding tokens [starts[r], starts[r] + length). */
export interface Segment {
  starts: number[];
  length: number;
  /** Whether the (single) row continues the state the previous segment ended with; else every row starts from a zero state. */
  carried: boolean;
}

/**
 * The calls that read `count` tokens as `stream` says. Carried: one row in chunks of `chunk` tokens, each continuing the
 * last. Reset: the windows [k·seqLen, (k+1)·seqLen) side by side (at most `chunk` tokens a call), each from a zero state,
 * then the tokens after the last whole window as one row from a zero state. Either way token t's outputs depend on the
 * same tokens as when eval scores the text (reset: those since the last multiple of seqLen).
 */
export function streamSegments(count: number, stream: InspectStream, chunk: number): Segment[] {
  const segments: Segment[] = [];
  if (stream.scoring === 'carried') {
    for (let first = 0; first < count; first += chunk) segments.push({ starts: [first], length: Math.min(chunk, count - first), carried: first > 0 });
    return segments;
  }
  const L = stream.seqLen;
  const windows = Math.floor(count / L);
  const rows = Math.max(1, Math.min(WINDOW_ROWS, Math.floor(chunk / L)));
  for (let w = 0; w < windows; w += rows) {
    segments.push({ starts: Array.from({ length: Math.min(rows, windows - w) }, (_, r) => (w + r) * L), length: L, carried: false });
  }
  if (windows * L < count) segments.push({ starts: [windows * L], length: count - windows * L, carried: false });
  return segments;
}

/**
 * Runs `call` on each segment of the stream of `ids` in order, with the segment's ids [rows, length] and its initial
 * state (undefined: zero). `call` returns the state at the segment's end, which the runner carries into the next
 * segment when that one is carried, and disposes of.
 */
export function runStream(
  ids: Int32Array,
  stream: InspectStream,
  chunk: number,
  call: (segment: Segment, ids: tf.Tensor2D, init?: ModelState) => ModelState,
): void {
  let state: ModelState | undefined;
  try {
    for (const segment of streamSegments(ids.length, stream, chunk)) {
      const { starts, length } = segment;
      const rows = new Int32Array(starts.length * length);
      starts.forEach((start, r) => rows.set(ids.subarray(start, start + length), r * length));
      const input = tf.tensor2d(rows, [starts.length, length], 'int32');
      let next: ModelState;
      try {
        next = call(segment, input, segment.carried ? state : undefined);
      } finally {
        input.dispose();
      }
      disposeState(state);
      state = next;
    }
  } finally {
    disposeState(state);
  }
}

/** tf.tidy for a segment's call: keeps the tensors `fn` returns in `kept` and the state it ends with, and disposes of the rest. */
export function tidyWithState<T extends tf.Tensor[]>(model: SequenceModel, fn: () => { kept: T; state: ModelState }): { kept: T; state: ModelState } {
  let count = 0;
  const tensors = tf.tidy(() => {
    const { kept, state } = fn();
    count = kept.length;
    return [...kept, ...flattenState(state)];
  });
  return { kept: tensors.slice(0, count) as T, state: regroupState(model.spec.cell, tensors.slice(count) as tf.Tensor2D[]) };
}

/**
 * values [tokens, H]: one layer's state h (or an LSTM's c) after every token of `ids`, read as the run's stream says
 * (see {@link streamSegments}), with the model's own forward pass (the fused layers return an LSTM's cell states when asked).
 */
export function streamLayerStates(run: InspectedRun, ids: Int32Array, layer: number, state: InspectState, chunk = chunkTokens(run.model)): Float32Array {
  const { model } = run;
  const H = model.spec.hidden;
  const values = new Float32Array(ids.length * H);
  runStream(ids, run.stream, chunk, (segment, input, init) => {
    const n = segment.length;
    const {
      kept: [chosen],
      state: final,
    } = tidyWithState(model, () => {
      const { outputs, cells, state: next } = model.textLayerOutputs(input, init, state === 'c');
      const kept = state === 'c' ? cells[layer] : outputs[layer];
      if (!kept) throw new Error(`a ${model.spec.cell} layer has no cell state`);
      return { kept: [kept], state: next };
    });
    const data = chosen.dataSync() as Float32Array; // [rows, n, H]
    chosen.dispose();
    segment.starts.forEach((start, r) => values.set(data.subarray(r * n * H, (r + 1) * n * H), start * H));
    return final;
  });
  return values;
}
