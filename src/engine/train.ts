// The train loop: get batch → step → evaluate → report → checkpoint, with clipping, early stopping and divergence checks.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { DIVERGENCE_FACTOR, DIVERGENCE_LOSS_FLOOR, EVAL_INTERVAL_SECONDS, EVAL_SHARE, PROGRESS_INTERVAL_MS } from './config';
import { Adam } from './adam';
import { describeBackend, initBackend } from './backend';
import { chooseThreads, ShardedGradients, stepWork } from './dataParallel';
import { assertFitsInMemory } from './memory';
import { SequenceModel } from './model';
import { loadModel, saveModel } from './modelCheckpoint';
import { Rng } from './rng';
import { resolvedSchedule, scheduledLr } from './schedule';
import { SpeedMeter } from './speedMeter';
import { defaultRunsDir, loadRunRecord, readCheckpoint, runFolderError, RunWriter, writeCheckpoint, writeFileAtomic } from './runStore';
import { readSource, sha256, type SourceArgs } from './source';
import { createTask, loadRunSource } from './tasks/createTask';
import type { TrainingTask } from './tasks/task';
import type { TrainProgress } from '../shared/protocol';
import { epochLimit, resolveTrainArgs, UsageError, type TrainArgs } from '../shared/options';
import { MODEL_FILE, RESUME_FILE, type DataSource, type RunRecord } from '../shared/runFolder';

/** What to train: the data and options of a new run, or a run folder to resume. */
export interface TrainRequest extends SourceArgs {
  /** Options over the defaults; for a resumed run only `epochs` and `maxSeconds` apply. */
  args?: Partial<TrainArgs>;
  /** Where run folders go; default `.seqlab/runs` in the data's workspace. */
  runsDir?: string;
  /** A readable name for the run. */
  name?: string;
  /** Continue training the run in this folder from its last checkpoint. */
  resume?: string;
}

/** Callbacks and cancellation for a training run. */
export interface TrainHooks {
  /** Throttled progress (at most every {@link PROGRESS_INTERVAL_MS}, plus every evaluation). */
  onProgress?: (progress: TrainProgress) => void;
  /** Messages for the user: backend chosen, adjustments to fit the data, why training stopped. */
  onNote?: (message: string) => void;
  /** Called once the run folder exists. */
  onRunCreated?: (runDir: string, record: RunRecord) => void;
  /** Cancels between batches; the best checkpoint is kept and evaluated. */
  signal?: AbortSignal;
}

/** The outcome of a finished (completed, cancelled or failed-but-saved) run. */
export interface TrainResult {
  runDir: string;
  record: RunRecord;
  /** Training throughput over the whole run, in tokens (text, classify) or windows (series) per second. */
  throughput: number;
  peakRssMB: number;
}

/** The counters that a resumed run continues from. */
interface LoopState {
  step: number;
  seconds: number;
  rng: number;
  bestValLoss: number | null;
  bestStep: number | null;
  evalsWithoutImprovement: number;
  /** The learning rate of the last step (absent in older resume files): a resumed run's schedule starts from it, not from the peak. */
  lr?: number;
}

/** resume.json: the last evaluated state, with the model and optimizer weights. */
interface ResumeJson {
  loop: LoopState;
  file: string;
  weights: tf.io.WeightsManifestEntry[];
}

/**
 * Trains a model and returns when the run ends. Errors before the run folder exists are thrown; later ones mark the run
 * failed. A run folder that cannot be written (disk full, read-only) is a {@link UsageError}; its run is never left completed.
 */
export async function train(request: TrainRequest, hooks: TrainHooks = {}): Promise<TrainResult> {
  const note = (message: string) => hooks.onNote?.(message);
  const resumed = request.resume ? loadRunRecord(request.resume) : undefined;
  const given = resolveTrainArgs(
    resumed ? { ...resumed.config, epochs: request.args?.epochs ?? resumed.config.epochs, maxSeconds: request.args?.maxSeconds ?? 0 } : (request.args ?? {}),
  );
  const backend = await initBackend(given.backend);
  note(`Backend: ${describeBackend(backend)}`);
  const loaded = resumed ? loadRunSource(request.resume as string, resumed) : readSource(request);
  const task = createTask(loaded, given, resumed);
  // run.json records the learning rate used, automatic or not, and the options the data decided.
  const args: TrainArgs = { ...given, ...task.argOverrides, lr: given.lr > 0 ? given.lr : task.defaultLr };
  const { dataInfo } = task;
  // Time steps of a batch row: a classifier's rows are texts of varying length, itemsPerStep / batch tokens on average.
  const time = dataInfo.kind === 'text' ? dataInfo.seqLen : dataInfo.kind === 'series' ? dataInfo.lookback : task.itemsPerStep / args.batch;
  const threads = chooseThreads(args.threads, backend.backend, args.batch, stepWork(task.spec, args.batch, time));
  assertFitsInMemory(task.spec, args, task.dataInfo, threads);
  for (const message of task.notes) note(message);

  const model = SequenceModel.create(task.spec, args.seed);
  try {
    if (!resumed) task.initModel?.(model);
  } catch (error) {
    model.dispose();
    throw error;
  }
  const optimizer = new Adam(model.variables, args.lr, args.clip);
  let state: LoopState = { step: 0, seconds: 0, rng: args.seed, bestValLoss: null, bestStep: null, evalsWithoutImprovement: 0 };
  let writer: RunWriter;
  if (resumed && request.resume) {
    writer = RunWriter.reopen(request.resume);
    state = await restoreResumeCheckpoint(request.resume, model, optimizer);
    writer.update({ status: 'running', message: undefined, pid: process.pid, config: args });
    writer.appendMetrics({ kind: 'event', step: state.step, message: `Resumed at step ${state.step}`, seconds: state.seconds, mark: 'resumed' });
  } else {
    const now = new Date().toISOString();
    const runsDir = request.runsDir ? path.resolve(request.runsDir) : defaultRunsDir(loaded.source.path);
    writer = RunWriter.create(
      runsDir,
      {
        name: request.name,
        createdAt: now,
        updatedAt: now,
        status: 'running',
        pid: process.pid,
        task: task.kind,
        config: args,
        source: loaded.source,
        backend: backend.backend,
        backendSkipped: backend.skipped,
        model: task.spec,
        params: model.parameterCount,
        data: task.dataInfo,
        notes: task.notes,
        progress: { step: 0, epoch: 0, seconds: 0, bestStep: null, bestValLoss: null },
      },
      request.name ?? `${loaded.label}-${args.cell}`,
    );
    const files = { ...task.modelFiles?.(), ...(loaded.source.kind !== 'file' ? { 'source.txt': loaded.text } : {}) };
    try {
      for (const [file, content] of Object.entries(files))
        writeFileAtomic(path.join(writer.dir, file), typeof content === 'string' ? content : JSON.stringify(content));
    } catch (error) {
      writer.discard();
      throw runFolderError(writer.dir, error);
    }
  }
  hooks.onRunCreated?.(writer.dir, writer.record);
  note(`Run folder: ${writer.dir}`);

  const gradients = await ShardedGradients.start({ spec: task.spec, lossSpec: task.lossSpec, backend: backend.backend }, threads, note);
  if (gradients.threads > 1) note(`Threads: ${gradients.threads}, each computing the gradients of a share of every batch.`);
  const loop = new TrainLoop(task, model, optimizer, gradients, args, writer, state, hooks);
  const outcome = await loop.run().catch((error: unknown): LoopOutcome => {
    // The stack goes to metrics.jsonl for the log; the user sees one line.
    try {
      writer.appendMetrics({ kind: 'event', step: loop.stepCount, message: String((error as Error).stack ?? error), seconds: 0 });
    } catch {
      // The run folder cannot be written (the error itself says so below); finishing the run reports it.
    }
    return { status: 'failed', message: `Training failed at step ${loop.stepCount}: ${(runFolderError(writer.dir, error) as Error).message}` };
  });
  let record: RunRecord;
  try {
    writer.update({ timing: loop.timing });
    record = await finishRun(writer, task, model, outcome, note);
  } catch (error) {
    // run.json could not be written: it still says "running" with this process's pid, which reads as failed once it ends.
    throw runFolderError(writer.dir, error);
  } finally {
    model.dispose();
    await gradients.dispose();
  }
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  return { runDir: writer.dir, record, throughput: loop.throughput, peakRssMB };
}

/** How the loop ended. */
interface LoopOutcome {
  status: 'completed' | 'cancelled' | 'failed';
  message: string;
}

/** The training loop of one run. */
class TrainLoop {
  private readonly rng: Rng;
  private readonly started = performance.now();
  private readonly startSeconds: number;
  private readonly startStep: number;
  private lastReport = 0;
  /** The recent speed, for the ETA (the reported throughput stays the whole session's). */
  private readonly speed = new SpeedMeter();
  private lossSinceReport = 0;
  private stepsSinceReport = 0;
  private firstLoss: number | null = null;
  private lastValLoss: number | null = null;
  private lastEvalStep = -1;
  private lastEvalTime = performance.now();
  /** Milliseconds spent evaluating and checkpointing in this session of the loop, and in the latest evaluation. */
  private evalMs = 0;
  private lastEvalMs = 0;
  private readonly evalEvery: number;
  private readonly totalSteps: number;
  /** The epoch limit (Infinity when the time budget alone ends the run). */
  private readonly epochs: number;
  /** The learning-rate schedule's options, with `auto` resolved; a resumed run decays on from the rate it stopped at. */
  private readonly schedule: Parameters<typeof scheduledLr>[0];

  constructor(
    private readonly task: TrainingTask,
    private readonly model: SequenceModel,
    private readonly optimizer: Adam,
    private readonly gradients: ShardedGradients,
    private readonly args: TrainArgs,
    private readonly writer: RunWriter,
    private state: LoopState,
    private readonly hooks: TrainHooks,
  ) {
    this.rng = Rng.restore(state.rng);
    this.startSeconds = state.seconds;
    this.startStep = state.step;
    this.evalEvery = args.evalEvery > 0 ? args.evalEvery : Math.min(task.stepsPerEpoch, 250);
    this.epochs = epochLimit(args);
    this.schedule = {
      lr: state.step > 0 && state.lr ? state.lr : args.lr,
      warmup: state.step > 0 ? 0 : args.warmup,
      lrSchedule: resolvedSchedule(args.lrSchedule),
    };
    this.totalSteps = this.epochs * task.stepsPerEpoch;
    this.lastValLoss = state.bestValLoss;
  }

  private get seconds(): number {
    return this.startSeconds + (performance.now() - this.started) / 1000;
  }

  /** Items (tokens or windows) per second over this session of the loop. */
  get throughput(): number {
    const elapsed = this.seconds - this.startSeconds;
    return elapsed > 0 ? ((this.state.step - this.startStep) * this.task.itemsPerStep) / elapsed : 0;
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.state.step;
  }

  private get epoch(): number {
    return this.state.step / this.task.stepsPerEpoch;
  }

  async run(): Promise<LoopOutcome> {
    this.writer.update({ threads: this.gradients.threads });
    if (this.state.step === 0) await this.evaluateAndCheckpoint();
    for (;;) {
      const stop = this.stopReason();
      if (stop) {
        // The steps since the last evaluation still count: evaluate them, so the best checkpoint is current.
        if (this.state.step > this.lastEvalStep) await this.evaluateAndCheckpoint();
        return stop;
      }

      // Let the event loop run between batches: a cancel message or SIGINT arrives as a macrotask.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const lr = this.scheduleLearningRate();
      const loss = await this.step();
      this.writer.appendMetrics({ kind: 'train', step: this.state.step, epoch: round(this.epoch), loss, lr, seconds: round(this.seconds) });
      const divergence = this.divergence(loss);
      if (divergence) return { status: 'failed', message: divergence };

      const due =
        this.state.step % this.evalEvery === 0 ||
        this.state.step % this.task.stepsPerEpoch === 0 ||
        performance.now() - this.lastEvalTime >= EVAL_INTERVAL_SECONDS * 1000;
      // With automatic spacing (no --eval-every), an evaluation that is due waits until training has had
      // (1 − EVAL_SHARE)/EVAL_SHARE times the last one's cost.
      const affordable = this.args.evalEvery > 0 || performance.now() - this.lastEvalTime >= (this.lastEvalMs * (1 - EVAL_SHARE)) / EVAL_SHARE;
      const evaluate = this.state.step === this.totalSteps || (due && affordable);
      if (evaluate) {
        const improved = await this.evaluateAndCheckpoint();
        if (!improved && this.args.patience > 0 && this.state.evalsWithoutImprovement >= this.args.patience) {
          return { status: 'completed', message: `Stopped early: no validation improvement in ${this.args.patience} evaluations.` };
        }
      }
      this.report(evaluate);
    }
  }

  /** Why training should stop now (cancelled, all epochs done, time budget spent), or null to go on. */
  private stopReason(): LoopOutcome | null {
    if (this.hooks.signal?.aborted) return { status: 'cancelled', message: `Cancelled at step ${this.state.step}.` };
    if (this.state.step >= this.totalSteps) return { status: 'completed', message: `Trained ${this.epochs} epoch${this.epochs === 1 ? '' : 's'}.` };
    if (this.args.maxSeconds > 0 && this.seconds - this.startSeconds >= this.args.maxSeconds)
      return { status: 'completed', message: `Reached the time budget of ${this.args.maxSeconds} s.` };
    return null;
  }

  /** Sets the optimizer's learning rate for the next step from the schedule, and returns it. */
  private scheduleLearningRate(): number {
    const byEpochs = this.state.step / this.totalSteps;
    const byTime = this.args.maxSeconds > 0 ? (this.seconds - this.startSeconds) / this.args.maxSeconds : 0;
    this.optimizer.learningRate = scheduledLr(this.schedule, this.state.step, Math.max(byEpochs, byTime));
    return this.optimizer.learningRate;
  }

  /** One optimisation step on the next batch (continuing the last one's state when stateful); returns its loss. */
  private async step(): Promise<number> {
    const dropoutSeed = this.rng.int(2 ** 31);
    const batch = this.task.sampleBatch(this.rng);
    const { loss, grads, state } = await this.gradients.compute(this.model, batch, dropoutSeed);
    if (state) this.task.carryState?.(state);
    this.optimizer.step(grads);
    this.state.step++;
    this.lossSinceReport += loss;
    this.stepsSinceReport++;
    return loss;
  }

  /** A message when the loss is not finite or has blown up, else null. */
  private divergence(loss: number): string | null {
    this.firstLoss ??= loss;
    const blownUp = Number.isFinite(loss) && loss > DIVERGENCE_FACTOR * Math.max(this.firstLoss, DIVERGENCE_LOSS_FLOOR);
    if (Number.isFinite(loss) && !blownUp) return null;
    const kept = this.state.bestStep !== null ? ` The best checkpoint (step ${this.state.bestStep}) is kept.` : '';
    const clipAdvice = this.args.clip > 0 ? `a smaller --clip (now ${this.args.clip})` : 'gradient clipping (--clip 1)';
    return `Training diverged at step ${this.state.step} (loss ${Number.isFinite(loss) ? loss.toPrecision(4) : String(loss)}). Try a lower --lr (now ${this.args.lr}) or ${clipAdvice}.${kept}`;
  }

  /** Evaluates on the validation split; saves the model when it is the best so far. Returns whether it improved. */
  private async evaluateAndCheckpoint(): Promise<boolean> {
    const started = performance.now();
    const improved = await this.evaluateAndSave();
    this.lastEvalMs = performance.now() - started;
    this.evalMs += this.lastEvalMs;
    return improved;
  }

  /** Seconds of this session of the loop spent training and spent evaluating and checkpointing. */
  get timing(): { trainSeconds: number; evalSeconds: number } {
    const total = (performance.now() - this.started) / 1000;
    return { trainSeconds: round(total - this.evalMs / 1000), evalSeconds: round(this.evalMs / 1000) };
  }

  private async evaluateAndSave(): Promise<boolean> {
    const valLoss = await this.task.validationLoss(this.model);
    this.lastValLoss = valLoss;
    this.lastEvalStep = this.state.step;
    this.lastEvalTime = performance.now();
    this.writer.appendMetrics({ kind: 'val', step: this.state.step, epoch: round(this.epoch), valLoss, seconds: round(this.seconds) });
    const improved = Number.isFinite(valLoss) && (this.state.bestValLoss === null || valLoss < this.state.bestValLoss * (1 - 1e-4));
    if (improved) {
      this.state.bestValLoss = valLoss;
      this.state.bestStep = this.state.step;
      this.state.evalsWithoutImprovement = 0;
      await saveModel(this.writer.dir, this.model, this.state.step);
    } else {
      this.state.evalsWithoutImprovement++;
    }
    this.state.seconds = this.seconds;
    this.state.rng = this.rng.snapshot;
    this.state.lr = this.optimizer.learningRate;
    await saveResumeCheckpoint(this.writer.dir, this.model, this.optimizer, this.state);
    const { step, seconds, bestStep, bestValLoss } = this.state;
    this.writer.update({ progress: { step, epoch: round(this.epoch), seconds: round(seconds), bestStep, bestValLoss } });
    return improved;
  }

  /** Sends progress, at most every PROGRESS_INTERVAL_MS unless forced. */
  private report(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastReport < PROGRESS_INTERVAL_MS) return;
    this.lastReport = now;
    const throughput = this.throughput;
    this.speed.add(this.state.step, this.seconds);
    const byEpochs = this.speed.secondsFor(this.totalSteps - this.state.step);
    const byTime = this.args.maxSeconds > 0 ? Math.max(0, this.args.maxSeconds - (this.seconds - this.startSeconds)) : null;
    const eta = byEpochs === null ? byTime : byTime === null ? byEpochs : Math.min(byEpochs, byTime);
    this.hooks.onProgress?.({
      runId: this.writer.record.id,
      step: this.state.step,
      epoch: round(this.epoch),
      epochs: Number.isFinite(this.epochs) ? this.epochs : 0,
      trainLoss: this.lossSinceReport / Math.max(1, this.stepsSinceReport),
      valLoss: this.lastValLoss,
      throughput,
      throughputUnit: this.task.throughputUnit,
      seconds: round(this.seconds),
      etaSeconds: eta === null ? null : Math.round(eta),
    });
    this.lossSinceReport = 0;
    this.stepsSinceReport = 0;
  }
}

async function saveResumeCheckpoint(runDir: string, model: SequenceModel, optimizer: Adam, loop: LoopState): Promise<void> {
  const optimizerWeights = optimizer.getWeights();
  const named: tf.NamedTensorMap = { ...prefixed('model/', model.namedWeights()) };
  optimizerWeights.forEach((w, i) => (named[`optimizer/${i}`] = w.tensor));
  const { data, specs } = await tf.io.encodeWeights(named);
  tf.dispose(optimizerWeights.map((w) => w.tensor));
  writeCheckpoint(runDir, RESUME_FILE, 'resume', loop.step, (file): ResumeJson => ({ loop: { ...loop }, file, weights: specs }), data);
}

async function restoreResumeCheckpoint(runDir: string, model: SequenceModel, optimizer: Adam): Promise<LoopState> {
  let checkpoint: { json: ResumeJson; data: ArrayBuffer };
  try {
    checkpoint = readCheckpoint<ResumeJson>(runDir, RESUME_FILE, (j) => j.file);
  } catch (error) {
    throw new UsageError(`Cannot resume ${runDir}: ${(error as Error).message}.`);
  }
  const weights = tf.io.decodeWeights(checkpoint.data, checkpoint.json.weights);
  model.assignWeights(unprefixed('model/', weights));
  const optimizerNames = Object.keys(weights)
    .filter((n) => n.startsWith('optimizer/'))
    .sort((a, b) => Number(a.split('/')[1]) - Number(b.split('/')[1]));
  // Adam's first entry is its iteration count; the moments follow in variable order.
  optimizer.setWeights(optimizerNames.map((name, i) => ({ name: i === 0 ? 'iter' : name, tensor: weights[name] })));
  tf.dispose(Object.values(weights));
  return checkpoint.json.loop;
}

function prefixed(prefix: string, map: tf.NamedTensorMap): tf.NamedTensorMap {
  return Object.fromEntries(Object.entries(map).map(([name, t]) => [prefix + name, t]));
}
function unprefixed(prefix: string, map: tf.NamedTensorMap): tf.NamedTensorMap {
  return Object.fromEntries(
    Object.entries(map)
      .filter(([name]) => name.startsWith(prefix))
      .map(([name, t]) => [name.slice(prefix.length), t]),
  );
}

/** Restores the best model, evaluates it beside the baselines and writes the final run.json. */
async function finishRun(writer: RunWriter, task: TrainingTask, model: SequenceModel, outcome: LoopOutcome, note: (m: string) => void): Promise<RunRecord> {
  note(outcome.message);
  const change = dataFileChange(writer.record.source);
  if (change) {
    note(change);
    writer.appendMetrics({ kind: 'event', step: writer.record.progress.step, message: change, seconds: writer.record.progress.seconds });
    writer.update({ notes: [...writer.record.notes, change] });
  }
  if (!fs.existsSync(path.join(writer.dir, MODEL_FILE))) {
    writer.finish('failed', `${outcome.message} No checkpoint was saved before it stopped.`);
    return writer.record;
  }
  try {
    const best = loadModel(writer.dir);
    model.assignWeights(best.namedWeights());
    best.dispose();
    const summary = await task.evaluate(model);
    for (const [file, content] of Object.entries((await task.artifacts?.(model)) ?? {})) writeFileAtomic(path.join(writer.dir, file), JSON.stringify(content));
    writer.update({ summary });
  } catch (error) {
    writer.finish('failed', `${outcome.message} The final evaluation failed: ${(error as Error).message}`);
    return writer.record;
  }
  writer.finish(outcome.status, outcome.message);
  return writer.record;
}

/** A note when the data file was changed or deleted since training read it (training used what it read), else null. */
function dataFileChange(source: DataSource): string | null {
  if (source.kind !== 'file' || !source.path) return null;
  const used = `this run used the version read at the start (sha256 ${source.sha256.slice(0, 12)}…)`;
  try {
    if (fs.statSync(source.path).size === source.bytes && sha256(fs.readFileSync(source.path)) === source.sha256) return null;
  } catch {
    return `The data file was deleted during training; ${used}.`;
  }
  return `The data file changed during training; ${used}.`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
