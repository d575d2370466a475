// Tests of the seqlab command as users and tools run it: --json output, one-line errors and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempDir } from '../testHelpers';

const dir = tempDir('seqlab-cli-test-');
const runsDir = path.join(dir, 'runs');
const seqlab = (args: string[], input?: string) => runCli(args, { input });

test('train --json prints one object with the contract fields, and predict/generate use the run', () => {
  const train = seqlab([
    'train',
    '--text',
    'hello'.repeat(30),
    '--cell',
    'rnn',
    '--hidden',
    '16',
    '--seq-len',
    '8',
    '--epochs',
    '3',
    '--lr',
    '0.01',
    '--runs-dir',
    runsDir,
    '--json',
  ]);
  assert.equal(train.status, 0, train.stderr);
  const result = JSON.parse(train.stdout);
  for (const key of ['runDir', 'task', 'backend', 'cell', 'params', 'epochs', 'steps', 'seconds', 'tokensPerSecond', 'peakRssMB', 'metrics', 'baselines'])
    assert.ok(key in result, key);
  for (const key of ['valLoss', 'perplexity', 'bitsPerChar', 'accuracy']) assert.equal(typeof result.metrics[key], 'number', key);
  assert.equal(typeof result.baselines.bigram.bitsPerChar, 'number');
  assert.match(train.stderr, /Backend: /);

  const predict = seqlab(['predict', result.runDir, '--prompt', 'hel', '--top-k', '2', '--json']);
  assert.equal(predict.status, 0, predict.stderr);
  assert.equal(JSON.parse(predict.stdout).topK.length, 2);
  const generate = seqlab(['generate', result.runDir, '--prompt', 'he', '--length', '5', '--temperature', '0', '--json']);
  assert.equal(typeof JSON.parse(generate.stdout).text, 'string');
  const runs = seqlab(['runs', '--runs-dir', runsDir, '--json']);
  assert.equal(JSON.parse(runs.stdout).length, 1);
});

test('stdin works as the data file', () => {
  const train = seqlab(['train', '-', '--hidden', '8', '--seq-len', '8', '--epochs', '1', '--runs-dir', runsDir, '--json'], 'abcabcabc'.repeat(20));
  assert.equal(train.status, 0, train.stderr);
  assert.equal(JSON.parse(train.stdout).task, 'text');
});

/** A few CLI-level bad inputs (the full corpus is in badInputs.test.ts): each exits non-zero with a one-line reason and no stack trace. */
const train = (...args: string[]) => ['train', ...args, '--runs-dir', runsDir];
const BAD: [string, () => string[], RegExp][] = [
  ['a missing file', () => train(path.join(dir, 'nope.txt')), /does not exist/],
  ['a learning rate that is not a number', () => train('--text', 'hello', '--lr', 'fast'), /"fast" is not a number/],
  ['a CSV with a single row', () => train(write('one.csv', 'value\n1\n')), /row/],
  ['a run folder that is not one', () => ['predict', dir, '--prompt', 'x'], /not a SeqLab run folder/],
];

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** tfjs-node cannot install here; where it can, asking for it is no error. */
const tfjsNodeMissing = (() => {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return false;
  } catch {
    return true;
  }
})();
if (tfjsNodeMissing)
  BAD.push([
    'a backend asked for that cannot load',
    () => train('--text', 'hello', '--backend', 'tensorflow'),
    /The tensorflow backend could not load .*Use --backend auto/,
  ]);

for (const [name, args, message] of BAD) {
  test(`bad input: ${name} gets a one-line reason and a non-zero exit`, () => {
    const result = seqlab(args());
    assert.notEqual(result.status, 0);
    const lines = result.stderr.trim().split('\n');
    assert.match(lines.at(-1) ?? '', message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(result.stdout, '');
  });
}
