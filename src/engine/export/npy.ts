// NumPy's .npy format (version 1.0, little-endian float32 and int32, C order), written and read without pickle.
import { UsageError } from '../../shared/options';

/** The dtypes an export holds: float32 weights and series values, int32 token ids. */
export type NpyDtype = 'float32' | 'int32';

/** An array read from a .npy file. */
export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
const DESCR: Record<NpyDtype, string> = { float32: '<f4', int32: '<i4' };

/** The bytes of a .npy file holding `data` with `shape` (the header is padded so the data starts on a 64-byte boundary). */
export function encodeNpy(data: Float32Array | Int32Array, shape: readonly number[]): Buffer {
  const dtype: NpyDtype = data instanceof Float32Array ? 'float32' : 'int32';
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`a .npy of shape [${shape.join(', ')}] holds ${count} values, not ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(prefix);
  prefix[6] = 1; // version 1.0
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  // Typed arrays are little-endian on every platform Node runs on (x86, ARM).
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]);
}

/** Reads a .npy file's bytes; `name` (the file) goes into the one-line error for anything else than a little-endian float32 or int32 array in C order. */
export function decodeNpy(bytes: Buffer, name: string): NpyArray {
  const bad = (why: string) => new UsageError(`${name} is not a .npy array SeqLab reads: ${why}.`);
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(MAGIC)) throw bad('it does not start with the .npy magic bytes');
  const major = bytes[6];
  if (major < 1 || major > 3) throw bad(`format version ${major} is unknown`);
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  if (start + headerLength > bytes.length) throw bad('its header is cut short');
  const header = bytes.subarray(start, start + headerLength).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw bad('its header has no descr, fortran_order or shape');
  const dtype = (Object.keys(DESCR) as NpyDtype[]).find((d) => DESCR[d] === descr || DESCR[d].replace('<', '|') === descr);
  if (!dtype) throw bad(`its dtype is ${descr}, not float32 (<f4) or int32 (<i4)`);
  if (fortran === 'True') throw bad('it is in Fortran order (save a C-contiguous array)');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) throw bad(`its shape (${shapeText}) is not a list of sizes`);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLength;
  if (bytes.length - offset !== count * 4) throw bad(`shape [${shape.join(', ')}] needs ${count * 4} bytes of data, the file has ${bytes.length - offset}`);
  // Copied out, so the array is aligned whatever the header length.
  const raw = new Uint8Array(count * 4);
  raw.set(bytes.subarray(offset));
  return { dtype, shape, data: dtype === 'float32' ? new Float32Array(raw.buffer) : new Int32Array(raw.buffer) };
}
