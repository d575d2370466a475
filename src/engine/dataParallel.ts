// Data-parallel gradients: each batch is cut into row shards, worker threads take all but the first while the main thread does it, and the shard gradients are averaged.
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { builtFile, type BackendName } from './backend';
import { disposeState, stateToArrays, type SequenceModel } from './model';
import { Device } from './nn/device';
import { GATE_COUNT } from './nn/recurrent';
import { batchLoss, batchWeight, concatArrays, splitBatch } from './tasks/batch';
import type { ModelSpec } from '../shared/runFolder';
import type { LossSpec, TrainBatch } from '../shared/protocol';
import type { FromGradientWorker, GradientWorkerData, ToGradientWorker } from '../shared/protocol';

/** Rows a shard needs for a thread to be worth it. */
const MIN_SHARD_ROWS = 4;
/**
 * Multiply-adds of one training step (forward) below which the threads' round trip per step (weights out, gradients
 * back, ~0.3 ms) costs more than sharing the work saves; "hello" and other tiny runs stay on one thread.
 */
const MIN_PARALLEL_WORK = 20_000_000;

/** Multiply-adds of one forward pass of a batch: the recurrent layers' gate products and the head. */
export function stepWork(spec: ModelSpec, rows: number, time: number): number {
  const gates = GATE_COUNT[spec.cell] * spec.hidden;
  const firstInput = spec.task === 'series' ? (spec.inputSize ?? 1) : (spec.embedding ?? 0);
  const recurrent = gates * (spec.hidden + firstInput) + (spec.layers - 1) * gates * 2 * spec.hidden;
  const head = spec.task === 'text' ? spec.hidden * (spec.vocabSize ?? 0) : 0;
  // A classifier's head reads one pooled vector per row.
  const classifyHead = spec.task === 'classify' ? rows * spec.hidden * (spec.classes ?? 0) : 0;
  return rows * time * (recurrent + head) + classifyHead;
}

/**
 * The threads that share each batch. `requested` 0 means automatic: one per core on the wasm and cpu backends when
 * the step is big enough (tfjs-node runs its own thread pool). A number asked for is used as far as the batch allows.
 */
export function chooseThreads(requested: number, backend: BackendName, rows: number, work: number): number {
  const byRows = Math.max(1, Math.floor(rows / MIN_SHARD_ROWS));
  if (requested > 0) return Math.min(requested, byRows);
  if (backend === 'tensorflow' || work < MIN_PARALLEL_WORK) return 1;
  return Math.min(os.availableParallelism(), byRows);
}

/** The mean loss of a batch and its gradients, one array per model variable in model.variables order. */
export interface BatchGradients {
  loss: number;
  grads: Float32Array[];
  /** A stateful batch's final state, rows in batch order (model.ts' stateToArrays layout). */
  state?: Float32Array[];
}

/** One shard's loss, gradients and final state, computed on this thread with the model's current weights. */
export function shardGradients(lossSpec: LossSpec, model: SequenceModel, shard: TrainBatch, dropoutSeed: number): BatchGradients {
  const variables = model.variables;
  let final: ReturnType<typeof batchLoss>['final'];
  let result = { loss: NaN, grads: [] as Float32Array[] };
  // The arrays are set from inside, not returned: tidy walks what it returns, element by element for a typed array.
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const out = batchLoss(lossSpec, model, shard, dropoutSeed);
      final = out.final;
      return out.loss;
    }, variables);
    const device = Device.current();
    result = { loss: value.dataSync()[0], grads: variables.map((v) => device.read(grads[v.name]).slice()) };
  });
  if (!final) return result;
  const state = stateToArrays(final);
  disposeState(final);
  return { ...result, state };
}

/** One worker thread with at most one request in flight. */
class GradientWorker {
  private pending: { resolve: (message: FromGradientWorker) => void; reject: (error: Error) => void } | undefined;
  private broken: Error | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromGradientWorker) => this.settle(message));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`a gradient worker thread exited (code ${code})`)));
  }

  /** The next message from the worker. */
  next(): Promise<FromGradientWorker> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => (this.pending = { resolve, reject }));
  }

  send(message: ToGradientWorker): void {
    this.worker.postMessage(message);
  }

  private settle(message: FromGradientWorker): void {
    const pending = this.pending;
    this.pending = undefined;
    if (message.type === 'worker/failed') pending?.reject(new Error(message.message));
    else pending?.resolve(message);
  }

  private fail(error: Error): void {
    this.broken ??= error;
    this.pending?.reject(error);
    this.pending = undefined;
  }

  async terminate(): Promise<void> {
    this.broken ??= new Error('the gradient workers were stopped');
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/**
 * Computes the gradients of a batch on `threads` threads: the main thread and threads − 1 workers, each with its own
 * backend and a copy of the model. With one thread it is plain tf.variableGrads on the main thread.
 */
export class ShardedGradients {
  private constructor(
    private readonly lossSpec: LossSpec,
    private readonly workers: GradientWorker[],
  ) {}

  /**
   * Starts the workers and waits until each has its backend and model. When a worker cannot start, training goes on
   * with one thread and `onNote` says why.
   */
  static async start(data: GradientWorkerData, threads: number, onNote: (message: string) => void): Promise<ShardedGradients> {
    const workers: GradientWorker[] = [];
    try {
      for (let k = 1; k < threads; k++) workers.push(new GradientWorker(new Worker(builtFile('gradientWorker.js'), { workerData: data })));
      await Promise.all(workers.map(async (worker) => expectType(await worker.next(), 'worker/ready')));
      return new ShardedGradients(data.lossSpec, workers);
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      onNote(`Training on one thread: the gradient worker threads could not start (${(error as Error).message}).`);
      return new ShardedGradients(data.lossSpec, []);
    }
  }

  /** Threads that share each batch. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * The mean loss of the batch and its gradients with respect to the model's variables. Shard k is computed with
   * dropout seed `dropoutSeed + k`, so one thread gives the same result as before sharding.
   */
  async compute(model: SequenceModel, batch: TrainBatch, dropoutSeed: number): Promise<BatchGradients> {
    const shards = splitBatch(batch, this.threads);
    const variables = model.variables;
    const weights = shards.length > 1 ? variables.map((v) => v.dataSync() as Float32Array) : [];
    const remote = shards.slice(1).map((shard, k) => {
      const reply = this.workers[k].next();
      this.workers[k].send({ type: 'gradient/compute', weights, batch: shard, dropoutSeed: dropoutSeed + k + 1 });
      return reply;
    });
    // Every reply is awaited even when a shard fails, so that no late reply is taken for the next step's.
    let local: BatchGradients | undefined;
    let localError: unknown;
    try {
      local = shardGradients(this.lossSpec, model, shards[0], dropoutSeed);
    } catch (error) {
      localError = error;
    }
    const settled = await Promise.allSettled(remote);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (!local) throw localError;
    if (failure) throw failure.reason;
    const results = settled.map((s) => expectType((s as PromiseFulfilledResult<FromGradientWorker>).value, 'gradient/result'));
    // The batch mean is the shard means weighted by their rows (or, for class-weighted classifiers, their rows' weights).
    const total = batchWeight(this.lossSpec, batch);
    const share = (k: number) => batchWeight(this.lossSpec, shards[k]) / total;
    let loss = local.loss * share(0);
    const grads = local.grads;
    if (results.length > 0) for (const g of grads) for (let j = 0; j < g.length; j++) g[j] *= share(0);
    results.forEach((result, k) => {
      const weight = share(k + 1);
      loss += result.loss * weight;
      grads.forEach((g, i) => {
        const part = result.grads[i];
        for (let j = 0; j < g.length; j++) g[j] += part[j] * weight;
      });
    });
    if (!local.state) return { loss, grads };
    // Shards are consecutive rows, so each state array is the shards' arrays one after the other.
    const parts = [local.state, ...results.map((r) => r.state as Float32Array[])];
    const state = local.state.map((_, a) => concatArrays(parts.map((p) => p[a])));
    return { loss, grads, state };
  }

  /** Stops the workers. */
  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** The message narrowed to `type`, or an error for any other. */
function expectType<T extends FromGradientWorker['type']>(message: FromGradientWorker, type: T): Extract<FromGradientWorker, { type: T }> {
  if (message.type !== type) throw new Error(`a gradient worker sent ${message.type} where ${type} was expected`);
  return message as Extract<FromGradientWorker, { type: T }>;
}
