// Reference forward math of one recurrent step in plain TypeScript, PyTorch's RNN, LSTM and GRU exactly (nn/recurrent.ts's fused layers compute the same).
//
// Vectors are Float32Arrays; sums run in float64. Sizes: I input, H hidden, G = gates·H, gate blocks in PyTorch's order
// (LSTM i f g o, GRU r z n). Weights are the saved ones, W [in, out] row-major (PyTorch's weight transposed):
//   rnn:  h = tanh(W_ih·x + b_ih + W_hh·h₋ + b_hh)
//   lstm: [i f g o] = W_ih·x + b_ih + W_hh·h₋ + b_hh;  i, f, o = σ(·), g = tanh(·);  c = f⊙c₋ + i⊙g;  h = o⊙tanh(c)
//   gru:  r = σ(W_ir·x + b_ir + W_hr·h₋ + b_hr);  z = σ(W_iz·x + b_iz + W_hz·h₋ + b_hz)
//         n = tanh(W_in·x + b_in + r⊙(W_hn·h₋ + b_hn));  h = (1 − z)⊙n + z⊙h₋
import type { LayerArrays } from './weights';
import type { CellType } from '../../shared/options';

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** y[O] = x[I]·W[I, O] (= PyTorch's W·x for its weight W [O, I]), W row-major. */
export function matvecForward(y: Float32Array, x: ArrayLike<number>, W: Float32Array, I: number, O: number): void {
  const acc = new Float64Array(O);
  for (let i = 0; i < I; i++) {
    const xi = x[i];
    const row = i * O;
    for (let o = 0; o < O; o++) acc[o] += xi * W[row + o];
  }
  y.set(acc);
}

/** Simple RNN, pointwise: h[H] = tanh(pre[H]). */
export function rnnCellForward(h: Float32Array, pre: Float32Array, H: number): void {
  for (let j = 0; j < H; j++) h[j] = Math.tanh(pre[j]);
}

/** LSTM gates after their nonlinearities, each [H]. */
export interface LstmGates {
  i: Float32Array;
  f: Float32Array;
  g: Float32Array;
  o: Float32Array;
}

/** LSTM, pointwise: from pre[4H] (blocks i f g o) and cPrev[H], the gates, c[H] = f⊙c₋ + i⊙g and h[H] = o⊙tanh(c). */
export function lstmCellForward(gates: LstmGates, c: Float32Array, h: Float32Array, pre: ArrayLike<number>, cPrev: ArrayLike<number>, H: number): void {
  for (let j = 0; j < H; j++) {
    const i = sigmoid(pre[j]);
    const f = sigmoid(pre[H + j]);
    const g = Math.tanh(pre[2 * H + j]);
    const o = sigmoid(pre[3 * H + j]);
    const cj = f * cPrev[j] + i * g;
    gates.i[j] = i;
    gates.f[j] = f;
    gates.g[j] = g;
    gates.o[j] = o;
    c[j] = cj;
    h[j] = o * Math.tanh(cj);
  }
}

/** GRU gates after their nonlinearities, each [H]. */
export interface GruGates {
  r: Float32Array;
  z: Float32Array;
  n: Float32Array;
}

/**
 * GRU, pointwise (PyTorch's "reset after": r scales W_hn·h₋ + b_hn): from xw = W_ih·x + b_ih [3H] and hw = W_hh·h₋ + b_hh
 * [3H], blocks r z n, and hPrev[H]: pre[3H] (r and z: xw + hw; n: xw_n + r⊙hw_n), the gates and h[H].
 */
export function gruCellForward(
  gates: GruGates,
  pre: Float32Array,
  h: Float32Array,
  xw: Float32Array,
  hw: Float32Array,
  hPrev: ArrayLike<number>,
  H: number,
): void {
  for (let j = 0; j < H; j++) {
    const preR = xw[j] + hw[j];
    const preZ = xw[H + j] + hw[H + j];
    const r = sigmoid(preR);
    const z = sigmoid(preZ);
    const preN = xw[2 * H + j] + r * hw[2 * H + j];
    const n = Math.tanh(preN);
    pre[j] = preR;
    pre[H + j] = preZ;
    pre[2 * H + j] = preN;
    gates.r[j] = r;
    gates.z[j] = z;
    gates.n[j] = n;
    h[j] = (1 - z) * n + z * hPrev[j];
  }
}

/** Every term of one step of one layer. */
export interface CellStep {
  /** [G] W_ih·x */
  wx: Float32Array;
  /** [G] W_hh·h₋ */
  wh: Float32Array;
  /** [G] the pre-activations (see {@link gruCellForward} for the GRU's n block). */
  pre: Float32Array;
  /** The gates by name ({@link LstmGates}, {@link GruGates}, none for an RNN), each [H]. */
  gates: Record<string, Float32Array>;
  /** [H] LSTM only. */
  c?: Float32Array;
  /** [H] */
  h: Float32Array;
}

/** One step of one layer from its input x[I] and previous state hPrev[H] (and cPrev[H] for an LSTM), keeping every term. */
export function cellStepForward(
  cell: CellType,
  w: LayerArrays,
  x: ArrayLike<number>,
  hPrev: Float32Array,
  cPrev: Float32Array | undefined,
  H: number,
): CellStep {
  const G = w.bIh.length;
  const wx = new Float32Array(G);
  const wh = new Float32Array(G);
  matvecForward(wx, x, w.wIh, w.inputSize, G);
  matvecForward(wh, hPrev, w.wHh, H, G);
  const xw = new Float32Array(G); // W_ih·x + b_ih
  const hw = new Float32Array(G); // W_hh·h₋ + b_hh
  for (let k = 0; k < G; k++) {
    xw[k] = wx[k] + w.bIh[k];
    hw[k] = wh[k] + w.bHh[k];
  }
  const pre = new Float32Array(G);
  const h = new Float32Array(H);
  if (cell === 'gru') {
    const gates: GruGates = { r: new Float32Array(H), z: new Float32Array(H), n: new Float32Array(H) };
    gruCellForward(gates, pre, h, xw, hw, hPrev, H);
    return { wx, wh, pre, gates: { ...gates }, h };
  }
  for (let k = 0; k < G; k++) pre[k] = xw[k] + hw[k];
  if (cell === 'rnn') {
    rnnCellForward(h, pre, H);
    return { wx, wh, pre, gates: {}, h };
  }
  const gates: LstmGates = { i: new Float32Array(H), f: new Float32Array(H), g: new Float32Array(H), o: new Float32Array(H) };
  const c = new Float32Array(H);
  lstmCellForward(gates, c, h, pre, cPrev ?? new Float32Array(H), H);
  return { wx, wh, pre, gates: { ...gates }, c, h };
}

/** logits[V] = h[H]·headW[H, V] + headB[V], then probs[V] = softmax(logits). */
export function headForward(probs: Float32Array, h: Float32Array, headW: Float32Array, headB: Float32Array, H: number, V: number): void {
  const logits = new Float32Array(V);
  matvecForward(logits, h, headW, H, V);
  let max = -Infinity;
  for (let v = 0; v < V; v++) {
    logits[v] += headB[v];
    max = Math.max(max, logits[v]);
  }
  let sum = 0;
  for (let v = 0; v < V; v++) sum += Math.exp(logits[v] - max);
  for (let v = 0; v < V; v++) probs[v] = Math.exp(logits[v] - max) / sum;
}
