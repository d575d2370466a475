// Training batches as plain arrays, cut into row shards for the gradient threads, and the loss of a batch.
import * as tf from '@tensorflow/tfjs-core';
import { forecastLoss } from '../losses';
import { flattenState, stateFromArrays, type ModelState, type SequenceModel } from '../model';
import { softmaxCrossEntropy } from '../nn/crossEntropy';
import { sampledSoftmaxCrossEntropy } from '../nn/sampledSoftmax';
import type { LossSpec, TrainBatch } from '../../shared/protocol';

/** A batch's mean loss and, for a stateful text batch, the final recurrent state of its rows. */
export interface BatchLoss {
  loss: tf.Scalar;
  final?: ModelState;
}

/**
 * The mean loss of a batch: cross-entropy per next token (text), the forecast error per predicted value (series), or
 * the cross-entropy of each text's class, weighted by its class's weight (classify: Σ wᵢ·ceᵢ / Σ wᵢ).
 * `dropoutSeed` turns on dropout. Runs inside tf.variableGrads on the main thread and in every gradient worker; the
 * final state of a stateful batch is kept out of the surrounding tidy (the caller disposes it).
 */
export function batchLoss(spec: LossSpec, model: SequenceModel, batch: TrainBatch, dropoutSeed: number): BatchLoss {
  const { rows, inputs, targets, future, state } = batch;
  if (spec.task === 'text') {
    const ids = tf.tensor2d(inputs, [rows, inputs.length / rows], 'int32');
    const init = state && stateFromArrays(model.spec, rows, state);
    let loss: tf.Scalar;
    let final: ModelState;
    if (batch.classes) {
      const { hidden, state: next } = model.textHidden(ids, dropoutSeed, init);
      const { weight, bias } = model.headParams;
      loss = sampledSoftmaxCrossEntropy(hidden, weight, bias, Int32Array.from(targets), batch.classes);
      final = next;
    } else {
      const { logits, state: next } = model.textLogits(ids, dropoutSeed, init);
      loss = softmaxCrossEntropy(logits, tf.tensor1d(targets, 'int32'));
      final = next;
    }
    if (!state) return { loss };
    flattenState(final).forEach((t) => tf.keep(t));
    return { loss, final };
  }
  if (spec.task === 'classify') {
    if (!batch.lengths) throw new Error('a classify batch needs the lengths of its texts');
    const ids = tf.tensor2d(inputs, [rows, inputs.length / rows], 'int32');
    const priors = batch.priors && tf.tensor2d(batch.priors, [rows, batch.priors.length / rows], 'float32');
    const logits = model.classifyLogits(ids, batch.lengths, dropoutSeed, priors); // [rows, classes]
    const weights = spec.classWeights ? Float32Array.from(targets, (label) => (spec.classWeights as number[])[label]) : undefined;
    return { loss: softmaxCrossEntropy(logits, tf.tensor1d(targets, 'int32'), weights) };
  }
  const features = model.spec.inputSize ?? 1;
  const windows = tf.tensor3d(inputs, [rows, inputs.length / rows / features, features], 'float32');
  const covariates = future && tf.tensor2d(future, [rows, future.length / rows], 'float32');
  return { loss: forecastLoss(spec.loss, model.forecast(windows, covariates, dropoutSeed), tf.tensor2d(targets, [rows, targets.length / rows], 'float32')) };
}

/**
 * How much a batch counts in the mean loss of a bigger batch it is a shard of: its rows, or for a class-weighted
 * classifier the sum of its rows' class weights (so that shard means combine into Σ wᵢ·ceᵢ / Σ wᵢ exactly).
 */
export function batchWeight(spec: LossSpec, batch: TrainBatch): number {
  if (spec.task !== 'classify' || !spec.classWeights) return batch.rows;
  let total = 0;
  for (const label of batch.targets) total += spec.classWeights[label];
  return total;
}

/** Cuts a batch into `parts` shards of consecutive rows, as even as possible (the first ones one row bigger). */
export function splitBatch(batch: TrainBatch, parts: number): TrainBatch[] {
  const { rows, inputs, targets, future, state, classes, lengths, priors } = batch;
  const inputWidth = inputs.length / rows;
  const targetWidth = targets.length / rows;
  const futureWidth = future ? future.length / rows : 0;
  const shards: TrainBatch[] = [];
  let first = 0;
  for (let part = 0; part < parts && first < rows; part++) {
    const count = Math.floor(rows / parts) + (part < rows % parts ? 1 : 0);
    shards.push({
      rows: count,
      inputs: inputs.slice(first * inputWidth, (first + count) * inputWidth),
      targets: targets.slice(first * targetWidth, (first + count) * targetWidth),
      ...(future ? { future: future.slice(first * futureWidth, (first + count) * futureWidth) } : {}),
      ...(classes ? { classes } : {}),
      ...(lengths ? { lengths: lengths.slice(first, first + count) } : {}),
      ...(priors ? { priors: priors.slice((first * priors.length) / rows, ((first + count) * priors.length) / rows) } : {}),
      ...(state ? { state: state.map((s) => s.slice((first * s.length) / rows, ((first + count) * s.length) / rows)) } : {}),
    });
    first += count;
  }
  return shards;
}

/** Arrays end to end (a batch's rows, or shards' results, joined back into one array). */
export function concatArrays(arrays: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}
