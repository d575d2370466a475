// Loss functions for evaluation and forecasting: per-token cross-entropy and hits, MSE and MAE (training text uses nn/crossEntropy).
import * as tf from '@tensorflow/tfjs-core';

/** Per-row cross-entropy (nats) and whether the top logit is the label, for evaluation. */
export function crossEntropyAndHits(logits: tf.Tensor2D, labels: tf.Tensor1D): { losses: tf.Tensor1D; hits: tf.Tensor1D } {
  const [n, vocab] = logits.shape;
  const logProbs = tf.logSoftmax(logits);
  const losses = tf.neg(tf.gather(tf.reshape(logProbs, [-1]), rowOffsets(n, vocab, labels))) as tf.Tensor1D;
  const hits = tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32') as tf.Tensor1D;
  return { losses, hits };
}

/** Mean squared or absolute error of forecasts against targets. */
export function forecastLoss(kind: 'mse' | 'mae', predicted: tf.Tensor, actual: tf.Tensor): tf.Scalar {
  return kind === 'mse' ? tf.losses.meanSquaredError(actual, predicted) : tf.losses.absoluteDifference(actual, predicted);
}

/** Flat indices of each row's label in an [n, vocab] matrix. */
function rowOffsets(n: number, vocab: number, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(vocab, 'int32')), labels);
}
