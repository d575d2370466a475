// Fuzzing training end to end: generated text, CSV, series and labelled files with any task and small random options, trained for an epoch; each works or is refused, nothing is written outside the run store, a refusal leaves no run folder, and no tensor outlives its run.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { fuzzSurface, recordWrites, writtenOutside } from '../fuzzHelpers';
import { tempDir } from '../testHelpers';
import type { TrainArgs } from '../shared/options';
import { csvText, seriesCsv } from './data/csv/csvArbitraries';
import { labelledFile } from './data/labelledArbitraries';
import { encodedFile } from './data/textArbitraries';
import { train } from './train';

const dir = tempDir('seqlab-train-fuzz-');
/** Where each input's file is written; training must leave this folder as it was. */
const dataDir = path.join(dir, 'data');
/** The run store: the only place training may write. */
const runsDir = path.join(dir, 'runs');
fs.mkdirSync(dataDir);

/** A data file of any kind: bytes of every encoding, CSVs of every dialect, series-shaped CSVs, labelled texts. */
const dataFile = fc.oneof(
  encodedFile.map((file) => ({ name: 'data.txt', bytes: file.bytes })),
  csvText.map((text) => ({ name: 'data.csv', bytes: Buffer.from(text) })),
  seriesCsv.map((text) => ({ name: 'series.csv', bytes: Buffer.from(text) })),
  labelledFile.map((text) => ({ name: 'labelled.tsv', bytes: Buffer.from(text) })),
);

/** Small options of every task (valid ones: the CLI surface fuzzes their parsing), so that one epoch takes milliseconds. */
const smallArgs: fc.Arbitrary<Partial<TrainArgs>> = fc.record(
  {
    task: fc.constantFrom('auto', 'text', 'series', 'classify'),
    cell: fc.constantFrom('rnn', 'lstm', 'gru'),
    hidden: fc.integer({ min: 1, max: 8 }),
    layers: fc.integer({ min: 1, max: 2 }),
    embedding: fc.integer({ min: 1, max: 8 }),
    tokens: fc.constantFrom('char', 'word'),
    seqLen: fc.integer({ min: 1, max: 24 }),
    pool: fc.constantFrom('last', 'mean', 'max'),
    prior: fc.constantFrom('naive-bayes', 'none'),
    lookback: fc.integer({ min: 0, max: 24 }),
    horizon: fc.integer({ min: 1, max: 6 }),
    residual: fc.constantFrom('auto', 'none', 'naive', 'seasonal', 'ets'),
    calendar: fc.constantFrom('auto', 'off'),
    batch: fc.integer({ min: 1, max: 16 }),
    val: fc.constantFrom(0.01, 0.05, 0.2),
    test: fc.constantFrom(0.01, 0.05, 0.2),
  },
  { requiredKeys: ['task', 'hidden', 'embedding'] },
) as fc.Arbitrary<Partial<TrainArgs>>;

/** What the last input wrote (refused or not), and how its run ended, for the check after it. */
const written: string[] = [];
let ended: { status: string; message?: string } | undefined;
/** Tensors allocated before the input (the engine's count: it exists before training picks a backend). */
let tensorsBefore = 0;

fuzzSurface(
  'training: any file, task and small options, one epoch',
  fc.tuple(dataFile, smallArgs),
  async ([file, args]) => {
    // Each input starts from an empty store and a data folder holding only its file, even after a failed one.
    fs.rmSync(runsDir, { recursive: true, force: true });
    for (const name of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, name));
    const data = path.join(dataDir, file.name);
    fs.writeFileSync(data, file.bytes);
    ended = undefined;
    written.length = 0;
    tensorsBefore = tf.engine().state.numTensors;
    await recordWrites(async () => {
      const result = await train({
        file: data,
        runsDir,
        args: { ...args, epochs: 1, maxSeconds: 0.05, backend: 'cpu', threads: 1, maxEvalItems: 64, maxOrigins: 5 },
      });
      ended = result.record;
    }, written);
  },
  ([file], outcome) => {
    const outside = writtenOutside(written, runsDir);
    assert.deepEqual(outside, [], 'nothing is written outside the run store');
    const runs = fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : [];
    if (!outcome.ok) assert.deepEqual(runs, [], `a refused input leaves no run folder (${outcome.message})`);
    else {
      assert.equal(runs.length, 1, 'a trained input leaves one run folder');
      // A run may stop on divergence; an exception inside the loop or the final evaluation is a bug.
      assert.ok(
        ended?.status === 'completed' || !/Training failed at step|final evaluation failed/.test(ended?.message ?? ''),
        `the run ended ${ended?.status}: ${ended?.message}`,
      );
    }
    assert.deepEqual(fs.readdirSync(dataDir), [file.name], 'the data folder holds only the input');
    assert.equal(tf.engine().state.numTensors, tensorsBefore, 'every tensor of the run (or of the refusal) is disposed');
  },
);
