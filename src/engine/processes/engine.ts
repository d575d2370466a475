// The engine process: forked by the extension host, it trains one run or answers the host's requests (predictions, class probabilities, looking inside text runs, CSV columns, marking a run failed) over IPC.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeCsvColumns } from '../data/csv/columns';
import { detectLabelledColumns } from '../data/labelled';
import { classifyTexts, forecastNext, generateText, loadRun, predictNext, type LoadedRun } from '../predict';
import { computePackedActivations } from '../inspect/activations';
import { inspectedRun } from '../inspect/inspectedRun';
import { computeSurprisal } from '../inspect/surprisal';
import { searchUnits } from '../inspect/unitSearch';
import { markRunFailed } from '../runStore';
import { readFileHead } from '../source';
import { train } from '../train';
import { z } from 'zod';
import { resolveGenerateArgs, UsageError } from '../../shared/options';
import {
  ENGINE_REQUESTS,
  hostToEngineSchema,
  type EngineMethod,
  type EngineParams,
  type EngineResult,
  type EngineToHost,
  type TrainStart,
} from '../../shared/protocol';
import { MODEL_FILE } from '../../shared/runFolder';

/** Loaded prediction models kept warm, by run folder, at most this many. */
const MAX_CACHED_RUNS = 4;

/** Sends a message to the host; resolves once it is handed to the channel. */
function send(message: EngineToHost): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(message, undefined, undefined, () => resolve()) : resolve()));
}

const cancel = new AbortController();
const cachedRuns = new Map<string, { run: Promise<LoadedRun>; checkpoint: string }>();
let training = false;

/** Which best checkpoint a run folder holds now: a run that is training (or was resumed) replaces its model.json by a rename. */
function checkpointVersion(runDir: string): string {
  try {
    const stat = fs.statSync(path.join(runDir, MODEL_FILE));
    return `${stat.ino}:${stat.mtimeMs}`;
  } catch {
    return 'none';
  }
}

/** A run's model, loaded once and kept warm for the preview, and loaded again when its best checkpoint changes. */
function cachedRun(runDir: string): Promise<LoadedRun> {
  const checkpoint = checkpointVersion(runDir);
  const cached = cachedRuns.get(runDir);
  if (cached?.checkpoint === checkpoint) return cached.run;
  if (cached) forget(runDir);
  // A checkpoint saved while loading can remove the weights file the old model.json named: then the new pair is read.
  const run = loadRun(runDir).catch((error: unknown) => (checkpointVersion(runDir) !== checkpoint ? loadRun(runDir) : Promise.reject(error)));
  run.catch(() => cachedRuns.get(runDir)?.run === run && cachedRuns.delete(runDir));
  cachedRuns.set(runDir, { run, checkpoint });
  if (cachedRuns.size > MAX_CACHED_RUNS) forget(cachedRuns.keys().next().value as string);
  return run;
}

function forget(runDir: string): void {
  const cached = cachedRuns.get(runDir);
  cachedRuns.delete(runDir);
  cached?.run.then((r) => r.model.dispose()).catch(() => undefined);
}

async function startTraining(request: TrainStart): Promise<void> {
  training = true;
  try {
    const result = await train(
      { file: request.file, text: request.text, args: request.args, runsDir: request.runsDir, name: request.name, resume: request.resume },
      {
        signal: cancel.signal,
        onRunCreated: (runDir, record) => void send({ type: 'train/created', runDir, record }),
        onProgress: (progress) => void send({ type: 'train/progress', progress }),
        onNote: (message) => void send({ type: 'train/note', message }),
      },
    );
    await send({ type: 'train/finished', runDir: result.runDir, record: result.record });
  } catch (error) {
    await send({ type: 'train/error', message: (error as Error).message, usage: error instanceof UsageError });
  }
  process.exit(0);
}

/** The first bytes of a CSV that Customize reads its columns from. */
const CSV_PREVIEW_BYTES = 256 * 1024;

/** The file's head read as labelled texts, or null when it does not look like them or cannot be read so (the columns still answer). */
function labelledColumns(head: string): ReturnType<typeof detectLabelledColumns> {
  try {
    return detectLabelledColumns(head);
  } catch {
    return null;
  }
}

/** How the engine answers each request of {@link ENGINE_REQUESTS}. */
const handlers: { [M in EngineMethod]: (params: EngineParams<M>) => Promise<EngineResult<M>> | EngineResult<M> } = {
  'predict/next': async ({ runDir, prompt, topK, target }) => predictNext(await cachedRun(runDir), prompt, topK, target),
  'predict/generate': async ({ runDir, prompt, ...args }) => generateText(await cachedRun(runDir), prompt, resolveGenerateArgs(args)),
  'predict/forecast': async ({ runDir, file, horizon }) => forecastNext(await cachedRun(runDir), file, horizon),
  'predict/classify': async ({ runDir, texts }) => ({ results: classifyTexts(await cachedRun(runDir), texts) }),
  'inspect/activations': async ({ runDir, text, layer, state, rows }) =>
    computePackedActivations(inspectedRun(await cachedRun(runDir), 'Show Activations needs'), text, { layer, state, rows }),
  'inspect/surprisal': async ({ runDir, text, top }) => computeSurprisal(inspectedRun(await cachedRun(runDir), 'Show Surprisal needs'), text, { top }),
  'inspect/units': async ({ runDir, text, span, layer, state, top }) =>
    searchUnits(inspectedRun(await cachedRun(runDir), 'Find Units needs'), text, { span, layer, state, top }),
  'data/columns': ({ file }) => {
    const head = readFileHead(file, CSV_PREVIEW_BYTES);
    return { columns: describeCsvColumns(head), classify: labelledColumns(head) };
  },
  'run/markFailed': ({ runDir, message }) => ({ marked: markRunFailed(runDir, message) }),
};

/** Checks a request's params with its method's schema, runs its handler and replies with the result or the error's message. */
async function answer<M extends EngineMethod>(id: number, method: M, raw: unknown): Promise<void> {
  try {
    const parsed = ENGINE_REQUESTS[method].params.safeParse(raw);
    if (!parsed.success) throw new Error(`The ${method} request is malformed: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
    const params = parsed.data as EngineParams<M>;
    const result = await handlers[method](params);
    void send({ type: 'reply', id, result });
  } catch (error) {
    void send({ type: 'reply/error', id, message: (error as Error).message });
  }
}

process.on('message', (raw: unknown) => {
  const parsed = hostToEngineSchema.safeParse(raw);
  if (!parsed.success) {
    process.stderr.write(`seqlab engine: ignored an invalid message: ${parsed.error.message}\n`);
    return;
  }
  const message = parsed.data;
  if (message.type === 'train/start') {
    if (!training) void startTraining(message.request);
  } else if (message.type === 'train/cancel') {
    cancel.abort();
  } else if (message.type === 'predict/forget') {
    forget(message.runDir);
  } else {
    void answer(message.id, message.method, message.params);
  }
});

// The host going away ends this process: a training run then stops between batches and keeps its checkpoint.
process.on('disconnect', () => {
  if (training) cancel.abort();
  else process.exit(0);
});
void send({ type: 'engine/ready' });
