// An embedding lookup whose gradient is a scatter-add in JS (the wasm backend has no UnsortedSegmentSum kernel).
import * as tf from '@tensorflow/tfjs-core';
import { Device } from './device';

/**
 * Rows of table [vocab, width] at integer ids of any shape → [...ids.shape, width]. tfjs' gather gradient needs
 * UnsortedSegmentSum, which the wasm backend lacks (training would throw there); this one adds rows of dy into a
 * zero table directly.
 */
export function embedding(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const [vocab, width] = table.shape;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    // ids may be made inside the differentiated function, and such tensors are freed before backprop unless saved.
    (args[1] as tf.GradSaveFunc)([ids]);
    return {
      value: tf.reshape(tf.gather(args[0] as tf.Tensor, tf.reshape(ids, [-1])), [...ids.shape, width]),
      gradFunc: (dy: tf.Tensor, [savedIds]: tf.Tensor[]) => {
        const index = savedIds.dataSync();
        const rows = Device.current().read(dy);
        const grad = new Float32Array(vocab * width);
        for (let n = 0; n < index.length; n++) {
          const src = n * width;
          const dst = index[n] * width;
          for (let k = 0; k < width; k++) grad[dst + k] += rows[src + k];
        }
        return tf.tensor2d(grad, [vocab, width]);
      },
    };
  });
  return op(table);
}
