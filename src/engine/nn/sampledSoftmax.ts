// Sampled softmax cross-entropy for training over a large vocabulary: each target against one shared sample of classes.
import * as tf from '@tensorflow/tfjs-core';
import { Device, transposeInto } from './device';
import { fastExp } from './fastmath';
import type { SampledClasses } from '../../shared/protocol';

/**
 * Mean over rows n of an estimate of the cross-entropy −log softmax(h·W + b)[t_n], for hidden states h [N, H], the
 * head's weight W [H, V] and bias b [V], targets t [N] and sampled classes S: with logits o = h·W + b,
 *
 *   loss_n = log(e^{o_t} + Σ_{c ∈ S, c ≠ t} e^{o_c − log π_c}) − o_t,
 *
 * where Σ_c e^{o_c}/π_c is the Horvitz-Thompson estimate of the partition function's sum over the classes other than
 * the target (a sampled target is left out of its own row). The logQ correction of Jean et al. 2015 makes the estimate
 * consistent, and the loss is on the same scale as the full cross-entropy (equal to it when S holds every class with
 * π = 1), so training and validation curves compare. Only the S sampled columns of W go through a product: the head
 * costs N·H·S instead of N·H·V, and the target logits are N dot products. Differentiable with respect to h, W and b;
 * the gradients of W and b are dense (zero outside the sampled and target columns).
 */
export function sampledSoftmaxCrossEntropy(
  hidden: tf.Tensor2D,
  weight: tf.Tensor2D,
  bias: tf.Tensor1D,
  targets: Int32Array,
  classes: SampledClasses,
): tf.Scalar {
  const [rows, width] = hidden.shape;
  const [weightRows, vocab] = weight.shape;
  const { ids, logInclusion } = classes;
  const sampled = ids.length;
  if (weightRows !== width || bias.shape[0] !== vocab) {
    throw new Error(`sampledSoftmaxCrossEntropy: hidden [${hidden.shape}], weight [${weight.shape}] and bias [${bias.shape}] do not fit together`);
  }
  if (targets.length !== rows) throw new Error(`sampledSoftmaxCrossEntropy: ${targets.length} targets for ${rows} rows`);
  if (logInclusion.length !== sampled) throw new Error(`sampledSoftmaxCrossEntropy: ${sampled} sampled ids but ${logInclusion.length} inclusion probabilities`);
  // The column of each row's target in the sample, or −1: a sampled target is left out of its own row.
  const columnOf = new Map<number, number>();
  ids.forEach((id, s) => {
    if (!(id >= 0 && id < vocab)) throw new Error(`sampledSoftmaxCrossEntropy: sampled class ${id} is not in [0, ${vocab})`);
    columnOf.set(id, s);
  });
  if (columnOf.size !== sampled) throw new Error('sampledSoftmaxCrossEntropy: the sampled class ids repeat; pass each class once');
  const hit = Int32Array.from(targets, (t) => {
    if (!(t >= 0 && t < vocab)) throw new Error(`sampledSoftmaxCrossEntropy: target ${t} is not in [0, ${vocab})`);
    return columnOf.get(t) ?? -1;
  });

  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [hs, ws, bs] = args as tf.Tensor[];
    (args[3] as tf.GradSaveFunc)([hs, ws]);
    const dev = Device.current();
    const wS = gatherColumns(dev.read(ws), vocab, ids);
    const b = dev.read(bs);
    const offset = Float32Array.from(ids, (id, s) => b[id] - logInclusion[s]);
    const targetLogit = targetLogitsForward(dev.read(hs), dev.read(ws), b, targets, width, vocab);
    const wSInfo = dev.upload(wS, [width, sampled]);
    const logitsInfo = dev.matMul(hs, wSInfo); // h [N, H] · wS [H, S] → [N, S]
    dev.free(wSInfo);
    const trace = softmaxForward(dev.read(logitsInfo), offset, targetLogit, hit);
    dev.free(logitsInfo);
    return {
      value: tf.scalar(trace.total / rows),
      gradFunc: (dy: tf.Tensor, [hv, wv]: tf.Tensor[]) => {
        const { dz, dzSums, dTarget } = softmaxBackward(trace, dy.dataSync()[0] / rows);
        const db = new Float32Array(vocab);
        ids.forEach((id, s) => (db[id] = dzSums[s]));
        const dzInfo = dev.upload(dz, [rows, sampled]);
        const wSTInfo = dev.upload(transpose(wS, width, sampled), [sampled, width]);
        const dhInfo = dev.matMul(dzInfo, wSTInfo); // dz [N, S] · wSᵀ [S, H] → [N, H]
        dev.free(wSTInfo);
        const dwSInfo = dev.matMulTransposeA(hv, dzInfo); // hᵀ [H, N] · dz [N, S] → [H, S]
        dev.free(dzInfo);
        const dh = dev.read(dhInfo).slice();
        dev.free(dhInfo);
        const dw = new Float32Array(width * vocab);
        scatterColumns(dev.read(dwSInfo), ids, dw, vocab);
        dev.free(dwSInfo);
        targetLogitsBackward(dTarget, dev.read(hv), dev.read(wv), targets, width, vocab, dh, dw, db);
        return [tf.tensor2d(dh, [rows, width]), tf.tensor2d(dw, [width, vocab]), tf.tensor1d(db)];
      },
    };
  });
  return op(hidden, weight, bias) as tf.Scalar;
}

/** The columns `ids` [S] of w [H, V] → wS [H, S]. */
function gatherColumns(w: Float32Array, vocab: number, ids: Int32Array): Float32Array {
  const width = w.length / vocab;
  const sampled = ids.length;
  const wS = new Float32Array(width * sampled);
  for (let k = 0; k < width; k++) {
    const wRow = k * vocab;
    const sRow = k * sampled;
    for (let s = 0; s < sampled; s++) wS[sRow + s] = w[wRow + ids[s]];
  }
  return wS;
}

/** Backward of {@link gatherColumns}: dwS [H, S] into the columns `ids` of dw [H, V] (which are distinct, so written, not added). */
function scatterColumns(dwS: Float32Array, ids: Int32Array, dw: Float32Array, vocab: number): void {
  const sampled = ids.length;
  const width = dwS.length / sampled;
  for (let k = 0; k < width; k++) {
    const wRow = k * vocab;
    const sRow = k * sampled;
    for (let s = 0; s < sampled; s++) dw[wRow + ids[s]] = dwS[sRow + s];
  }
}

/** o_t [N] = h_n · w[:, t_n] + b[t_n] for h [N, H], w [H, V], b [V]. */
function targetLogitsForward(h: Float32Array, w: Float32Array, b: Float32Array, targets: Int32Array, width: number, vocab: number): Float32Array {
  const logits = new Float32Array(targets.length);
  for (let n = 0; n < targets.length; n++) {
    const t = targets[n];
    let dot = b[t];
    for (let k = 0, hk = n * width; k < width; k++, hk++) dot += h[hk] * w[k * vocab + t];
    logits[n] = dot;
  }
  return logits;
}

/** Backward of {@link targetLogitsForward}, added into dh [N, H], dw [H, V] and db [V]: dh_n += dt_n·w[:, t_n], dw[:, t_n] += dt_n·h_n, db[t_n] += dt_n. */
function targetLogitsBackward(
  dTarget: Float32Array,
  h: Float32Array,
  w: Float32Array,
  targets: Int32Array,
  width: number,
  vocab: number,
  dh: Float32Array,
  dw: Float32Array,
  db: Float32Array,
): void {
  for (let n = 0; n < targets.length; n++) {
    const g = dTarget[n];
    const t = targets[n];
    db[t] += g;
    for (let k = 0, hk = n * width; k < width; k++, hk++) {
      dh[hk] += g * w[k * vocab + t];
      dw[k * vocab + t] += g * h[hk];
    }
  }
}

/** What {@link softmaxForward} keeps for {@link softmaxBackward}. */
interface SoftmaxTrace {
  /** e^{z + offset − max} per row [N, S], unnormalised; 0 at a row's sampled target. */
  exps: Float32Array;
  /** 1 / Σ per row [N], the target's term included. */
  inverse: Float32Array;
  /** The target's softmax probability per row [N]. */
  targetProb: Float32Array;
  /** Σ_n loss_n. */
  total: number;
}

/**
 * Per row n, the softmax over the target's logit o_t and the sampled logits z [N, S] + offset [S] (b_c − log π_c),
 * leaving out column hit[n] (≥ 0 when the target was sampled); loss_n = log Σ − o_t.
 */
function softmaxForward(z: Float32Array, offset: Float32Array, targetLogit: Float32Array, hit: Int32Array): SoftmaxTrace {
  const rows = targetLogit.length;
  const sampled = offset.length;
  const exps = new Float32Array(rows * sampled);
  const inverse = new Float32Array(rows);
  const targetProb = new Float32Array(rows);
  let total = 0;
  for (let n = 0; n < rows; n++) {
    const r0 = n * sampled;
    let max = targetLogit[n];
    for (let s = 0; s < sampled; s++) max = Math.max(max, z[r0 + s] + offset[s]); // a sampled target's o_t − log π_t ≥ o_t: still a safe max
    const eTarget = fastExp(targetLogit[n] - max);
    let sum = eTarget;
    for (let s = 0; s < sampled; s++) {
      const e = fastExp(z[r0 + s] + offset[s] - max);
      exps[r0 + s] = e;
      sum += e;
    }
    if (hit[n] >= 0) {
      sum -= exps[r0 + hit[n]];
      exps[r0 + hit[n]] = 0;
    }
    inverse[n] = 1 / sum;
    targetProb[n] = eTarget * inverse[n];
    total += Math.log(sum) + max - targetLogit[n];
  }
  return { exps, inverse, targetProb, total };
}

/**
 * Backward of the summed losses scaled by `scale` (dLoss/N for the mean): dz [N, S] = softmax·scale, its column sums
 * dzSums [S] (the sampled biases' gradient), and dTarget [N] = (softmax_t − 1)·scale.
 */
function softmaxBackward(trace: SoftmaxTrace, scale: number): { dz: Float32Array; dzSums: Float32Array; dTarget: Float32Array } {
  const { exps, inverse, targetProb } = trace;
  const rows = inverse.length;
  const sampled = exps.length / rows;
  const dz = new Float32Array(rows * sampled);
  const dzSums = new Float32Array(sampled);
  const dTarget = new Float32Array(rows);
  for (let n = 0; n < rows; n++) {
    const r0 = n * sampled;
    const rowScale = inverse[n] * scale;
    for (let s = 0; s < sampled; s++) {
      const g = exps[r0 + s] * rowScale;
      dz[r0 + s] = g;
      dzSums[s] += g;
    }
    dTarget[n] = (targetProb[n] - 1) * scale;
  }
  return { dz, dzSums, dTarget };
}

/** x [rows, cols] → [cols, rows]. */
function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  transposeInto(x, 0, rows, cols, out, 0, rows);
  return out;
}
