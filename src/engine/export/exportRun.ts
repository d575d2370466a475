// `seqlab export --to pytorch`: a run's model, Adam state, config and prepared data, with model.py, predict.py, train.py and a README, in a self-contained folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadRun, type LoadedRun } from '../predict';
import { readCheckpoint } from '../runStore';
import { loadRunSource } from '../tasks/createTask';
import { resolvedSchedule } from '../schedule';
import { LR_FLOOR } from '../config';
import { writeSeriesData, writeTextData, type DataManifest, type SeriesForecastInfo } from './exportData';
import { parameterNames, transposed, writeWeightsFolder, type AdamState, type HostTensor, type WeightsFolder } from './weightsFolder';
import { MODEL_PY } from './templates/modelPy';
import { WEIGHTS_IO_PY } from './templates/weightsIoPy';
import { TOKENIZER_PY } from './templates/tokenizerPy';
import { PREDICT_PY } from './templates/predictPy';
import { TRAIN_PY } from './templates/trainPy';
import { exportReadme } from './templates/readme';
import { UsageError } from '../../shared/options';
import { errorLine, EXPORT_WRITER, MODEL_FILE, RESUME_FILE, type ModelSpec, type RunRecord } from '../../shared/runFolder';

/** config.json's format name and version. */
export const EXPORT_FORMAT = 'seqlab-export';
export const EXPORT_FORMAT_VERSION = 1;
export const CONFIG_FILE = 'config.json';
/** The PyTorch versions the generated scripts were tested with (see the README they ship with). */
export const TESTED_TORCH = '1.13 (Debian python3-torch 1.13.0a0, CPU, gloo), Python 3.11, NumPy 1.24';

/** config.json of an export. */
export interface ExportConfig {
  format: typeof EXPORT_FORMAT;
  version: number;
  exportedAt: string;
  /** The run exported: its folder and record (config, data info, source with its SHA-256, progress). */
  runDir: string;
  run: RunRecord;
  model: ModelSpec;
  /** How train.py continues: SeqLab's loss, clipping, batch, schedule and where the schedule stopped. */
  training: {
    batch: number;
    /** The peak rate of the run, and the rate of its last step (where a continuation starts, as `seqlab train --resume` does). */
    lr: number;
    lastLr: number | null;
    lrSchedule: 'constant' | 'cosine' | 'linear';
    warmup: number;
    lrFloor: number;
    clip: number;
    loss: 'cross-entropy' | 'mse' | 'mae';
    seed: number;
    stepsPerEpoch: number;
    epochs: number;
    /** Steps of the last resume checkpoint (the state train.py continues from). */
    step: number;
    stateful: boolean;
    seqLen: number | null;
    sampledSoftmax: boolean;
  };
  /** Text: the tokenizer and vocabulary (id = index; 0 is the unknown token) and how many prompt tokens predict reads. */
  text: { tokens: 'char' | 'word'; wordTokenizer: 1 | 2; vocab: string[]; seqLen: number; stateful: boolean; promptTokens: number } | null;
  /** Series: the latest window and how outputs become values; run.data has the rest (normalisation, lookback, calendar, baselines). */
  series: SeriesForecastInfo | null;
  /** The training data: its hash and the prepared arrays' manifest (relative to the export folder). */
  data: { sha256: string; bytes: number; path: string | null; train: string; source: string | null };
  /** Weights folders: the model SeqLab predicts with, and the state training continues from (the same folder when they coincide). */
  weights: { best: string; resume: string };
}

/** Tokens of a prompt a stateful model reads (predict.ts' MAX_PROMPT_TOKENS). */
const MAX_PROMPT_TOKENS = 4096;
/** Vocabularies above this train with a sampled softmax in SeqLab (textTask.ts); train.py uses the exact one. */
const SAMPLED_SOFTMAX_VOCAB = 2048;

/** The result of an export. */
export interface ExportResult {
  dir: string;
  files: string[];
  step: number;
}

/** Exports a text or series run into `outDir`, which must not exist or be empty. */
export async function exportRun(runDir: string, outDir: string, to = 'pytorch'): Promise<ExportResult> {
  if (to !== 'pytorch') throw new UsageError(`--to ${to} is not a supported target: use --to pytorch.`);
  if (!fs.existsSync(path.join(runDir, MODEL_FILE)) && fs.existsSync(runDir))
    throw new UsageError(`Cannot export ${runDir}: it has no saved model (the run stopped before its first checkpoint). Train it first.`);
  const out = path.resolve(outDir);
  if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0))
    throw new UsageError(`${out} already exists and is not empty: export into a new folder (an export never overwrites files).`);
  const run = await loadRun(runDir);
  try {
    const { record } = run;
    if (record.task !== 'text' && record.task !== 'series')
      throw new UsageError(`Cannot export ${runDir}: it is a ${record.task} run, and export supports text and series runs.`);
    let source;
    try {
      source = loadRunSource(runDir, record);
    } catch (error) {
      throw new UsageError(`Cannot export ${runDir}: ${(error as Error).message.replace(/ Pass the data[^.]*\./, '')} Restore it to export.`);
    }
    fs.mkdirSync(path.join(out, 'data'), { recursive: true });
    const best = bestWeights(run);
    const resume = resumeState(runDir, run.model.spec);
    const sameState = resume !== null && resume.step === record.progress.bestStep;
    writeWeightsFolder(path.join(out, 'weights'), {
      ...best,
      step: record.progress.bestStep ?? best.step,
      lr: sameState ? resume.lr : null,
      adam: sameState ? resume.adam : null,
      writer: { by: EXPORT_WRITER, run: record.id },
    });
    if (resume && !sameState) writeWeightsFolder(path.join(out, 'resume'), { ...resume, writer: { by: EXPORT_WRITER, run: record.id } });

    let manifest: DataManifest;
    let series: SeriesForecastInfo | null = null;
    if (record.task === 'text') manifest = writeTextData(path.join(out, 'data'), source, record);
    else ({ manifest, forecast: series } = writeSeriesData(path.join(out, 'data'), source, record));
    fs.writeFileSync(path.join(out, 'data', 'train.json'), JSON.stringify(manifest, null, 1) + '\n');
    let copiedSource: string | null = null;
    if (record.source.kind !== 'file') {
      fs.writeFileSync(path.join(out, 'data', 'source.txt'), source.text);
      copiedSource = 'data/source.txt';
    }

    const config = exportConfig(runDir, record, run.model.spec, manifest, series, resume, copiedSource, sameState || !resume ? 'weights' : 'resume');
    fs.writeFileSync(path.join(out, 'config.json'), JSON.stringify(config, null, 1) + '\n');
    const files: Record<string, string> = {
      'model.py': MODEL_PY,
      'weights_io.py': WEIGHTS_IO_PY,
      'tokenizer.py': TOKENIZER_PY,
      'predict.py': PREDICT_PY,
      'train.py': TRAIN_PY,
      'README.md': exportReadme(config),
    };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(out, name), text);
    return { dir: out, files: listFiles(out), step: record.progress.bestStep ?? 0 };
  } finally {
    run.model.dispose();
  }
}

/** The run's best model (the one `seqlab predict` uses) in torch names and layout. */
function bestWeights(run: LoadedRun): WeightsFolder {
  const named = run.model.namedWeights();
  const tensors: Record<string, HostTensor> = {};
  for (const p of parameterNames(run.model.spec)) {
    const t = named[p.seqlab];
    const host = { shape: [...t.shape], values: Float32Array.from(t.dataSync() as Float32Array) };
    tensors[p.torch] = p.transpose ? transposed(host) : host;
  }
  return { step: run.record.progress.bestStep ?? 0, lr: null, tensors, adam: null };
}

/** The last resume checkpoint: its weights, Adam's moments and step (torch layout), and the learning rate of its last step; null without one. */
function resumeState(runDir: string, spec: ModelSpec): (WeightsFolder & { adam: AdamState }) | null {
  type ResumeJson = { loop: { step: number; lr?: number }; file: string; weights: tf.io.WeightsManifestEntry[] };
  let checkpoint: { json: ResumeJson; data: ArrayBuffer };
  try {
    checkpoint = readCheckpoint<ResumeJson>(runDir, RESUME_FILE, (j) => j.file);
  } catch {
    return null;
  }
  let weights: tf.NamedTensorMap = {};
  try {
    weights = tf.io.decodeWeights(checkpoint.data, checkpoint.json.weights);
    const names = parameterNames(spec);
    const host = (t: tf.Tensor | undefined, p: (typeof names)[number]): HostTensor => {
      if (!t) throw new Error(`the resume checkpoint has no entry for ${p.seqlab}`);
      const value = { shape: [...t.shape], values: Float32Array.from(t.dataSync() as Float32Array) };
      return p.transpose ? transposed(value) : value;
    };
    const tensors: Record<string, HostTensor> = {};
    const adam: AdamState = { step: Number(weights['optimizer/0']?.dataSync()[0] ?? checkpoint.json.loop.step), expAvg: {}, expAvgSq: {} };
    names.forEach((p, i) => {
      tensors[p.torch] = host(weights[`model/${p.seqlab}`], p);
      // Adam's entries: the iteration count, then every first moment, then every second moment, in variable order.
      adam.expAvg[p.torch] = host(weights[`optimizer/${1 + i}`], p);
      adam.expAvgSq[p.torch] = host(weights[`optimizer/${1 + names.length + i}`], p);
    });
    return { step: checkpoint.json.loop.step, lr: checkpoint.json.loop.lr ?? null, tensors, adam };
  } catch (error) {
    throw new UsageError(`The resume checkpoint of ${runDir} cannot be read (${errorLine(error)}): the run folder is damaged.`);
  } finally {
    tf.dispose(Object.values(weights));
  }
}

function exportConfig(
  runDir: string,
  record: RunRecord,
  spec: ModelSpec,
  manifest: DataManifest,
  series: SeriesForecastInfo | null,
  resume: WeightsFolder | null,
  copiedSource: string | null,
  resumeFolder: string,
): ExportConfig {
  const { config } = record;
  const text =
    record.data.kind === 'text'
      ? {
          tokens: record.data.tokens,
          wordTokenizer: record.data.wordTokenizer ?? 1,
          vocab: record.data.vocab,
          seqLen: record.data.seqLen,
          stateful: record.data.stateful === true,
          promptTokens: record.data.stateful ? MAX_PROMPT_TOKENS : record.data.seqLen,
        }
      : null;
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_FORMAT_VERSION,
    exportedAt: new Date().toISOString(),
    runDir: path.resolve(runDir),
    run: record,
    model: spec,
    training: {
      batch: config.batch,
      lr: config.lr,
      lastLr: resume?.lr ?? null,
      lrSchedule: resolvedSchedule(config.lrSchedule),
      warmup: config.warmup,
      lrFloor: LR_FLOOR,
      clip: config.clip,
      loss: record.task === 'text' ? 'cross-entropy' : config.loss,
      seed: config.seed,
      stepsPerEpoch: manifest.stepsPerEpoch,
      epochs: config.epochs,
      step: resume?.step ?? record.progress.step,
      stateful: text?.stateful ?? false,
      seqLen: text?.seqLen ?? null,
      sampledSoftmax: (spec.vocabSize ?? 0) > SAMPLED_SOFTMAX_VOCAB,
    },
    text,
    series,
    data: { sha256: record.source.sha256, bytes: record.source.bytes, path: record.source.path ?? null, train: 'data/train.json', source: copiedSource },
    weights: { best: 'weights', resume: resumeFolder },
  };
}

/** Every file under a folder, relative, sorted. */
function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}
