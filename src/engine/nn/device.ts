// Direct access to the active backend's matMul kernel and tensor memory, so fused layers skip the engine per step.
import * as tf from '@tensorflow/tfjs-core';

/** The parts of the wasm backend that are not in its typings: the heap and where each tensor lives on it. */
interface WasmInternals {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
}

/**
 * A handle on one backend: runs matMul straight through its registered kernel (no tape, no transpose flags, so
 * wasm stays on XNNPACK; on cpu a faster JS loop), reads tensor memory without copying where the backend allows it (wasm heap, cpu arrays),
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

  private constructor(readonly backend: tf.KernelBackend, readonly name: string) {
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
   * a [m, k] · b [k, n] → [m, n]: through the backend's kernel, except on cpu where {@link gemm} is ~4x faster
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
 * a [m, k] · b [k, n] → [m, n] in plain JS. Four rows of the result at a time, so each row of b is loaded once per
 * four rows: ~3.6 GFLOP/s on one core, against ~0.8 for tfjs' cpu backend.
 */
function gemm(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const c = new Float32Array(m * n);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = i * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    for (let p = 0; p < k; p++) {
      const a0 = a[i * k + p];
      const a1 = a[(i + 1) * k + p];
      const a2 = a[(i + 2) * k + p];
      const a3 = a[(i + 3) * k + p];
      const b0 = p * n;
      for (let j = 0; j < n; j++) {
        const bv = b[b0 + j];
        c[c0 + j] += a0 * bv;
        c[c1 + j] += a1 * bv;
        c[c2 + j] += a2 * bv;
        c[c3 + j] += a3 * bv;
      }
    }
  }
  for (; i < m; i++) {
    const c0 = i * n;
    for (let p = 0; p < k; p++) {
      const a0 = a[i * k + p];
      const b0 = p * n;
      for (let j = 0; j < n; j++) c[c0 + j] += a0 * b[b0 + j];
    }
  }
  return c;
}
