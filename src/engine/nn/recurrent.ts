// Fused recurrent layers (simple RNN, LSTM, GRU) with PyTorch's math and gate order and hand-written BPTT.
//
// One layer call is one op on the gradient tape. Forward: the input projection for all steps is one matMul (for
// token ids, one over the vocabulary rows); then per step one recurrent matMul, one vectorised sigmoid over all
// gates (tanh as 2σ(2x) − 1) and the rest of the gate math in plain JS over Float32Arrays read straight from the
// wasm heap or the cpu backend's arrays. Backward: per step the gate derivatives in JS and one matMul dG·Whhᵀ;
// after the loop the weight, bias and input gradients are one matMul each over all steps. Every matMul runs
// without transpose flags (transposed operands are built in JS), which keeps the wasm backend on XNNPACK.
//
// Math (identical to torch.nn.RNN / LSTM / GRU, so weights map one to one with W = weight_l0ᵀ):
//   rnn:  h = tanh(x·Wih + bih + h₋·Whh + bhh)
//   lstm: [i f g o] = x·Wih + bih + h₋·Whh + bhh;  i,f,o = σ(·), g = tanh(·)
//         c = f⊙c₋ + i⊙g;  h = o⊙tanh(c)
//   gru:  [r z] = σ(x·Wih + bih + h₋·Whh + bhh)  (first two blocks);  n = tanh(xn + bin + r⊙(h₋·Whn + bhn))
//         h = (1 − z)⊙n + z⊙h₋   (PyTorch's "reset after"; Keras' default GRU resets before the matMul)
import * as tf from '@tensorflow/tfjs-core';
import { Device, transposeInto } from './device';
import { tanh } from './fastmath';
import type { CellType } from '../../shared/options';

/** Gate blocks per cell, in PyTorch's order: LSTM i,f,g,o; GRU r,z,n; RNN one block. */
export const GATE_COUNT: Record<CellType, number> = { rnn: 1, lstm: 4, gru: 3 };

/**
 * One layer's weights, stored transposed relative to PyTorch (`weight_ih_l0` is wIh^T) so that every
 * matMul runs without transpose flags.
 */
export interface RecurrentWeights {
  /** [inputSize, gates*hidden] */
  wIh: tf.Tensor2D;
  /** [hidden, gates*hidden] */
  wHh: tf.Tensor2D;
  /** [gates*hidden] */
  bIh: tf.Tensor1D;
  /** [gates*hidden] */
  bHh: tf.Tensor1D;
}

/** The state carried between calls: h for every cell, plus c for LSTM. */
export interface RecurrentState {
  h: tf.Tensor2D;
  c?: tf.Tensor2D;
}

/** All hidden states of a layer and its final state. */
export interface RecurrentOutput {
  /** [batch, time, hidden] */
  outputs: tf.Tensor3D;
  final: RecurrentState;
  /** [batch, time, hidden] an LSTM's cell state after every step, when asked for (inspection; it carries no gradient). */
  cells?: tf.Tensor3D;
}

/** Sizes of one layer call: batch, time, input, hidden, and G = gates·hidden. */
interface Dims {
  B: number;
  T: number;
  I: number;
  H: number;
  G: number;
}

/**
 * What the forward pass keeps for backprop, all time-major ([time, batch, ·]) except `out`.
 * `act` holds post-activation gates (LSTM i f g o, GRU r z n; unused for RNN); `aux` holds tanh(c) for LSTM and
 * h₋·Whn + bhn for GRU.
 */
interface Trace extends Dims {
  /** [T+1, B, H]: hs[0] is the initial state, hs[t+1] the output of step t. */
  hs: Float32Array;
  /** [H, T·B]: the state each step starts from, transposed (column t·B + b is hs[t][b]) for the Whh gradient. */
  hT: Float32Array;
  /** [T+1, B, H] LSTM cell states, cs[0] initial. */
  cs: Float32Array;
  act: Float32Array;
  aux: Float32Array;
  /** [B, T, H]: the layer's outputs in the caller's layout. */
  out: Float32Array;
}

/** Per-step views the forward cell math reads. */
interface StepInputs {
  /** [B, G] σ of the step's scaled pre-activations (see {@link CellMath.preScale}). */
  s: Float32Array;
  /** (x·Wih + bias) ⊙ scale, one row of G per input row (B·T rows for features, V for token ids). */
  q: Float32Array;
  /** The row of `q` for each (b, t), at b·T + t. */
  rows: Int32Array;
  /** [B, G] h₋·Whh. */
  gh: Float32Array;
  /** [H] GRU's bhn (empty for other cells). */
  bhn: Float32Array;
}

/** Per-step views the backward cell math reads and the arrays it writes. */
interface GradStep {
  /** [B, T, H] gradient of the outputs. */
  dy: Float32Array;
  /** [B, H] (dG_{t+1}·Whhᵀ) or undefined at the last step. */
  rec: Float32Array | undefined;
  /** [B, H] carried gradient that does not go through Whh: LSTM's dc, GRU's dh⊙z. */
  carry: Float32Array;
  /** [T, B, G] gradient of the input-side pre-activations. */
  dx: Float32Array;
  /** [T, B, G] gradient of the hidden-side pre-activations (the same array as dx except for GRU). */
  dh: Float32Array;
}

/**
 * The per-cell math: one forward step and one backward step over a whole batch. Each forward step gets σ of
 * every gate's pre-activation times `preScale` from one vectorised kernel: scale 1 gives a sigmoid gate and
 * scale 2 gives tanh as 2σ(2x) − 1. (GRU's n block needs r first: its σ is unused and the cell computes it.)
 */
interface CellMath {
  preScale: number[];
  forward(d: Trace, t: number, s: StepInputs): void;
  backward(d: Trace, t: number, g: GradStep): void;
}

const RNN: CellMath = {
  preScale: [2],
  forward(d, t, { s }) {
    const { B, T, H, hs, out } = d;
    for (let b = 0; b < B; b++) {
      const g0 = b * H;
      const o0 = (b * T + t) * H;
      const h0 = ((t + 1) * B + b) * H;
      for (let j = 0; j < H; j++) {
        const h = 2 * s[g0 + j] - 1;
        hs[h0 + j] = h;
        out[o0 + j] = h;
      }
    }
  },
  backward(d, t, { dy, rec, dx }) {
    const { B, T, H, hs } = d;
    for (let b = 0; b < B; b++) {
      const y0 = (b * T + t) * H;
      const k0 = b * H;
      const a0 = (t * B + b) * H;
      for (let j = 0; j < H; j++) {
        const h = hs[a0 + B * H + j];
        dx[a0 + j] = (dy[y0 + j] + (rec ? rec[k0 + j] : 0)) * (1 - h * h);
      }
    }
  },
};

const LSTM: CellMath = {
  preScale: [1, 1, 2, 1],
  forward(d, t, { s }) {
    const { B, T, H, G, hs, cs, act, aux, out } = d;
    for (let b = 0; b < B; b++) {
      const g0 = b * G;
      const a0 = (t * B + b) * G;
      const k0 = (t * B + b) * H;
      const n0 = k0 + B * H;
      const o0 = (b * T + t) * H;
      for (let j = 0; j < H; j++) {
        const i = s[g0 + j];
        const f = s[g0 + H + j];
        const g = 2 * s[g0 + 2 * H + j] - 1;
        const o = s[g0 + 3 * H + j];
        const c = f * cs[k0 + j] + i * g;
        const tc = tanh(c);
        const h = o * tc;
        act[a0 + j] = i;
        act[a0 + H + j] = f;
        act[a0 + 2 * H + j] = g;
        act[a0 + 3 * H + j] = o;
        cs[n0 + j] = c;
        aux[k0 + j] = tc;
        hs[n0 + j] = h;
        out[o0 + j] = h;
      }
    }
  },
  backward(d, t, { dy, rec, carry, dx }) {
    const { B, T, H, G, cs, act, aux } = d;
    for (let b = 0; b < B; b++) {
      const y0 = (b * T + t) * H;
      const a0 = (t * B + b) * G;
      const k0 = (t * B + b) * H;
      const r0 = b * H;
      for (let j = 0; j < H; j++) {
        const dh = dy[y0 + j] + (rec ? rec[r0 + j] : 0);
        const i = act[a0 + j];
        const f = act[a0 + H + j];
        const g = act[a0 + 2 * H + j];
        const o = act[a0 + 3 * H + j];
        const tc = aux[k0 + j];
        const dc = carry[r0 + j] + dh * o * (1 - tc * tc);
        dx[a0 + j] = dc * g * i * (1 - i);
        dx[a0 + H + j] = dc * cs[k0 + j] * f * (1 - f);
        dx[a0 + 2 * H + j] = dc * i * (1 - g * g);
        dx[a0 + 3 * H + j] = dh * tc * o * (1 - o);
        carry[r0 + j] = dc * f;
      }
    }
  },
};

const GRU: CellMath = {
  preScale: [1, 1, 1],
  forward(d, t, { s, q, rows, gh, bhn }) {
    const { B, T, H, G, hs, act, aux, out } = d;
    for (let b = 0; b < B; b++) {
      const x0 = rows[b * T + t] * G;
      const g0 = b * G;
      const a0 = (t * B + b) * G;
      const k0 = (t * B + b) * H;
      const n0 = k0 + B * H;
      const o0 = (b * T + t) * H;
      for (let j = 0; j < H; j++) {
        const r = s[g0 + j];
        const z = s[g0 + H + j];
        const hn = gh[g0 + 2 * H + j] + bhn[j];
        const n = tanh(q[x0 + 2 * H + j] + r * hn);
        const h = (1 - z) * n + z * hs[k0 + j];
        act[a0 + j] = r;
        act[a0 + H + j] = z;
        act[a0 + 2 * H + j] = n;
        aux[k0 + j] = hn;
        hs[n0 + j] = h;
        out[o0 + j] = h;
      }
    }
  },
  backward(d, t, { dy, rec, carry, dx, dh: dhh }) {
    const { B, T, H, G, hs, act, aux } = d;
    for (let b = 0; b < B; b++) {
      const y0 = (b * T + t) * H;
      const a0 = (t * B + b) * G;
      const k0 = (t * B + b) * H;
      const r0 = b * H;
      for (let j = 0; j < H; j++) {
        const dh = dy[y0 + j] + carry[r0 + j] + (rec ? rec[r0 + j] : 0);
        const r = act[a0 + j];
        const z = act[a0 + H + j];
        const n = act[a0 + 2 * H + j];
        const dn = dh * (1 - z) * (1 - n * n);
        const dr = dn * aux[k0 + j] * r * (1 - r);
        const dz = dh * (hs[k0 + j] - n) * z * (1 - z);
        dx[a0 + j] = dr;
        dx[a0 + H + j] = dz;
        dx[a0 + 2 * H + j] = dn;
        dhh[a0 + j] = dr;
        dhh[a0 + H + j] = dz;
        dhh[a0 + 2 * H + j] = dn * r;
        carry[r0 + j] = dh * z;
      }
    }
  },
};

const CELLS: Record<CellType, CellMath> = { rnn: RNN, lstm: LSTM, gru: GRU };

/**
 * A layer's input: features x [B, T, I], or token ids [B, T] into an embedding table [V, I]. With ids the input
 * projection is table·Wih ([V, G], once) plus a row lookup per token, and its gradients are V-row products
 * instead of B·T-row ones.
 */
type LayerInput = { x: tf.Tensor3D } | { table: tf.Tensor2D; ids: Int32Array };

/**
 * Large per-call arrays (~10 MB per LSTM step at H=128) are reused from one training step to the next: allocating
 * and zeroing them costs milliseconds and garbage collections. Arrays taken here are always fully overwritten
 * before being read; a trace's arrays go back after its backward pass (inference traces are simply collected).
 * A training run uses a few sizes; a process that trains or loads many models of other shapes would keep every
 * size it ever saw, so only the POOLED_SIZES most recently used sizes are kept.
 */
const pool = new Map<number, Float32Array[]>();
const POOLED_PER_SIZE = 4;
const POOLED_SIZES = 32;

function take(length: number): Float32Array {
  return pool.get(length)?.pop() ?? new Float32Array(length);
}

function release(...arrays: Float32Array[]): void {
  for (const a of arrays) {
    const list = pool.get(a.length) ?? [];
    if (list.length < POOLED_PER_SIZE) list.push(a);
    // Re-inserted, so the map's order is least recently released first.
    pool.delete(a.length);
    pool.set(a.length, list);
    if (pool.size > POOLED_SIZES) pool.delete(pool.keys().next().value as number);
  }
}

/** Combined biases: bih + bhh per gate, except GRU's n block (bin) whose bhn goes inside r⊙(·). */
function combinedBias(cell: CellType, dev: Device, w: RecurrentWeights, H: number): { bias: Float32Array; bhn: Float32Array } {
  const bih = dev.read(w.bIh);
  const bhh = dev.read(w.bHh);
  const summed = cell === 'gru' ? 2 * H : bih.length;
  const bias = bih.slice();
  for (let k = 0; k < summed; k++) bias[k] += bhh[k];
  return { bias, bhn: cell === 'gru' ? bhh.slice(2 * H) : new Float32Array(0) };
}

/** Rows ids[k] of table [·, width] → [ids.length, width]. */
function gatherRows(table: Float32Array, ids: Int32Array, width: number): Float32Array {
  const out = new Float32Array(ids.length * width);
  for (let k = 0; k < ids.length; k++) out.set(table.subarray(ids[k] * width, (ids[k] + 1) * width), k * width);
  return out;
}

/** 0, 1, …, n − 1. */
function identityRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let k = 0; k < n; k++) rows[k] = k;
  return rows;
}

/** Step t's scaled pre-activations q[row(b, t)] + gh[b] ⊙ scale into out [B, G]. */
function preActivations(
  q: Float32Array,
  rows: Int32Array,
  gh: Float32Array,
  scale: Float32Array,
  t: number,
  { B, T, G }: Dims,
  out: Float32Array,
): Float32Array {
  for (let b = 0; b < B; b++) {
    const q0 = rows[b * T + t] * G;
    const g0 = b * G;
    for (let k = 0; k < G; k++) out[g0 + k] = q[q0 + k] + gh[g0 + k] * scale[k];
  }
  return out;
}

/** Runs the forward pass over all steps and returns everything backprop needs. */
function runForward(cell: CellType, input: LayerInput, w: RecurrentWeights, B: number, T: number, h0: tf.Tensor2D, c0: tf.Tensor2D): Trace {
  const dev = Device.current();
  const [I, G] = w.wIh.shape;
  const H = w.wHh.shape[0];
  const math = CELLS[cell];
  const d: Trace = {
    B,
    T,
    I,
    H,
    G,
    hs: take((T + 1) * B * H),
    hT: take(H * T * B),
    cs: take(cell === 'lstm' ? (T + 1) * B * H : 0),
    act: take(cell === 'rnn' ? 0 : T * B * G),
    aux: take(cell === 'rnn' ? 0 : T * B * H),
    out: new Float32Array(B * T * H),
  };
  d.hs.set(dev.read(h0));
  if (cell === 'lstm') d.cs.set(dev.read(c0));
  const { bias, bhn } = combinedBias(cell, dev, w, H);
  const scale = new Float32Array(G);
  math.preScale.forEach((v, block) => scale.fill(v, block * H, (block + 1) * H));

  // q = (input·Wih + bias) ⊙ scale for every input row, so a step's pre-activations are q + (h₋·Whh) ⊙ scale.
  // Token ids project the whole table, unless there are fewer tokens than rows (generation: one token per call).
  let xp: tf.TensorInfo;
  let rows: Int32Array;
  if ('x' in input) {
    xp = dev.matMul({ dataId: input.x.dataId, shape: [B * T, I], dtype: 'float32' }, w.wIh);
    rows = identityRows(B * T);
  } else if (B * T < input.table.shape[0]) {
    const x = dev.upload(gatherRows(dev.read(input.table), input.ids, I), [B * T, I]);
    xp = dev.matMul(x, w.wIh);
    dev.free(x);
    rows = identityRows(B * T);
  } else {
    xp = dev.matMul(input.table, w.wIh);
    rows = input.ids;
  }
  const q = dev.read(xp).slice();
  for (let r = 0; r < q.length; r += G) for (let k = 0; k < G; k++) q[r + k] = (q[r + k] + bias[k]) * scale[k];
  dev.free(xp);
  const scratch = dev.copiesOnUpload ? new Float32Array(B * G) : undefined;
  for (let t = 0; t < T; t++) {
    const h = dev.upload(d.hs.subarray(t * B * H, (t + 1) * B * H), [B, H]);
    const gh = dev.matMul(h, w.wHh);
    dev.free(h);
    const pre = preActivations(q, rows, dev.read(gh), scale, t, d, scratch ?? new Float32Array(B * G));
    const preInfo = dev.upload(pre, [B, G]);
    const s = dev.sigmoid(preInfo);
    dev.free(preInfo);
    math.forward(d, t, { s: dev.read(s), q, rows, gh: dev.read(gh), bhn });
    dev.free(s);
    dev.free(gh);
    transposeInto(d.hs, t * B * H, B, H, d.hT, t * B, T * B);
  }
  return d;
}

/** Sums the rows of a time-major gradient [T·B, G] into the embedding rows they came from → [V, G]. */
function scatterRows(grad: Float32Array, ids: Int32Array, B: number, T: number, G: number, V: number): Float32Array {
  const out = new Float32Array(V * G);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const src = (t * B + b) * G;
      const dst = ids[b * T + t] * G;
      for (let k = 0; k < G; k++) out[dst + k] += grad[src + k];
    }
  }
  return out;
}

/** Gradients smaller than this are set to 0 in the backward recurrence (far below what moves a weight in float32). */
const TINY_GRADIENT = 1e-30;

/**
 * Sets values[from, to) of magnitude below TINY_GRADIENT to 0. Gradients that shrink step after step (a confident
 * classifier's, or any that vanish through time) would otherwise become subnormal floats, which WebAssembly cannot
 * flush to zero and x86 computes with many times slower: a classifier on a naive-Bayes prior trained 4x slower.
 */
function flushTiny(values: Float32Array, from: number, to: number): void {
  for (let k = from; k < to; k++) if (values[k] < TINY_GRADIENT && values[k] > -TINY_GRADIENT) values[k] = 0;
}

/**
 * The gradients of one layer call, in the order of the op's inputs: the input (x, or the embedding table),
 * wIh, wHh, bIh, bHh, h0, c0.
 */
function runBackward(cell: CellType, d: Trace, input: LayerInput, wIh: tf.Tensor2D, wHh: tf.Tensor2D, dy: tf.Tensor): tf.Tensor[] {
  const dev = Device.current();
  const { B, T, I, H, G } = d;
  const math = CELLS[cell];
  const dx = take(T * B * G);
  const dh = cell === 'gru' ? take(T * B * G) : dx;
  const carry = new Float32Array(B * H);
  const whhT = dev.transpose(wHh);
  let rec: tf.TensorInfo | undefined;
  for (let t = T - 1; t >= 0; t--) {
    math.backward(d, t, { dy: dev.read(dy), rec: rec && dev.read(rec), carry, dx, dh });
    flushTiny(dh, t * B * G, (t + 1) * B * G);
    if (dx !== dh) flushTiny(dx, t * B * G, (t + 1) * B * G);
    flushTiny(carry, 0, carry.length);
    if (rec) dev.free(rec);
    const dgt = dev.upload(dh.subarray(t * B * G, (t + 1) * B * G), [B, G]);
    rec = dev.matMul(dgt, whhT);
    dev.free(dgt);
  }
  dev.free(whhT);

  // dh₀ = dG₀·Whhᵀ plus the part that skips Whh (GRU's dh⊙z); dc₀ is LSTM's carry.
  const recv = dev.read(rec!);
  const dh0 = recv.slice();
  if (cell === 'gru') for (let k = 0; k < dh0.length; k++) dh0[k] += carry[k];
  dev.free(rec!);

  // Rows of dx/dh are time-major (t·B + b). Features: xᵀ is laid out [I, T·B] to match, and dx·Wihᵀ comes back
  // [T, B, I] and is reordered to [B, T, I]. Token ids: dx is first summed per embedding row.
  const wihT = dev.transpose(wIh);
  let dInput: tf.TensorInfo;
  let dWih: tf.TensorInfo;
  let dbIh: tf.TensorInfo;
  if ('x' in input) {
    const dxInfo = dev.upload(dx, [T * B, G]);
    const dInTM = dev.matMul(dxInfo, wihT);
    const dInTMv = dev.read(dInTM);
    const dIn = new Float32Array(B * T * I);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) dIn.set(dInTMv.subarray((t * B + b) * I, (t * B + b + 1) * I), (b * T + t) * I);
    }
    dev.free(dInTM);
    dInput = dev.upload(dIn, [B, T, I]);
    const xv = dev.read(input.x);
    const xT = new Float32Array(I * T * B);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) transposeInto(xv, (b * T + t) * I, 1, I, xT, t * B + b, T * B);
    }
    const xTInfo = dev.upload(xT, [I, T * B]);
    dWih = dev.matMul(xTInfo, dxInfo);
    dev.free(xTInfo);
    dbIh = dev.columnSums(dxInfo);
    dev.free(dxInfo);
  } else {
    const V = input.table.shape[0];
    const dP = dev.upload(scatterRows(dx, input.ids, B, T, G, V), [V, G]);
    dInput = dev.matMul(dP, wihT);
    dWih = dev.matMulTransposeA(input.table, dP);
    dbIh = dev.columnSums(dP);
    dev.free(dP);
  }
  dev.free(wihT);

  const dhInfo = dev.upload(dh, [T * B, G]);
  const hT = dev.upload(d.hT, [H, T * B]);
  const dWhh = dev.matMul(hT, dhInfo);
  dev.free(hT);
  const dbIhT = dev.adopt<tf.Rank.R1>(dbIh, [G]);
  const dbHh = cell === 'gru' ? dev.adopt<tf.Rank.R1>(dev.columnSums(dhInfo), [G]) : tf.clone(dbIhT);
  dev.free(dhInfo);
  release(d.hs, d.hT, d.cs, d.act, d.aux, dx, ...(dh !== dx ? [dh] : []));

  return [
    dev.adopt(dInput, 'x' in input ? [B, T, I] : input.table.shape),
    dev.adopt(dWih, [I, G]),
    dev.adopt(dWhh, [H, G]),
    dbIhT,
    dbHh,
    tf.tensor2d(dh0, [B, H]),
    tf.tensor2d(cell === 'lstm' ? carry : new Float32Array(B * H), [B, H]),
  ];
}

/** One layer call as one op on the gradient tape, for either kind of input. */
function fusedLayer(cell: CellType, input: LayerInput, w: RecurrentWeights, B: number, T: number, init?: RecurrentState, keepCells = false): RecurrentOutput {
  const H = w.wHh.shape[0];
  let trace: Trace | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [source, wIh, wHh, bIh, bHh, h0, c0] = args as tf.Tensor[];
    const given: LayerInput = 'x' in input ? { x: source as tf.Tensor3D } : { table: source as tf.Tensor2D, ids: input.ids };
    const d = runForward(cell, given, { wIh, wHh, bIh, bHh } as RecurrentWeights, B, T, h0 as tf.Tensor2D, c0 as tf.Tensor2D);
    trace = d;
    // Inputs made inside the differentiated function are freed before backprop unless saved.
    (args[7] as tf.GradSaveFunc)([source, wIh, wHh]);
    return {
      value: tf.tensor3d(d.out, [B, T, H]),
      gradFunc: (dy: tf.Tensor, [sv, wIhv, wHhv]: tf.Tensor[]) => {
        const saved: LayerInput = 'x' in input ? { x: sv as tf.Tensor3D } : { table: sv as tf.Tensor2D, ids: input.ids };
        return runBackward(cell, d, saved, wIhv as tf.Tensor2D, wHhv as tf.Tensor2D, dy);
      },
    };
  });
  const h0 = init?.h ?? tf.zeros([B, H]);
  const c0 = init?.c ?? tf.zeros([B, H]);
  const source = 'x' in input ? input.x : input.table;
  const outputs = op(source, w.wIh, w.wHh, w.bIh, w.bHh, h0, c0) as tf.Tensor3D;
  if (!init?.h) h0.dispose();
  if (!init?.c) c0.dispose();
  const last = (hs: Float32Array) => tf.tensor2d(hs.slice(T * B * H), [B, H]);
  const final: RecurrentState = { h: last(trace!.hs) };
  if (cell === 'lstm') final.c = last(trace!.cs);
  if (!keepCells || cell !== 'lstm') return { outputs, final };
  // cs is [T+1, B, H] with the initial state first; the caller's layout is [B, T, H].
  const cells = new Float32Array(B * T * H);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) cells.set(trace!.cs.subarray(((t + 1) * B + b) * H, ((t + 1) * B + b + 1) * H), (b * T + t) * H);
  }
  return { outputs, final, cells: tf.tensor3d(cells, [B, T, H]) };
}

function checkShapes(cell: CellType, inputSize: number, batch: number, w: RecurrentWeights, init?: RecurrentState): void {
  const H = w.wHh.shape[0];
  const G = GATE_COUNT[cell] * H;
  const ok =
    w.wIh.shape[0] === inputSize &&
    w.wIh.shape[1] === G &&
    w.wHh.shape[1] === G &&
    w.bIh.size === G &&
    w.bHh.size === G &&
    (!init || (init.h.shape[0] === batch && init.h.shape[1] === H)) &&
    (!init?.c || (init.c.shape[0] === batch && init.c.shape[1] === H));
  if (!ok) {
    const shapes = [w.wIh, w.wHh, w.bIh, w.bHh].map((t) => `[${t.shape}]`).join(', ');
    throw new Error(`${cell} layer: input size ${inputSize}, batch ${batch} and wIh, wHh, bIh, bHh = ${shapes} do not fit together`);
  }
}

/**
 * Runs one recurrent layer over x [batch, time, input]. Differentiable with respect to x, the weights and the
 * initial state through `outputs` (the final state carries no gradient). The initial state is zero unless given.
 * The whole call is one op on the gradient tape with a hand-written backward pass. `keepCells` also returns an LSTM's
 * cell state after every step.
 */
export function recurrentLayer(cell: CellType, x: tf.Tensor3D, w: RecurrentWeights, init?: RecurrentState, keepCells = false): RecurrentOutput {
  checkShapes(cell, x.rank === 3 ? x.shape[2] : -1, x.shape[0], w, init);
  return fusedLayer(cell, { x }, w, x.shape[0], x.shape[1], init, keepCells);
}

/**
 * A recurrent layer over embedded tokens: the same as `recurrentLayer(cell, gather(table, ids), w, init)` with
 * ids [batch, time] (int32) and table [vocab, input], differentiable with respect to the table (not the ids),
 * the weights and the initial state. Faster for a first layer: the input projection is computed per vocabulary
 * row instead of per token, in the forward and the backward pass.
 */
export function embeddedRecurrentLayer(
  cell: CellType,
  table: tf.Tensor2D,
  ids: tf.Tensor2D,
  w: RecurrentWeights,
  init?: RecurrentState,
  keepCells = false,
): RecurrentOutput {
  checkShapes(cell, table.shape[1], ids.shape[0], w, init);
  const values = Int32Array.from(ids.dataSync());
  const vocab = table.shape[0];
  if (values.some((id) => id < 0 || id >= vocab)) throw new Error(`embeddedRecurrentLayer: token ids must be in [0, ${vocab})`);
  return fusedLayer(cell, { table, ids: values }, w, ids.shape[0], ids.shape[1], init, keepCells);
}
