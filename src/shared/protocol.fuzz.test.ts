// Fuzzing every message received from another process or the webview: random JSON, any value, and valid messages with one field mutated, each accepted or refused by its schema check.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import { fuzzSurface } from '../fuzzHelpers';
import { UsageError } from './options';
import { describeEngineMessage, ENGINE_REQUESTS, hostToEngineSchema, parseEngineMessage, webviewToHostSchema, type EngineMethod } from './protocol';
import { RUN_ID_PATTERN } from './runFolder';

/*
 * The receivers (DashboardPanel.receive, EngineHost's message handlers, the engine process's message handler) need
 * vscode or run on import, so each action below makes the receiver's own check and, where the receiver returns a
 * result or logs instead of throwing (a failed safeParse, a null from parseEngineMessage), throws a UsageError with the
 * one-line message the receiver logs or replies with. The harness property then reads: each message is accepted, or
 * refused through that error path, and nothing else is thrown.
 */

/** Well-formed messages from the webview, one of each type. */
const VALID_WEBVIEW: unknown[] = [
  { type: 'webview/ready' },
  { type: 'run/select', runId: '20261125-151206-energy-csv-gru-a2dd' },
  { type: 'run/compare', runIds: ['a1', 'b2'] },
  { type: 'predict/request', requestId: 1, runId: 'a1', prompt: 'The ', topK: 10 },
  { type: 'generate/request', requestId: 2, runId: 'a1', prompt: 'The ', length: 200, temperature: 0.8 },
  { type: 'classify/request', requestId: 3, runId: 'a1', text: 'good film' },
  { type: 'row/reveal', runId: 'a1', line: 12 },
  { type: 'generation/copy', text: 'hello' },
  { type: 'generation/insert', text: 'hello' },
  { type: 'train/stop', runId: 'a1' },
  { type: 'train/continue', runId: 'a1' },
];

const RECORD = { id: 'r1', status: 'completed', config: { epochs: 1 } };
const PROGRESS = {
  runId: 'r1',
  step: 3,
  epoch: 1,
  epochs: 2,
  trainLoss: 1.5,
  valLoss: null,
  throughput: 100,
  throughputUnit: 'tokens/s',
  seconds: 2,
  etaSeconds: 4,
};

/** Well-formed messages from an engine process, one of each type. */
const VALID_ENGINE: unknown[] = [
  { type: 'engine/ready' },
  { type: 'train/created', runDir: '/runs/r1', record: RECORD },
  { type: 'train/progress', progress: PROGRESS },
  { type: 'train/note', message: 'Using wasm.' },
  { type: 'train/finished', runDir: '/runs/r1', record: RECORD },
  { type: 'train/error', message: 'bad', usage: true },
  { type: 'reply', id: 1, result: { text: 'x', unknownTokens: 0 } },
  { type: 'reply/error', id: 1, message: 'bad' },
];

/** Well-formed params of each engine request. */
const VALID_PARAMS: { [M in EngineMethod]: unknown } = {
  'predict/next': { runDir: '/runs/r1', prompt: 'The ', topK: 5, target: 'cat' },
  'predict/generate': {
    runDir: '/runs/r1',
    prompt: 'The ',
    length: 10,
    temperature: 0.8,
    topK: 0,
    topP: 0.9,
    repetitionPenalty: 1.2,
    stop: 'word',
    minLength: 2,
    seed: 1,
  },
  'predict/forecast': { runDir: '/runs/r1', file: '/data/a.csv', horizon: 3 },
  'predict/classify': { runDir: '/runs/r1', texts: ['good', 'bad'] },
  'data/columns': { file: '/data/a.csv' },
  'run/markFailed': { runDir: '/runs/r1', message: 'The training process ended unexpectedly.' },
  'inspect/activations': { runDir: '/runs/r1', text: 'say "hi"', layer: 0, state: 'c', rows: { start: 2, end: 6 } },
  'inspect/surprisal': { runDir: '/runs/r1', text: 'the cat', top: 3 },
  'inspect/units': { runDir: '/runs/r1', text: 'say "hi"', span: { start: 4, end: 8 }, layer: 0, state: 'h', top: 10 },
};

/** How an inspected text was read, and one ranked unit, shared by the inspect results below. */
const STREAM = { scoring: 'carried', seqLen: 64 };
const UNIT_SCORE = { unit: 3, separation: 2.1, variance: 0.04, interpretability: 0.6, auc: 0.9, meanInside: 0.7, meanOutside: -0.1 };

/** Well-formed results of each engine request. */
const VALID_RESULTS: { [M in EngineMethod]: unknown } = {
  'predict/next': { topK: [{ token: 'a', prob: 0.5 }], unknownTokens: 0, targetProb: null },
  'predict/generate': { text: 'abc', unknownTokens: 1 },
  'predict/forecast': { target: 'Temp', forecast: [1, 2], time: null, lower: { '80': [0, 1] }, upper: { '80': [2, 3] }, rows: ['1,2'] },
  'predict/classify': { results: [{ labels: [{ label: 'pos', prob: 0.9 }], unknownTokens: 0 }] },
  'data/columns': {
    columns: [{ name: 'value', index: 0, kind: 'numeric', numericCount: 3, preview: ['1'], isTime: false, isDefaultTarget: true }],
    classify: null,
  },
  'run/markFailed': { marked: true },
  'inspect/activations': {
    tokens: ['a', 'b', 'c'],
    offsets: [0, 1, 2],
    unknown: [],
    stream: STREAM,
    cell: 'lstm',
    layers: 1,
    layer: 0,
    state: 'h',
    units: 2,
    values: new Float32Array([0.5, -0.25, 0.125, 1]),
    valuesFrom: 1,
  },
  'inspect/surprisal': {
    tokens: ['a', 'b'],
    offsets: [0, 1],
    unknown: [1],
    stream: STREAM,
    bits: [null, 3.5],
    probs: [null, 0.088],
    top: [[], [{ token: 'c', prob: 0.6 }]],
    totalBits: 3.5,
    scoredTokens: 1,
    scoredCharacters: 1,
    bitsPerChar: 3.5,
    notes: [],
  },
  'inspect/units': {
    cell: 'gru',
    layer: 0,
    state: 'h',
    units: 4,
    span: { start: 1, end: 3 },
    inside: 2,
    outside: 5,
    bySeparation: [UNIT_SCORE],
    byVariance: [UNIT_SCORE],
    byInterpretability: [UNIT_SCORE],
    unknown: [],
    stream: STREAM,
  },
};

const METHODS = Object.keys(ENGINE_REQUESTS) as EngineMethod[];

/** Values of every JSON type and a few that are not JSON (undefined, NaN, big numbers), to put where another type belongs. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, 0, -1, 1.5, Number.NaN, Infinity, 2 ** 53, '', 'x', '../etc', [], {}, [1], { type: 'x' }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** The paths of every field of a value, nested objects and arrays included (the root is the empty path; a typed array is one field). */
function fieldPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((key) => fieldPaths((value as Record<string | number, unknown>)[key], [...prefix, key]))];
}

/** A copy of `value` with the field at `at` replaced by `replacement`, or deleted when `replacement` is the symbol `deleted`. */
function mutated(value: unknown, at: (string | number)[], replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = at[at.length - 1];
  if (replacement === DELETED) delete parent[last];
  else parent[last] = replacement;
  return copy;
}
const DELETED = Symbol('deleted');

/** Messages built from valid ones: one field (maybe nested) given a wrong value or deleted, or an extra field added. */
function nearValid(valid: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.constantFrom(...valid).chain((message) =>
    fc.oneof(
      fc.tuple(fc.constantFrom(...fieldPaths(message)), fc.oneof(wrongValue, fc.constant(DELETED))).map(([at, value]) => mutated(message, at, value)),
      fc.tuple(fc.string({ maxLength: 12 }), wrongValue).map(([key, value]) => ({ ...(message as object), [key]: value })),
    ),
  );
}

/** Any input a receiver may get: random JSON, any value, or a near-valid message. */
function received(valid: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(fc.jsonValue(), fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true }), nearValid(valid));
}

/** A zod failure as the receivers word it: one line. */
function oneLine(error: z.ZodError): string {
  return z.prettifyError(error).replace(/\n/g, ' ');
}

fuzzSurface('webview → host messages', received(VALID_WEBVIEW), (raw) => {
  // DashboardPanel.receive: a message that fails its schema is logged with its issues and ignored.
  const parsed = webviewToHostSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`Dashboard sent an invalid message: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  // An accepted message names runs only by ids that stay inside the runs folder.
  const message = parsed.data as { runId?: string; runIds?: string[] };
  for (const id of [...(message.runId === undefined ? [] : [message.runId]), ...(message.runIds ?? [])]) {
    assert.match(id, RUN_ID_PATTERN);
    assert.ok(id !== '.' && id !== '..' && !id.includes('/') && !id.includes('\\'), `run id ${JSON.stringify(id)} leaves the runs folder`);
  }
});

fuzzSurface('engine → host messages', received(VALID_ENGINE), (raw) => {
  // EngineHost: a message that fails the protocol is null, and is logged (a training process) or ignored (the predictor).
  const message = parseEngineMessage(raw);
  if (!message) throw new UsageError(`Ignored an invalid message from the engine: ${describeEngineMessage(raw)}`);
});

fuzzSurface(
  'engine replies: each method’s result',
  fc.constantFrom(...METHODS).chain((method) => fc.tuple(fc.constant(method), received([VALID_RESULTS[method]]))),
  ([method, result]) => {
    // EngineHost.settle: a reply whose result fails the method's schema rejects the request with this message.
    const parsed = ENGINE_REQUESTS[method].result.safeParse(result);
    if (!parsed.success) throw new UsageError(`The engine's reply to ${method} does not match the protocol: ${oneLine(parsed.error)}`);
  },
);

fuzzSurface(
  'host → engine messages',
  received([
    { type: 'train/start', request: { text: 'hello', args: { epochs: 1 }, runsDir: '/runs', name: 'a', resume: '/runs/r1' } },
    { type: 'train/cancel' },
    { type: 'request', id: 1, method: 'predict/next', params: VALID_PARAMS['predict/next'] },
    { type: 'predict/forget', runDir: '/runs/r1' },
  ]),
  (raw) => {
    // The engine process's message handler: a message that fails its schema is logged and ignored.
    const parsed = hostToEngineSchema.safeParse(raw);
    if (!parsed.success) throw new UsageError(`seqlab engine: ignored an invalid message: ${oneLine(parsed.error)}`);
  },
);

fuzzSurface(
  'engine requests: each method’s params',
  fc.constantFrom(...METHODS).chain((method) => fc.tuple(fc.constant(method), received([VALID_PARAMS[method]]))),
  ([method, params]) => {
    // The engine's answer(): params that fail the method's schema are answered with reply/error and this message.
    const parsed = ENGINE_REQUESTS[method].params.safeParse(params);
    if (!parsed.success) throw new UsageError(`The ${method} request is malformed: ${oneLine(parsed.error)}`);
  },
);
