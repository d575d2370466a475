// Helpers for the inspection tests (imported by tests only): small character models with random or hand-set weights, wrapped as runs to inspect.
import * as tf from '@tensorflow/tfjs-core';
import { Vocabulary } from '../data/text';
import { SequenceModel } from '../model';
import type { InspectedRun } from './inspectedRun';
import type { CellType } from '../../shared/options';
import type { InspectStream } from '../../shared/inspect';

/** The characters of the test models' vocabulary, after the unknown token. */
export const TEST_CHARS = ' "abcdefghijklmnopqrstuvwxyz.';

/** A character model over {@link TEST_CHARS} with PyTorch's random initialisation. */
export function randomRun(cell: CellType, layers: number, stream: InspectStream = { scoring: 'carried', seqLen: 64 }, hidden = 12, seed = 3): InspectedRun {
  const vocab = new Vocabulary(['<unk>', ...TEST_CHARS], 'char');
  const model = SequenceModel.create({ task: 'text', cell, hidden, layers, dropout: 0, vocabSize: vocab.size, embedding: 6 }, seed);
  return { model, vocab, stream };
}

/** The model's own forward pass over all of `ids` at once from a zero state: every layer's outputs [T, H] as arrays, and the final state. */
export function forwardAll(model: SequenceModel, ids: ArrayLike<number>): { layers: Float32Array[]; final: { h: Float32Array; c?: Float32Array }[] } {
  return tf.tidy(() => {
    const { outputs, state } = model.textLayerOutputs(tf.tensor2d(Int32Array.from(ids), [1, ids.length], 'int32'));
    return {
      layers: outputs.map((o) => o.dataSync() as Float32Array),
      final: state.map((s) => ({ h: s.h.dataSync() as Float32Array, ...(s.c ? { c: s.c.dataSync() as Float32Array } : {}) })),
    };
  });
}

/** A text's character ids in a run's vocabulary. */
export function idsOf(run: InspectedRun, text: string): Int32Array {
  return Int32Array.from(run.vocab.encode(text));
}
