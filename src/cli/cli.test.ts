// Tests of the seqlab command as users and tools run it: --json output, one-line errors and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-cli-test-'));
const runsDir = path.join(dir, 'runs');

function seqlab(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('train --json prints one object with the contract fields, and predict/generate use the run', () => {
  const train = seqlab(['train', '--text', 'hello'.repeat(30), '--cell', 'rnn', '--hidden', '16', '--seq-len', '8', '--epochs', '3', '--lr', '0.01', '--runs-dir', runsDir, '--json']);
  assert.equal(train.status, 0, train.stderr);
  const result = JSON.parse(train.stdout);
  for (const key of ['runDir', 'task', 'backend', 'cell', 'params', 'epochs', 'steps', 'seconds', 'tokensPerSecond', 'peakRssMB', 'metrics', 'baselines']) assert.ok(key in result, key);
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

/** Bad inputs: each exits non-zero with one line on stderr that names the problem (and no stack trace). */
const train = (...args: string[]) => ['train', ...args, '--runs-dir', runsDir];
const BAD: [string, () => string[], RegExp][] = [
  ['a missing file', () => train(path.join(dir, 'nope.txt')), /does not exist/],
  ['an empty file', () => train(write('empty.txt', '')), /empty/],
  ['a binary file', () => train(write('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))), /binary/],
  ['invalid UTF-8', () => train(write('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0x41]))), /not valid UTF-8/],
  ['hidden 0', () => train('--text', 'hello', '--hidden', '0'), /--hidden must be a whole number from 1/],
  ['a learning rate that is not a number', () => train('--text', 'hello', '--lr', 'fast'), /"fast" is not a number/],
  ['an unknown cell', () => train('--text', 'hello', '--cell', 'transformer'), /transformer/],
  ['an unknown backend', () => train('--text', 'hello', '--backend', 'gpu'), /gpu/],
  ['a CSV with a non-numeric target', () => train(write('words.csv', 'date,name\n2024-01-01,ann\n2024-01-02,bob\n'), '--column', 'name'), /name/],
  ['a CSV with a single row', () => train(write('one.csv', 'value\n1\n')), /row/],
  ['a CSV shorter than lookback + horizon', () => train(write('short.csv', 'v\n' + Array.from({ length: 30 }, (_, i) => i).join('\n'))), /too few for --lookback 48 and --horizon 12/],
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
if (tfjsNodeMissing) BAD.push(['a backend asked for that cannot load', () => train('--text', 'hello', '--backend', 'tensorflow'), /The tensorflow backend could not load .*Use --backend auto/]);

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
