// Fuzzing the run-folder loader: run.json and metrics.jsonl text truncated, bit-flipped or wrong-typed, and real trained run folders with one file damaged, deleted or replaced by a symlink.
import { before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { fuzzSurface } from '../fuzzHelpers';
import { tempDir } from '../testHelpers';
import { initBackend } from './backend';
import { loadRun } from './predict';
import { train } from './train';
import { parseMetricsLines, parseRunRecord, RUN_FILE } from '../shared/runFolder';

const dir = tempDir('seqlab-run-folder-fuzz-');
/** The trained runs every input starts from: a text model and a classifier with a naive-Bayes prior. */
const runs: { text: string; classify: string } = { text: '', classify: '' };
/** Each input's copy of a run goes into a fresh folder here. */
const inputsDir = path.join(dir, 'inputs');
let inputCount = 0;

before(async () => {
  await initBackend('wasm');
  const args = { backend: 'wasm', hidden: 8, embedding: 4, epochs: 1, threads: 1, seqLen: 8, batch: 8 } as const;
  const text = await train({ text: 'the cat sat on the mat. '.repeat(20), runsDir: path.join(dir, 'runs'), args: { ...args, tokens: 'char' } });
  assert.equal(text.record.status, 'completed', text.record.message);
  const fillers = ['red', 'blue', 'green', 'gold', 'teal', 'plum'];
  const rows = Array.from(
    { length: 60 },
    (_, i) => `${fillers[i % 6]} ${fillers[((i * 5) % 7) % 6]} ${i % 2 ? 'great' : 'awful'} ${fillers[(i >> 2) % 6]}\t${i % 2 ? 'pos' : 'neg'}`,
  );
  const file = path.join(dir, 'labels.tsv');
  fs.writeFileSync(file, `text\tlabel\n${rows.join('\n')}\n`);
  const classify = await train({ file, runsDir: path.join(dir, 'runs'), args: { ...args, task: 'classify', tokens: 'word', prior: 'naive-bayes' } });
  assert.equal(classify.record.status, 'completed', classify.record.message);
  Object.assign(runs, { text: text.runDir, classify: classify.runDir });
  fs.mkdirSync(inputsDir);
});

/** Every file under a folder with its size and modification time, to tell that nothing was written there. */
function snapshot(folder: string): string {
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const stat = fs.lstatSync(file);
      return `${path.relative(folder, file)} ${stat.size} ${stat.mtimeMs}`;
    })
    .sort()
    .join('\n');
}

/** The paths of every field of a JSON value, nested objects and arrays included (the root is the empty path). */
function fieldPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((key) => fieldPaths((value as Record<string | number, unknown>)[key], [...prefix, key]))];
}

/** JSON values of every type, to put where another type belongs. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1.5, 1e308, '', 'x', '../../etc/passwd', [], {}, [1], { length: -1 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A position in anything, unbiased (fast-check favours small numbers): taken modulo the length of what it picks from. */
const pick = fc.noBias(fc.nat());

/** One damage to a file's text or bytes; `at` picks a byte or a JSON field (modulo their number). */
type Damage =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'wrongType'; at: number; value: unknown }
  | { kind: 'delete' }
  | { kind: 'missingLink' }
  | { kind: 'folderLink' };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: pick }),
  fc.record({ kind: fc.constant('flip' as const), at: pick, bit: fc.integer({ min: 0, max: 7 }) }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wrongType' as const), at: pick, value: wrongValue }) },
  fc.constantFrom<Damage>({ kind: 'delete' }, { kind: 'missingLink' }, { kind: 'folderLink' }),
);

/** Bytes with one damage of the contents kinds (truncated, a bit flipped, a JSON field given a wrong type). */
function damaged(bytes: Buffer, how: Damage): Buffer {
  const position = ('at' in how ? how.at : 0) % Math.max(1, bytes.length);
  if (how.kind === 'truncate') return bytes.subarray(0, position);
  if (how.kind === 'flip') {
    const copy = Buffer.from(bytes);
    if (copy.length > 0) copy[position] ^= 1 << how.bit;
    return copy;
  }
  if (how.kind !== 'wrongType') return bytes;
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return Buffer.from(JSON.stringify(how.value) ?? 'null');
  }
  const paths = fieldPaths(json);
  const at = paths[how.at % paths.length];
  if (at.length === 0) return Buffer.from(JSON.stringify(how.value));
  let parent = json as Record<string | number, unknown>;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[at[at.length - 1]] = how.value;
  return Buffer.from(JSON.stringify(json));
}

/** A real run.json's text, damaged. */
const runJsonText = fc
  .tuple(fc.constantFrom<'text' | 'classify'>('text', 'classify'), damage)
  .map(([run, how]) => ({ run, how }))
  .filter(({ how }) => how.kind === 'truncate' || how.kind === 'flip' || how.kind === 'wrongType');

fuzzSurface('run.json parser: a real record truncated, bit-flipped or wrong-typed', runJsonText, ({ run, how }) => {
  const record = parseRunRecord(damaged(fs.readFileSync(path.join(runs[run], RUN_FILE)), how).toString('utf8'), runs[run]);
  assert.ok(typeof record === 'object' && record !== null && typeof record.id === 'string', 'an accepted record is an object with an id');
});

/** Metrics lines: real ones, damaged ones, and any JSON, one a line. */
const metricsText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '{"kind":"train","step":1,"epoch":0,"loss":2.5,"seconds":0.1,"lr":0.01}',
        '{"kind":"val","step":1,"epoch":0,"valLoss":2.4,"seconds":0.2}',
      ),
      fc.constantFrom('{"kind":"event","step":1,"message":"done","seconds":0.3}', '{"kind":"train","step":"1"}', '{"kind":"other"}', '{"kind":', '', '\r'),
      fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
      fc.string({ unit: 'binary', maxLength: 40 }),
    ),
    { maxLength: 30 },
  )
  .map((lines) => lines.join('\n') + '\n');

fuzzSurface(
  'metrics.jsonl parser: real, damaged and wrong-typed lines',
  metricsText,
  (text) => parseMetricsLines(text),
  (text, outcome) => {
    if (!outcome.ok) return;
    // Every line kept is a metrics line that the chart and the tail can read; damaged lines are skipped.
    for (const line of parseMetricsLines(text)) {
      assert.ok(typeof line === 'object' && line !== null && !Array.isArray(line), `a kept line is not an object: ${JSON.stringify(line)}`);
      assert.ok(['train', 'val', 'event'].includes(line.kind), `a kept line has kind ${JSON.stringify(line.kind)}`);
      assert.ok(Number.isFinite(line.step), `a kept line has step ${JSON.stringify(line.step)}`);
    }
  },
);

/** Which run, which of the files loadRun reads (modulo their number, in name order), and the damage. */
interface RunFolderInput {
  run: 'text' | 'classify';
  file: number;
  how: Damage;
}

const runFolderInput: fc.Arbitrary<RunFolderInput> = fc.record({
  run: fc.constantFrom<'text' | 'classify'>('text', 'classify'),
  file: pick,
  how: damage,
});

/** The files loadRun reads: the record, the best checkpoint and its weights, a classifier's prior. */
const LOADED_FILES = /^(run\.json|model\.json|naive-bayes\.json|weights-\d+\.bin)$/;

/** A fresh copy of the run with one file damaged; returns the copy's folder and the damaged file's name. */
function damagedCopy({ run, file, how }: RunFolderInput): { runDir: string; name: string } {
  const runDir = path.join(inputsDir, `input-${inputCount++}`);
  fs.cpSync(runs[run], runDir, { recursive: true });
  const names = fs
    .readdirSync(runDir)
    .filter((name) => LOADED_FILES.test(name))
    .sort();
  const name = names[file % names.length];
  const target = path.join(runDir, name);
  if (how.kind === 'delete') fs.rmSync(target);
  else if (how.kind === 'missingLink' || how.kind === 'folderLink') {
    fs.rmSync(target);
    fs.symlinkSync(how.kind === 'missingLink' ? path.join(runDir, 'missing-file') : inputsDir, target);
  } else fs.writeFileSync(target, damaged(fs.readFileSync(target), how));
  return { runDir, name };
}

fuzzSurface('run loader: a real run folder with one file truncated, bit-flipped, wrong-typed, deleted or a symlink', runFolderInput, async (input) => {
  const { runDir } = damagedCopy(input);
  const untouched = { source: snapshot(path.dirname(runs.text)), cwd: fs.readdirSync(process.cwd()).sort().join('\n') };
  const tensors = tf.memory().numTensors;
  try {
    const run = await loadRun(runDir);
    run.model.dispose();
  } finally {
    // Nothing written outside the input's copy: the trained runs and the working folder are as they were.
    assert.equal(snapshot(path.dirname(runs.text)), untouched.source, 'the trained runs changed');
    assert.equal(fs.readdirSync(process.cwd()).sort().join('\n'), untouched.cwd, 'the working folder changed');
    assert.deepEqual(fs.readdirSync(inputsDir), [path.basename(runDir)], 'something was written beside the copy');
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  // A refused run keeps no tensor allocated (a leak per damaged run would grow without end in a long session).
  assert.equal(tf.memory().numTensors, tensors, 'tensors were left allocated');
});
