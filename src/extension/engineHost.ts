// Forks and tracks engine processes: one per training run, plus one kept warm for predictions; validates what they send.
import { fork, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import { z } from 'zod';
import {
  describeEngineMessage,
  ENGINE_REQUESTS,
  parseEngineMessage,
  type EngineMethod,
  type EngineParams,
  type EngineResult,
  type EngineToHost,
  type HostToEngine,
  type TrainProgress,
  type TrainStart,
} from '../shared/protocol';
import type { RunRecord } from '../shared/runFolder';
import type { Log } from './log';

/** Callbacks of one training process. */
export interface TrainingListener {
  onCreated(runDir: string, record: RunRecord): void;
  onProgress(progress: TrainProgress): void;
  onNote(message: string): void;
}

/** How a training process ended. */
export type TrainingEnd =
  { kind: 'finished'; runDir: string; record: RunRecord } | { kind: 'refused'; message: string; usage: boolean } | { kind: 'crashed'; message: string };

/** A training run in its own process. */
export interface TrainingProcess {
  readonly done: Promise<TrainingEnd>;
  cancel(): void;
  /** Ends the process at once (SIGKILL), as a crash would. */
  kill(): void;
  readonly pid: number | undefined;
}

/** Starts and owns every engine process; disposing it ends them all (no orphans after a window reload). */
export class EngineHost implements vscode.Disposable {
  private readonly children = new Set<ChildProcess>();
  private predictor: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { method: EngineMethod; resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly enginePath: string,
    private readonly log: Log,
  ) {}

  private spawn(role: string): ChildProcess {
    const child = fork(this.enginePath, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [], serialization: 'advanced' });
    this.children.add(child);
    child.stderr?.on('data', (chunk: Buffer) => this.log.error(`[${role} ${child.pid}] ${chunk.toString().trimEnd()}`));
    child.on('exit', (code, signal) => {
      this.children.delete(child);
      this.log.info(`[${role} ${child.pid}] exited (${signal ?? `code ${code}`})`);
    });
    return child;
  }

  /** Forks a process that trains one run. */
  train(request: TrainStart, listener: TrainingListener): TrainingProcess {
    const child = this.spawn('train');
    let runDir: string | undefined;
    const done = new Promise<TrainingEnd>((resolve) => {
      let end: TrainingEnd | undefined;
      child.on('message', (raw) => {
        const message = parseEngineMessage(raw);
        if (!message) return this.log.error(`Ignored an invalid message from the engine: ${describeEngineMessage(raw)}`);
        if (message.type === 'engine/ready') child.send({ type: 'train/start', request } satisfies HostToEngine);
        else if (message.type === 'train/created') {
          runDir = message.runDir;
          listener.onCreated(message.runDir, message.record);
        } else if (message.type === 'train/progress') listener.onProgress(message.progress);
        else if (message.type === 'train/note') listener.onNote(message.message);
        else if (message.type === 'train/finished') end = { kind: 'finished', runDir: message.runDir, record: message.record };
        else if (message.type === 'train/error') end = { kind: 'refused', message: message.message, usage: message.usage };
      });
      child.on('exit', (code, signal) => {
        if (end?.kind === 'finished') return resolve(end);
        // A run that started and then ended without finishing (an error such as a full disk, or a crash) is marked failed.
        const message =
          end?.message ??
          `The training process ended unexpectedly (${signal ?? `exit code ${code}`})${runDir ? '; the metrics and best checkpoint up to then are kept' : ''}.`;
        const ended = end ?? { kind: 'crashed', message };
        if (!runDir) return resolve(ended);
        const failedDir = runDir;
        this.request('run/markFailed', { runDir: failedDir, message })
          .catch((error: Error) => this.log.error(`Could not mark ${failedDir} failed: ${error.message}`))
          .finally(() => resolve(ended));
      });
      child.on('error', (error) => this.log.error(`Training process error: ${error.message}`));
    });
    return {
      done,
      pid: child.pid,
      cancel: () => child.connected && child.send({ type: 'train/cancel' } satisfies HostToEngine),
      kill: () => child.kill('SIGKILL'),
    };
  }

  /**
   * Asks the prediction process (started on first use, kept warm) one of {@link ENGINE_REQUESTS}; resolves with its
   * result, checked against the method's schema, or rejects with the engine's message.
   */
  request<M extends EngineMethod>(method: M, params: EngineParams<M>): Promise<EngineResult<M>> {
    const predictor = this.predictorProcess();
    const id = this.nextId++;
    return new Promise<EngineResult<M>>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
      predictor.send({ type: 'request', id, method, params } satisfies HostToEngine);
    });
  }

  /** Tells the prediction process to drop a run's cached model (deleted or retrained). */
  forget(runDir: string): void {
    if (this.predictor?.connected) this.predictor.send({ type: 'predict/forget', runDir } satisfies HostToEngine);
  }

  private predictorProcess(): ChildProcess {
    if (this.predictor?.connected) return this.predictor;
    const child = this.spawn('predict');
    this.predictor = child;
    child.on('message', (raw) => {
      const message = parseEngineMessage(raw);
      if (message?.type === 'reply' || message?.type === 'reply/error') this.settle(message);
    });
    child.on('exit', () => {
      if (this.predictor === child) this.predictor = undefined;
      for (const [id, { reject }] of this.pending) {
        this.pending.delete(id);
        reject(new Error('The prediction process ended unexpectedly; try again.'));
      }
    });
    return child;
  }

  private settle(message: Extract<EngineToHost, { type: 'reply' | 'reply/error' }>): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.type === 'reply/error') return waiting.reject(new Error(message.message));
    const result = ENGINE_REQUESTS[waiting.method].result.safeParse(message.result);
    if (result.success) waiting.resolve(result.data);
    else waiting.reject(new Error(`The engine's reply to ${waiting.method} does not match the protocol: ${z.prettifyError(result.error).replace(/\n/g, ' ')}`));
  }

  /** The engine processes alive now. */
  get processCount(): number {
    return this.children.size;
  }

  dispose(): void {
    for (const child of this.children) child.kill();
    this.children.clear();
  }
}
