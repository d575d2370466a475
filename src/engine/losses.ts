// Loss functions: sparse softmax cross-entropy for next-token models, MSE and MAE for forecasts.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean cross-entropy (nats) of logits [n, vocab] against integer labels [n], without a one-hot copy of the
 * labels in the forward pass. The gradient is (softmax − onehot) / n.
 */
export function sparseCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const [n, vocab] = logits.shape;
  const loss = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = inputs as [tf.Tensor2D, tf.GradSaveFunc];
    const logProbs = tf.logSoftmax(x);
    save([logProbs, labels]); // labels too: tensors made in the forward pass are freed before backprop
    const picked = tf.gather(tf.reshape(logProbs, [-1]), rowOffsets(n, vocab, labels));
    return {
      value: tf.neg(tf.mean(picked)) as tf.Scalar,
      gradFunc: (dy, saved) => tf.mul(tf.div(tf.sub(tf.exp(saved[0]), tf.oneHot(saved[1] as tf.Tensor1D, vocab)), n), dy),
    };
  });
  return loss(logits) as tf.Scalar;
}

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
