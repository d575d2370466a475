// A weights folder of an export: one .npy per tensor under PyTorch's state_dict names, Adam's moments and step, and manifest.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GATE_COUNT } from '../nn/recurrent';
import { decodeNpy, encodeNpy } from './npy';
import { UsageError } from '../../shared/options';
import { errorLine, type ModelSpec } from '../../shared/runFolder';

/** manifest.json's format name and version (train.py writes the same). */
export const WEIGHTS_FORMAT = 'seqlab-torch-weights';
export const WEIGHTS_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/** A tensor as plain values, row-major. */
export interface HostTensor {
  shape: number[];
  values: Float32Array;
}

/** Adam's state in PyTorch's terms: the steps taken and each parameter's exp_avg and exp_avg_sq (torch layout), by torch name. */
export interface AdamState {
  step: number;
  expAvg: Record<string, HostTensor>;
  expAvgSq: Record<string, HostTensor>;
}

/** The content of a weights folder. */
export interface WeightsFolder {
  /** Optimizer steps taken by the weights (SeqLab's and then PyTorch's). */
  step: number;
  /** The learning rate of the last step, where a continuation's schedule starts (null: the config's peak rate). */
  lr: number | null;
  /** Parameters by torch name, in torch layout. */
  tensors: Record<string, HostTensor>;
  adam: AdamState | null;
  /** Free-form facts recorded by whoever wrote it (SeqLab's export, or train.py: torch version, world size). */
  writer?: Record<string, unknown>;
}

/** manifest.json. */
interface Manifest {
  format: typeof WEIGHTS_FORMAT;
  version: number;
  step: number;
  lr: number | null;
  tensors: Record<string, { file: string; shape: number[] }>;
  adam: { step: number; betas: [number, number]; eps: number; exp_avg: Record<string, string>; exp_avg_sq: Record<string, string> } | null;
  writer?: Record<string, unknown>;
}

/** One parameter: its SeqLab name, its torch name, and whether torch stores it transposed (SeqLab's [in, out] is torch's [out, in]). */
export interface ParameterName {
  seqlab: string;
  torch: string;
  transpose: boolean;
  /** The shape in torch's layout, from the spec. */
  shape: number[];
}

/** Every parameter of a text or series model in SeqLab's variable order (which Adam's moments follow), with its torch name and shape. */
export function parameterNames(spec: ModelSpec): ParameterName[] {
  const gates = GATE_COUNT[spec.cell] * spec.hidden;
  const names: ParameterName[] = [];
  const firstInput = spec.task === 'series' ? (spec.inputSize as number) : (spec.embedding as number);
  if (spec.task !== 'series')
    names.push({ seqlab: 'embedding', torch: 'embedding.weight', transpose: false, shape: [spec.vocabSize as number, spec.embedding as number] });
  for (let l = 0; l < spec.layers; l++) {
    const input = l === 0 ? firstInput : spec.hidden;
    names.push(
      { seqlab: `layer${l}/w_ih`, torch: `rnn.weight_ih_l${l}`, transpose: true, shape: [gates, input] },
      { seqlab: `layer${l}/w_hh`, torch: `rnn.weight_hh_l${l}`, transpose: true, shape: [gates, spec.hidden] },
      { seqlab: `layer${l}/b_ih`, torch: `rnn.bias_ih_l${l}`, transpose: false, shape: [gates] },
      { seqlab: `layer${l}/b_hh`, torch: `rnn.bias_hh_l${l}`, transpose: false, shape: [gates] },
    );
  }
  const outputs = spec.task === 'text' ? (spec.vocabSize as number) : (spec.horizon as number);
  names.push(
    { seqlab: 'head/w', torch: 'head.weight', transpose: true, shape: [outputs, spec.hidden + (spec.futureSize ?? 0)] },
    { seqlab: 'head/b', torch: 'head.bias', transpose: false, shape: [outputs] },
  );
  return names;
}

/** A 2-D tensor's transpose (other ranks unchanged). */
export function transposed(t: HostTensor): HostTensor {
  if (t.shape.length !== 2) return t;
  const [rows, cols] = t.shape;
  const out = new Float32Array(t.values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = t.values[r * cols + c];
  return { shape: [cols, rows], values: out };
}

/** File name of a tensor: its torch name, with the moments prefixed. */
function fileOf(prefix: string, name: string): string {
  return `${prefix}${name}.npy`;
}

/** Writes a weights folder (the folder is created; existing files in it are replaced). */
export function writeWeightsFolder(dir: string, folder: WeightsFolder): void {
  fs.mkdirSync(dir, { recursive: true });
  const manifest: Manifest = { format: WEIGHTS_FORMAT, version: WEIGHTS_FORMAT_VERSION, step: folder.step, lr: folder.lr, tensors: {}, adam: null };
  for (const [name, t] of Object.entries(folder.tensors)) {
    fs.writeFileSync(path.join(dir, fileOf('', name)), encodeNpy(t.values, t.shape));
    manifest.tensors[name] = { file: fileOf('', name), shape: t.shape };
  }
  if (folder.adam) {
    const adam = {
      step: folder.adam.step,
      betas: [0.9, 0.999] as [number, number],
      eps: 1e-7,
      exp_avg: {} as Record<string, string>,
      exp_avg_sq: {} as Record<string, string>,
    };
    for (const [key, prefix, moments] of [
      ['exp_avg', 'adam.exp_avg.', folder.adam.expAvg],
      ['exp_avg_sq', 'adam.exp_avg_sq.', folder.adam.expAvgSq],
    ] as const) {
      for (const [name, t] of Object.entries(moments)) {
        fs.writeFileSync(path.join(dir, fileOf(prefix, name)), encodeNpy(t.values, t.shape));
        adam[key][name] = fileOf(prefix, name);
      }
    }
    manifest.adam = adam;
  }
  if (folder.writer) manifest.writer = folder.writer;
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 1) + '\n');
}

/**
 * Reads a weights folder and checks it against the model it must fit: every parameter present, float32, of the
 * shape the spec gives (and so for Adam's moments). Anything else is a one-line {@link UsageError} naming the file.
 */
export function readWeightsFolder(dir: string, spec: ModelSpec): WeightsFolder {
  const manifestFile = path.join(dir, MANIFEST_FILE);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UsageError(`${manifestFile} ${missing ? 'is missing' : `cannot be read (${errorLine(error)})`}: this is not a SeqLab weights folder.`);
  }
  if (manifest?.format !== WEIGHTS_FORMAT || typeof manifest.tensors !== 'object' || manifest.tensors === null)
    throw new UsageError(`${manifestFile} is not a SeqLab weights manifest (format "${String(manifest?.format)}").`);
  if (typeof manifest.version !== 'number' || manifest.version > WEIGHTS_FORMAT_VERSION)
    throw new UsageError(`${manifestFile} has version ${String(manifest.version)}; this SeqLab reads up to ${WEIGHTS_FORMAT_VERSION}: update SeqLab.`);
  if (!Number.isInteger(manifest.step) || manifest.step < 0)
    throw new UsageError(`${manifestFile}: "step" is ${JSON.stringify(manifest.step)}, not a step count.`);
  const read = (file: unknown, name: string, shape: number[]): HostTensor => {
    if (typeof file !== 'string' || file.includes('/') || file.includes('\\') || file.startsWith('.'))
      throw new UsageError(`${manifestFile} names no file for ${name}: the manifest was edited by hand. Restore it.`);
    const full = path.join(dir, file);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(full);
    } catch {
      throw new UsageError(`${full} (${name}) is missing: restore it, or export the run again.`);
    }
    const array = decodeNpy(bytes, full);
    if (array.dtype !== 'float32') throw new UsageError(`${full} (${name}) holds ${array.dtype}; weights are float32.`);
    if (array.shape.join('x') !== shape.join('x'))
      throw new UsageError(`${full} (${name}) has shape [${array.shape.join(', ')}], but the model in config.json needs [${shape.join(', ')}].`);
    return { shape, values: array.data as Float32Array };
  };
  const tensors: Record<string, HostTensor> = {};
  for (const p of parameterNames(spec)) {
    const entry = manifest.tensors[p.torch];
    if (!entry) throw new UsageError(`${manifestFile} has no weight "${p.torch}", which the ${spec.cell} model in config.json needs.`);
    tensors[p.torch] = read(entry.file, p.torch, p.shape);
  }
  let adam: AdamState | null = null;
  if (manifest.adam) {
    const a = manifest.adam;
    if (!Number.isInteger(a.step) || a.step < 0) throw new UsageError(`${manifestFile}: Adam's "step" is ${JSON.stringify(a.step)}, not a step count.`);
    adam = { step: a.step, expAvg: {}, expAvgSq: {} };
    for (const p of parameterNames(spec)) {
      adam.expAvg[p.torch] = read(a.exp_avg?.[p.torch], `Adam's exp_avg of ${p.torch}`, p.shape);
      adam.expAvgSq[p.torch] = read(a.exp_avg_sq?.[p.torch], `Adam's exp_avg_sq of ${p.torch}`, p.shape);
    }
  }
  return { step: manifest.step, lr: typeof manifest.lr === 'number' ? manifest.lr : null, tensors, adam, writer: manifest.writer };
}
