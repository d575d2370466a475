// Tests of the classifier on the command line: train --json's shape, classify --text --json, and --file writing beside the data, never over a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../engine/rng';
import { runCli, tempDir } from '../testHelpers';

const dir = tempDir('seqlab-classify-cli-test-');
const WORDS = ['red', 'blue', 'green', 'pink', 'gray', 'gold', 'teal', 'plum'];

/** A CSV of short texts labelled by their keyword, with a header and an extra id column. */
function keywordCsv(rows: number): string {
  const rng = new Rng(1);
  const lines = ['id,text,label'];
  for (let r = 0; r < rows; r++) {
    const good = r % 2 === 0;
    const words = Array.from({ length: 3 }, () => WORDS[rng.int(WORDS.length)]);
    lines.push(`${r},"${words[0]}, ${good ? 'great' : 'awful'} ${words[1]} ${words[2]}",${good ? 'pos' : 'neg'}`);
  }
  return lines.join('\n') + '\n';
}

const data = path.join(dir, 'reviews.csv');
fs.writeFileSync(data, keywordCsv(120));
const trained = runCli([
  'train',
  data,
  '--tokens',
  'word',
  '--hidden',
  '16',
  '--embedding',
  '8',
  '--epochs',
  '8',
  '--lr',
  '0.02',
  '--runs-dir',
  path.join(dir, 'runs'),
  '--json',
]);

test('train --json on labelled texts: task classify, the metrics and both baselines', () => {
  assert.equal(trained.status, 0, trained.stderr);
  const result = JSON.parse(trained.stdout);
  assert.equal(result.task, 'classify');
  assert.equal(typeof result.tokensPerSecond, 'number');
  for (const metrics of [result.metrics, result.baselines.majority, result.baselines.naiveBayes]) {
    for (const key of ['accuracy', 'macroF1', 'logLoss']) assert.equal(typeof metrics[key], 'number', key);
    assert.deepEqual(Object.keys(metrics.perClass).sort(), ['neg', 'pos']);
    assert.deepEqual(metrics.confusion.labels, ['pos', 'neg']);
  }
  assert.ok(result.metrics.accuracy > 0.9, `accuracy ${result.metrics.accuracy}`);
});

test('the text summary shows the model beside the baselines and the confusion matrix', () => {
  const runDir = JSON.parse(trained.stdout).runDir;
  const evaluated = runCli(['eval', runDir]);
  assert.equal(evaluated.status, 0, evaluated.stderr);
  assert.match(evaluated.stdout, /accuracy +macro-F1 +log loss/);
  assert.match(evaluated.stdout, /^model /m);
  assert.match(evaluated.stdout, /^majority /m);
  assert.match(evaluated.stdout, /^naive Bayes /m);
  assert.match(evaluated.stdout, /Confusion matrix \(rows: actual, columns: predicted\):\n +pos +neg\npos +\d+ +\d+\nneg +\d+ +\d+/);
});

test('classify --text --json: every label with its probability, most likely first', () => {
  const runDir = JSON.parse(trained.stdout).runDir;
  const result = runCli(['classify', runDir, '--text', 'blue, great pink', '--json']);
  assert.equal(result.status, 0, result.stderr);
  const { labels } = JSON.parse(result.stdout);
  assert.deepEqual(
    labels.map((l: { label: string }) => l.label),
    ['pos', 'neg'],
  );
  assert.ok(labels[0].prob > labels[1].prob);
  assert.ok(Math.abs(labels[0].prob + labels[1].prob - 1) < 1e-5);
});

test('classify --file writes <stem>.labelled.csv beside the file, then a new name, never over a file', () => {
  const runDir = JSON.parse(trained.stdout).runDir;
  const input = path.join(dir, 'new.csv');
  const original = 'id,text\n1,"red, great blue"\n2,"gray, awful green"\n3,plain\n';
  fs.writeFileSync(input, original);
  const first = runCli(['classify', runDir, '--file', input, '--json']);
  assert.equal(first.status, 0, first.stderr);
  const written = JSON.parse(first.stdout);
  assert.equal(written.output, path.join(dir, 'new.labelled.csv'));
  assert.equal(written.textColumn, 'text');
  const lines = fs.readFileSync(written.output, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'id,text,predicted,probability');
  assert.match(lines[1], /^1,"red, great blue",pos,(0\.\d+|1)$/);
  assert.match(lines[2], /^2,"gray, awful green",neg,(0\.\d+|1)$/);
  assert.equal(lines.length, 4);

  const second = runCli(['classify', runDir, '--file', input, '--json']);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(JSON.parse(second.stdout).output, path.join(dir, 'new.labelled-2.csv'));
  assert.equal(fs.readFileSync(input, 'utf8'), original, 'the input is never written');
  assert.equal(fs.readFileSync(written.output, 'utf8').trim().split('\n').length, 4, 'the first output is kept');

  const neither = runCli(['classify', runDir]);
  assert.notEqual(neither.status, 0);
  assert.match(neither.stderr, /Give --text "\.\.\." to classify one text, or --file <csv>/);
});
