import * as tf from '@tensorflow/tfjs-core';
export type CellType = 'rnn' | 'lstm' | 'gru';
export const GATE_COUNT: Record<CellType, number> = { rnn: 1, lstm: 4, gru: 3 };
export interface RecurrentWeights { wIh: tf.Tensor2D; wHh: tf.Tensor2D; bIh: tf.Tensor1D; bHh: tf.Tensor1D; }
export interface RecurrentState { h: tf.Tensor2D; c?: tf.Tensor2D; }
export interface RecurrentOutput { outputs: tf.Tensor3D; final: RecurrentState; }
export function recurrentLayer(cell: CellType, x: tf.Tensor3D, w: RecurrentWeights, init?: RecurrentState): RecurrentOutput {
  const [batch, time] = x.shape;
  const hidden = w.wHh.shape[0];
  const projected = tf.add(tf.matMul(tf.reshape(x, [batch * time, x.shape[2]]), w.wIh), w.bIh);
  const steps = tf.unstack(tf.reshape(projected, [batch, time, -1]), 1) as tf.Tensor2D[];
  let h = init?.h ?? tf.zeros([batch, hidden]);
  let c = init?.c ?? tf.zeros([batch, hidden]);
  const outputs: tf.Tensor2D[] = [];
  for (const xt of steps) {
    const hp = tf.add(tf.matMul(h, w.wHh), w.bHh);
    if (cell === 'rnn') { h = tf.tanh(tf.add(xt, hp)) as tf.Tensor2D; }
    else if (cell === 'lstm') {
      const [xi, xf, xg, xo] = tf.split(tf.add(xt, hp), 4, 1);
      c = tf.add(tf.mul(tf.sigmoid(xf), c), tf.mul(tf.sigmoid(xi), tf.tanh(xg)));
      h = tf.mul(tf.sigmoid(xo), tf.tanh(c));
    } else {
      const [xr, xz, xn] = tf.split(xt, 3, 1); const [hr, hz, hn] = tf.split(hp, 3, 1);
      const r = tf.sigmoid(tf.add(xr, hr)); const z = tf.sigmoid(tf.add(xz, hz));
      const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
      h = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h));
    }
    outputs.push(h);
  }
  return { outputs: tf.stack(outputs, 1) as tf.Tensor3D, final: cell === 'lstm' ? { h, c } : { h } };
}
