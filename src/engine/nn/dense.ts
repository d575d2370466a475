// A dense layer whose gradients use only plain matMuls, which keeps the wasm backend on XNNPACK.
import * as tf from '@tensorflow/tfjs-core';
import { Device } from './device';

/**
 * x [n, in] · w [in, out] + b [out] as one op. tfjs' own matMul gradient multiplies with transpose flags, which
 * on wasm leaves XNNPACK for a scalar loop (~10-25x slower); here the transposes are explicit (in JS, faster than
 * wasm's Transpose kernel) and the products plain, through {@link Device}: dx = dy·wᵀ, dw = xᵀ·dy, db = Σ dy.
 */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, ws, bs] = args as tf.Tensor[];
    (args[3] as tf.GradSaveFunc)([xs, ws]);
    const dev = Device.current();
    return {
      value: tf.add(dev.adopt(dev.matMul(xs, ws)), bs),
      gradFunc: (dy: tf.Tensor, [xv, wv]: tf.Tensor[]) => {
        const wT = dev.transpose(wv);
        const grads = [dev.adopt(dev.matMul(dy, wT)), dev.adopt(dev.matMulTransposeA(xv, dy)), dev.adopt(dev.columnSums(dy), wv.shape.slice(1))];
        dev.free(wT);
        return grads;
      },
    };
  });
  return op(x, w, b) as tf.Tensor2D;
}
