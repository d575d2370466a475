// Direct access to the active backend's matMul kernel and tensor memory, so fused layers skip the engine per step.
import * as tf from '@tensorflow/tfjs-core';

/** The parts of the wasm backend that are not in its typings: the heap and where each tensor lives on it. */
interface WasmInternals {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
}

/**
 * A handle on one backend: runs matMul straight through its registered kernel (no tape, no transpose flags, so
 * wasm stays on XNNPACK; on cpu a register-blocked JS loop), reads tensor memory without copying where the backend allows it (wasm heap, cpu arrays),
 * and uploads Float32Arrays. Every TensorInfo it returns is owned by the caller: {@link free} it or
 * {@link adopt} it into a tensor.
 */
export class Device {
  private readonly matMulKernel: tf.KernelFunc;
  private readonly sigmoidKernel: tf.KernelFunc;
  private readonly wasm: WasmInternals | undefined;
  private readonly noTranspose = { transposeA: false, transposeB: false };
  /** Whether {@link upload} copies the array (so it may be reused at once) rather than keeping it. */
  readonly copiesOnUpload: boolean;

  private constructor(
    readonly backend: tf.KernelBackend,
    readonly name: string,
  ) {
    const kernel = (kernelName: string) => {
      const config = tf.getKernel(kernelName, name);
      if (!config) throw new Error(`The ${name} backend has no ${kernelName} kernel.`);
      return config.kernelFunc;
    };
    this.matMulKernel = kernel('BatchMatMul');
    this.sigmoidKernel = kernel('Sigmoid');
    this.wasm = name === 'wasm' ? (backend as unknown as WasmInternals) : undefined;
    this.copiesOnUpload = name === 'wasm';
  }

  private static cached: Device | undefined;

  /** The device for the backend that is active now (tf.setBackend may change it between calls). */
  static current(): Device {
    const backend = tf.backend();
    if (Device.cached?.backend !== backend) Device.cached = new Device(backend, tf.getBackend());
    return Device.cached;
  }

  /**
   * The float32 values of a tensor. On wasm this is a live view of the heap, valid only until the next
   * allocation (which may grow and move the heap): call it again after any {@link matMul} or {@link upload}.
   * The values must not be modified.
   */
  read(t: tf.TensorInfo): Float32Array {
    if (t.dtype !== 'float32') throw new Error(`Expected a float32 tensor, got ${t.dtype}.`);
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (this.wasm) {
      const entry = this.wasm.dataIdMap.get(t.dataId);
      if (!entry) throw new Error('Tensor data is not on the wasm heap (disposed?).');
      return new Float32Array(this.wasm.wasm.HEAPU8.buffer, entry.memoryOffset, size);
    }
    return this.backend.readSync(t.dataId) as Float32Array;
  }

  /** Hands `values` to the backend (wasm copies it to the heap; cpu keeps the array, so never reuse it). */
  upload(values: Float32Array, shape: number[]): tf.TensorInfo {
    return { dataId: this.backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
  }

  /**
   * a [m, k] · b [k, n] → [m, n]: through the backend's kernel, except on cpu where {@link gemm} is ~7x faster
   * than the cpu backend's matMul.
   */
  matMul(a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    if (this.name === 'cpu') {
      const [m, k] = a.shape;
      const n = b.shape[1];
      return this.upload(gemm(this.read(a), this.read(b), m, k, n), [m, n]);
    }
    return this.matMulKernel({ inputs: { a, b }, backend: this.backend, attrs: this.noTranspose }) as tf.TensorInfo;
  }

  /**
   * aᵀ · b for a [k, m] and b [k, n] → [m, n] with plain products: aᵀ·b, or (bᵀ·a)ᵀ when transposing b and the
   * result moves fewer values than transposing a.
   */
  matMulTransposeA(a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    const [k, m] = a.shape;
    const n = b.shape[1];
    if (m * k <= n * k + n * m) {
      const aT = this.transpose(a);
      const product = this.matMul(aT, b);
      this.free(aT);
      return product;
    }
    const bT = this.transpose(b);
    const productT = this.matMul(bT, a);
    this.free(bT);
    const product = this.transpose(productT);
    this.free(productT);
    return product;
  }

  /** Σ over the rows of m [n, cols] → [1, cols], as ones[1, n]·m (tfjs' Sum over axis 0 transposes first: ~35x slower on wasm). */
  columnSums(m: tf.TensorInfo): tf.TensorInfo {
    const ones = this.upload(new Float32Array(m.shape[0]).fill(1), [1, m.shape[0]]);
    const sums = this.matMul(ones, m);
    this.free(ones);
    return sums;
  }

  /** The logistic function elementwise (vectorised by XNNPACK on wasm, unlike its tanh). */
  sigmoid(x: tf.TensorInfo): tf.TensorInfo {
    return this.sigmoidKernel({ inputs: { x }, backend: this.backend, attrs: {} }) as tf.TensorInfo;
  }

  /** x [rows, cols] → [cols, rows], in JS (2.5x faster than the wasm backend's Transpose kernel). */
  transpose(x: tf.TensorInfo): tf.TensorInfo {
    const [rows, cols] = x.shape;
    const out = new Float32Array(rows * cols);
    transposeInto(this.read(x), 0, rows, cols, out, 0, rows);
    return this.upload(out, [cols, rows]);
  }

  /** Releases backend memory that no tensor owns. */
  free(t: tf.TensorInfo): void {
    this.backend.disposeData(t.dataId);
  }

  /** Wraps backend memory in an engine tensor (which then owns it), with its own shape or reshaped to `shape`. */
  adopt<R extends tf.Rank>(t: tf.TensorInfo, shape: number[] = t.shape): tf.Tensor<R> {
    return tf.engine().makeTensorFromDataId(t.dataId, shape, 'float32', this.backend) as tf.Tensor<R>;
  }
}

/**
 * Writes src[offset…] ([rows, cols], row-major) transposed into dst as columns col…col+rows−1 of a
 * [cols, stride] matrix. Blocks of 16 rows keep the strided writes within a few cache lines.
 */
export function transposeInto(src: Float32Array, offset: number, rows: number, cols: number, dst: Float32Array, col: number, stride: number): void {
  for (let r0 = 0; r0 < rows; r0 += 16) {
    const r1 = Math.min(rows, r0 + 16);
    for (let c = 0; c < cols; c++) {
      const d0 = c * stride + col;
      for (let r = r0; r < r1; r++) dst[d0 + r] = src[offset + r * cols + c];
    }
  }
}

/**
 * a [m, k] · b [k, n] → [m, n] in plain JS: 4×4 blocks of the result, each summed over k in 16 local variables
 * that stay in registers (~5.5 GFLOP/s on one core, against ~0.8 for tfjs' cpu backend); the last rows and
 * columns, when m or n is not a multiple of 4, one dot product per value.
 */
function gemm(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const c = new Float32Array(m * n);
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const r0 = i * k;
    const r1 = r0 + k;
    const r2 = r1 + k;
    const r3 = r2 + k;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let p = 0, bp = j; p < k; p++, bp += n) {
        const b0 = b[bp];
        const b1 = b[bp + 1];
        const b2 = b[bp + 2];
        const b3 = b[bp + 3];
        const a0 = a[r0 + p];
        const a1 = a[r1 + p];
        const a2 = a[r2 + p];
        const a3 = a[r3 + p];
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
      }
      const o0 = i * n + j;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      c[o0] = c00;
      c[o0 + 1] = c01;
      c[o0 + 2] = c02;
      c[o0 + 3] = c03;
      c[o1] = c10;
      c[o1 + 1] = c11;
      c[o1 + 2] = c12;
      c[o1 + 3] = c13;
      c[o2] = c20;
      c[o2 + 1] = c21;
      c[o2 + 2] = c22;
      c[o2 + 3] = c23;
      c[o3] = c30;
      c[o3 + 1] = c31;
      c[o3 + 2] = c32;
      c[o3 + 3] = c33;
    }
  }
  for (let i = 0; i < m; i++) {
    for (let j = i < m4 ? n4 : 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
      c[i * n + j] = sum;
    }
  }
  return c;
}
