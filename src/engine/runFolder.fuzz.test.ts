// Fuzzing the run-folder loader: run.json and metrics.jsonl text truncated, bit-flipped or wrong-typed, and real trained run folders with one file damaged, deleted or replaced by a symlink.
import { before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { fuzzSurface } from '../fuzzHelpers';
import { tempDir } from '../testHelpers';
import { damage, damaged, damageFile, pick, type Damage } from './damageArbitraries';
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
  damageFile(path.join(runDir, name), how, inputsDir);
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
