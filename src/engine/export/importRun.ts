// `seqlab import`: an export folder, after training elsewhere, as a new SeqLab run evaluated on the run's own held-out split.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { initBackend } from '../backend';
import { SequenceModel } from '../model';
import { saveModel } from '../modelCheckpoint';
import { RunWriter, writeCheckpoint, writeFileAtomic } from '../runStore';
import { sha256, decodeText, type LoadedSource } from '../source';
import { createTask, loadRunSource } from '../tasks/createTask';
import { CONFIG_FILE, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, type ExportConfig } from './exportRun';
import { importedHistory } from './importHistory';
import { MANIFEST_FILE, parameterNames, readWeightsFolder, transposed, type WeightsFolder } from './weightsFolder';
import { resolveTrainArgs, UsageError } from '../../shared/options';
import { describeWriter, modelSpecSchema, recordProblem, errorLine, RESUME_FILE, type ModelSpec, type RunRecord } from '../../shared/runFolder';

/** Options of {@link importRun}. */
export interface ImportArgs {
  /** Where the new run folder goes (default: beside the exported run). */
  runsDir?: string;
  name?: string;
  /** The weights folder to read (default: the newest checkpoints/step-N, else weights/). */
  weights?: string;
  /** Messages for the user. */
  onNote?: (message: string) => void;
}

/** The fields of config.json besides the run record and the model that import reads, checked before it reads them. */
const exportFieldsSchema = z.object({
  model: modelSpecSchema,
  runDir: z.string().min(1),
  training: z.object({ step: z.number().int().nonnegative() }),
  data: z.object({ source: z.string().min(1).nullable().optional() }),
});

/** Reads and checks an export's config.json. */
export function readExportConfig(dir: string): ExportConfig {
  const file = path.join(dir, CONFIG_FILE);
  let config: ExportConfig;
  try {
    config = JSON.parse(fs.readFileSync(file, 'utf8')) as ExportConfig;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UsageError(`${file} ${missing ? 'is missing' : `is not valid JSON (${errorLine(error)})`}: ${dir} is not a SeqLab export folder.`);
  }
  if (config?.format !== EXPORT_FORMAT || typeof config.model !== 'object' || typeof config.run !== 'object' || config.run === null)
    throw new UsageError(`${file} is not a SeqLab export's config (format "${String(config?.format)}").`);
  if (typeof config.version !== 'number' || config.version > EXPORT_FORMAT_VERSION)
    throw new UsageError(`${file} has version ${String(config.version)}; this SeqLab reads up to ${EXPORT_FORMAT_VERSION}: update SeqLab.`);
  const run = config.run as unknown as Record<string, unknown>;
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  const source = run.source;
  const intact =
    typeof run.id === 'string' &&
    isObject(source) &&
    ['file', 'text', 'stdin'].includes(source.kind as string) &&
    typeof source.sha256 === 'string' &&
    (source.kind !== 'file' || typeof source.path === 'string') &&
    Array.isArray(run.notes) &&
    run.notes.every((note) => typeof note === 'string') &&
    (run.name === undefined || typeof run.name === 'string');
  if (!intact) throw new UsageError(`${file}: the run record in it is damaged (its id, name, source or notes): config.json was edited; export the run again.`);
  const problem = recordProblem(run);
  if (problem) throw new UsageError(`${file}: run.${problem} in the run record: config.json was edited; export the run again.`);
  const read = exportFieldsSchema.safeParse(config);
  if (!read.success) {
    const issue = read.error.issues[0];
    throw new UsageError(`${file}: ${issue.path.join('.')}: ${issue.message}: config.json was edited; export the run again.`);
  }
  try {
    // The options as training reads them: every value checked against the options table.
    config.run.config = resolveTrainArgs(config.run.config ?? {});
  } catch (error) {
    throw new UsageError(`${file}: the run's options are damaged (${errorLine(error).replace(/\.$/, '')}): config.json was edited; export the run again.`);
  }
  const spec = config.model;
  if (spec.task !== 'text' && spec.task !== 'series')
    throw new UsageError(`${file}: the model's task is ${String(spec.task)}; import supports text and series models.`);
  if (config.run.data?.kind !== spec.task)
    throw new UsageError(`${file}: the run record is a ${String(config.run.data?.kind)} run but the model is a ${spec.task} model.`);
  // The sizes the task needs (the schema has them optional, as each task has its own).
  for (const key of spec.task === 'text' ? (['vocabSize', 'embedding'] as const) : (['inputSize', 'horizon'] as const)) {
    if (spec[key] === undefined) throw new UsageError(`${file}: the model has no ${key}, which a ${spec.task} model needs: config.json was edited.`);
  }
  if (spec.task === 'text' && config.run.data.kind === 'text' && config.run.data.vocab?.length !== spec.vocabSize)
    throw new UsageError(
      `${file}: the vocabulary has ${config.run.data.vocab?.length} tokens but the model expects ${spec.vocabSize}: config.json was edited.`,
    );
  return config;
}

/** The newest weights of an export: its highest checkpoints/step-N with a manifest, else weights/ (as weights_io.latest_weights). */
export function latestWeights(dir: string): string {
  const root = path.join(dir, 'checkpoints');
  let best: { step: number; name: string } | undefined;
  if (fs.existsSync(root)) {
    for (const name of fs.readdirSync(root)) {
      const match = /^step-(\d+)$/.exec(name);
      if (match && fs.existsSync(path.join(root, name, MANIFEST_FILE)) && (!best || Number(match[1]) > best.step)) best = { step: Number(match[1]), name };
    }
  }
  return best ? path.join(root, best.name) : path.join(dir, 'weights');
}

/** SeqLab's named weights (SeqLab layout) from a weights folder; the caller disposes them. */
function seqlabWeights(spec: ModelSpec, tensors: WeightsFolder['tensors']): tf.NamedTensorMap {
  return Object.fromEntries(
    parameterNames(spec).map((p) => {
      const t = p.transpose ? transposed(tensors[p.torch]) : tensors[p.torch];
      return [p.seqlab, tf.tensor(t.values, t.shape, 'float32')];
    }),
  );
}

/** The run's data: its file, unchanged since it was trained, or the copy in the export. */
function exportSource(dir: string, config: ExportConfig): LoadedSource {
  const { run } = config;
  if (run.source.kind === 'file') return loadRunSource(dir, run);
  const file = path.join(dir, config.data.source ?? 'data/source.txt');
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new UsageError(`${file} is missing: the run's data, which the import evaluates on, was in it. Restore it, or export the run again.`);
  }
  if (sha256(bytes) !== run.source.sha256) throw new UsageError(`${file} has changed since the export (its SHA-256 differs from config.json's): restore it.`);
  return { text: decodeText(bytes, file), source: run.source, label: 'source' };
}

/** Imports an export folder as a new run; nothing is written outside the new run folder, and a failed import leaves none. */
export async function importRun(dir: string, args: ImportArgs = {}): Promise<{ runDir: string; record: RunRecord }> {
  const exportDir = path.resolve(dir);
  if (!fs.existsSync(exportDir) || !fs.statSync(exportDir).isDirectory()) throw new UsageError(`${dir} is not a folder: give the export folder to import.`);
  const config = readExportConfig(exportDir);
  const spec = config.model;
  const weightsDir = args.weights ? path.resolve(args.weights) : latestWeights(exportDir);
  const folder = readWeightsFolder(weightsDir, spec);
  const source = exportSource(exportDir, config);
  const base = config.run;
  await initBackend(base.config.backend);
  let task: ReturnType<typeof createTask>;
  try {
    task = createTask(source, base.config, base);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `${path.join(exportDir, CONFIG_FILE)}: the run's data cannot be read (${errorLine(error)}): config.json was edited; export the run again.`,
    );
  }
  // The model must be the one the run's data and options build: an edited config.json can make them disagree.
  const differs = (Object.keys(task.spec) as (keyof ModelSpec)[]).find((key) => JSON.stringify(task.spec[key]) !== JSON.stringify(spec[key]));
  if (differs)
    throw new UsageError(
      `${path.join(exportDir, CONFIG_FILE)}: the model's ${differs} is ${JSON.stringify(spec[differs])} but the run's data and options give ${JSON.stringify(task.spec[differs])}: config.json was edited; export the run again.`,
    );
  const model = SequenceModel.create(spec, 0);
  let writer: RunWriter | undefined;
  try {
    const named = seqlabWeights(spec, folder.tensors);
    try {
      model.assignWeights(named);
    } finally {
      tf.dispose(Object.values(named));
    }
    const now = new Date().toISOString();
    const relative = path.relative(exportDir, weightsDir) || '.';
    const importedFrom = {
      exportDir,
      weights: relative,
      run: base.id,
      runDir: config.runDir,
      step: folder.step,
      ...(folder.writer ? { writer: folder.writer } : {}),
      importedAt: now,
    };
    const runsDir = args.runsDir ? path.resolve(args.runsDir) : path.dirname(config.runDir);
    // The record of the exported run, without what belongs to that run alone (its id, results, process and import).
    const kept: Partial<RunRecord> = { ...base };
    for (const key of ['summary', 'pid', 'message', 'timing', 'id', 'formatVersion', 'importedFrom'] as const) delete kept[key];
    writer = RunWriter.create(
      runsDir,
      {
        ...(kept as Omit<RunRecord, 'id' | 'formatVersion'>),
        name: args.name ?? `${base.name ?? base.id} (imported)`,
        createdAt: now,
        updatedAt: now,
        status: 'running',
        pid: process.pid,
        model: spec,
        importedFrom,
        notes: [...base.notes, `Imported from ${exportDir} (${relative}, step ${folder.step}), trained outside SeqLab.`],
      },
      `${base.id.replace(/^\d{8}-\d{6}-/, '').replace(/-[0-9a-f]{4}$/, '')}-imported`,
    );
    const runDir = writer.dir;
    if (base.source.kind !== 'file') writeFileAtomic(path.join(runDir, 'source.txt'), source.text);
    await saveModel(runDir, model, folder.step);
    const exportStep = config.training.step;
    const history = importedHistory({ runDir: config.runDir, exportStep, weightsStep: folder.step, weightsDir, exportSeconds: base.progress.seconds });
    const seconds = base.progress.seconds + history.seconds;
    for (const line of history.before) writer.appendMetrics(line);
    if (history.after.length)
      writer.appendMetrics({
        kind: 'event',
        step: exportStep,
        message: `Continued in PyTorch, trained by ${describeWriter(folder.writer)}`,
        seconds: base.progress.seconds,
        mark: 'pytorch',
      });
    for (const line of history.after) writer.appendMetrics(line);
    writer.appendMetrics({ kind: 'event', step: folder.step, message: `Imported from ${exportDir} (${relative})`, seconds, mark: 'imported' });
    const valLoss = await task.validationLoss(model);
    writer.appendMetrics({ kind: 'val', step: folder.step, epoch: round(folder.step / task.stepsPerEpoch), valLoss, seconds });
    await saveResume(runDir, model, folder, valLoss, base.config.seed);
    args.onNote?.(`Evaluating the imported model on the run's held-out split…`);
    const summary = await task.evaluate(model);
    for (const [file, content] of Object.entries((await task.artifacts?.(model)) ?? {})) writeFileAtomic(path.join(runDir, file), JSON.stringify(content));
    writer.update({
      summary,
      progress: {
        step: folder.step,
        epoch: round(folder.step / task.stepsPerEpoch),
        seconds,
        bestStep: folder.step,
        bestValLoss: Number.isFinite(valLoss) ? valLoss : null,
      },
    });
    writer.finish('completed', `Imported from ${exportDir} (${relative}, step ${folder.step}).`);
    return { runDir, record: writer.record };
  } catch (error) {
    writer?.discard();
    throw error;
  } finally {
    model.dispose();
  }
}

/**
 * resume.json for the imported run, in train.ts' layout (model/<name>, then optimizer/0 = Adam's iteration count and
 * optimizer/1… its moments in variable order), so that `seqlab train --resume` continues from PyTorch's state.
 */
async function saveResume(runDir: string, model: SequenceModel, folder: WeightsFolder, valLoss: number, seed: number): Promise<void> {
  if (!folder.adam) return;
  const adam = folder.adam;
  const names = parameterNames(model.spec);
  const named: tf.NamedTensorMap = {};
  for (const [name, t] of Object.entries(model.namedWeights())) named[`model/${name}`] = t;
  const created: tf.Tensor[] = [tf.scalar(adam.step, 'int32')];
  names.forEach((p) => created.push(toSeqlab(adam.expAvg[p.torch], p.transpose)));
  names.forEach((p) => created.push(toSeqlab(adam.expAvgSq[p.torch], p.transpose)));
  created.forEach((t, i) => (named[`optimizer/${i}`] = t));
  try {
    const { data, specs } = await tf.io.encodeWeights(named);
    const loop = {
      step: folder.step,
      seconds: 0,
      rng: seed,
      bestValLoss: Number.isFinite(valLoss) ? valLoss : null,
      bestStep: folder.step,
      evalsWithoutImprovement: 0,
      ...(folder.lr !== null ? { lr: folder.lr } : {}),
    };
    writeCheckpoint(runDir, RESUME_FILE, 'resume', folder.step, (file) => ({ loop, file, weights: specs }), data);
  } finally {
    tf.dispose(created);
  }
}

function toSeqlab(t: { shape: number[]; values: Float32Array }, transpose: boolean): tf.Tensor {
  const v = transpose ? transposed(t) : t;
  return tf.tensor(v.values, v.shape, 'float32');
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
