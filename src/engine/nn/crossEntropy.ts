// Mean softmax cross-entropy against integer labels as one op computed in JS (tfjs' version runs ~10 kernels).
import * as tf from '@tensorflow/tfjs-core';
import { Device } from './device';
import { fastExp } from './fastmath';

/**
 * Mean over rows of −log softmax(logits)[label] for logits [n, classes] and integer labels [n], or with row `weights`
 * [n] the weighted mean Σ wᵣ·ceᵣ / Σ wᵣ. The forward pass keeps the softmax, so the gradient
 * wᵣ·(softmax − onehot(label)) / Σ w costs one pass. Differentiable with respect to the logits only.
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, weights?: Float32Array): tf.Scalar {
  const [n, classes] = logits.shape;
  const y = labels.dataSync();
  const w = weights ?? new Float32Array(n).fill(1);
  const weightSum = w.reduce((a, b) => a + b, 0);
  for (let r = 0; r < n; r++) {
    if (!(y[r] >= 0 && y[r] < classes)) throw new Error(`softmaxCrossEntropy: label ${y[r]} is not in [0, ${classes})`);
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = Device.current().read(args[0] as tf.Tensor);
    const probs = new Float32Array(n * classes);
    let total = 0;
    for (let r = 0; r < n; r++) {
      const r0 = r * classes;
      let max = -Infinity;
      for (let k = 0; k < classes; k++) max = Math.max(max, x[r0 + k]);
      let sum = 0;
      for (let k = 0; k < classes; k++) {
        const e = fastExp(x[r0 + k] - max);
        probs[r0 + k] = e;
        sum += e;
      }
      const inverse = 1 / sum;
      for (let k = 0; k < classes; k++) probs[r0 + k] *= inverse;
      total += w[r] * (Math.log(sum) + max - x[r0 + y[r]]);
    }
    return {
      value: tf.scalar(total / weightSum),
      gradFunc: (dy: tf.Tensor) => {
        const unit = dy.dataSync()[0] / weightSum;
        const grad = new Float32Array(n * classes);
        for (let r = 0; r < n; r++) {
          const r0 = r * classes;
          const scale = unit * w[r];
          for (let k = 0; k < classes; k++) grad[r0 + k] = probs[r0 + k] * scale;
          grad[r0 + y[r]] -= scale;
        }
        return tf.tensor2d(grad, [n, classes]);
      },
    };
  });
  return op(logits) as tf.Scalar;
}
