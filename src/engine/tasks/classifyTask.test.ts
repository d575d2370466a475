// Tests of the classify task: word order that naive Bayes cannot see, keywords both find, misclassified rows, resuming and evaluating a run, and --init-from a text run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../../testHelpers';
import { initBackend } from '../backend';
import { SequenceModel } from '../model';
import { loadModel } from '../modelCheckpoint';
import { classifyTexts, evaluateRun, loadRun } from '../predict';
import { Rng } from '../rng';
import { train } from '../train';
import { ClassifyTask } from './classifyTask';
import { createTask } from './createTask';
import { readSource } from '../source';
import { resolveTrainArgs, type TrainArgs } from '../../shared/options';
import { NAIVE_BAYES_FILE, type ClassifyDataInfo, type RunSummary } from '../../shared/runFolder';

const dir = tempDir('seqlab-classify-task-test-');
const FILLERS = ['red', 'blue', 'green', 'pink', 'gray', 'gold', 'teal', 'plum', 'rust', 'sand'];

/** A TSV of `rows` texts and labels, with a header. */
function writeTsv(name: string, rows: [string, string][]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, ['text\tlabel', ...rows.map(([text, label]) => `${text}\t${label}`)].join('\n') + '\n');
  return file;
}

/** `count` filler words. */
function fillers(rng: Rng, count: number): string[] {
  return Array.from({ length: count }, () => FILLERS[rng.int(FILLERS.length)]);
}

/**
 * Texts of filler words with "apple" and "banana" somewhere inside (never first, last or side by side), labelled by
 * which comes first: both classes have the same words and word pairs, so a bag of words and bigrams cannot tell them apart.
 */
function orderRows(count: number, seed: number): [string, string][] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const [a, b, c] = [1 + rng.int(2), 1 + rng.int(2), 1 + rng.int(2)];
    const appleFirst = rng.int(2) === 0;
    const words = [...fillers(rng, a), appleFirst ? 'apple' : 'banana', ...fillers(rng, b), appleFirst ? 'banana' : 'apple', ...fillers(rng, c)];
    return [words.join(' '), appleFirst ? 'apple-first' : 'banana-first'];
  });
}

/** Texts of filler words with one keyword among them, labelled by the keyword. */
function keywordRows(count: number, seed: number): [string, string][] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const good = rng.int(2) === 0;
    const words = fillers(rng, 2 + rng.int(5));
    words.splice(rng.int(words.length + 1), 0, good ? 'great' : 'awful');
    return [words.join(' '), good ? 'pos' : 'neg'];
  });
}

/** Small, quick classifier options. */
const SMALL: Partial<TrainArgs> = { backend: 'wasm', cell: 'lstm', hidden: 24, embedding: 8, tokens: 'word', batch: 32, lr: 0.01, threads: 1, patience: 0 };

async function trainClassifier(file: string, args: Partial<TrainArgs>) {
  const result = await train({ file, runsDir: path.join(dir, 'runs'), args: { task: 'classify', ...SMALL, ...args } });
  assert.equal(result.record.status, 'completed', result.record.message);
  const summary = result.record.summary as Extract<RunSummary, { task: 'classify' }>;
  assert.equal(summary.task, 'classify');
  return { result, summary };
}

const orderFile = writeTsv('order.tsv', orderRows(800, 1));

test('word order: the RNN learns which word comes first, which naive Bayes cannot see', async () => {
  const { summary } = await trainClassifier(orderFile, { epochs: 30 });
  assert.ok(summary.metrics.accuracy > 0.9, `model accuracy ${summary.metrics.accuracy}`);
  assert.ok(summary.baselines.naiveBayes.accuracy < 0.7, `naive Bayes accuracy ${summary.baselines.naiveBayes.accuracy}`);
  assert.ok(summary.metrics.accuracy > summary.baselines.naiveBayes.accuracy + 0.2);
});

test('the misclassified test rows: most confident first, each with its file line, text, label and prediction', async () => {
  await initBackend('wasm');
  const task = new ClassifyTask(fs.readFileSync(orderFile, 'utf8'), resolveTrainArgs({ ...SMALL, task: 'classify', test: 0.4 }));
  const model = SequenceModel.create(task.spec, 1);
  const { metrics, errors } = await task.evaluate(model);
  model.dispose();
  const wrong = task.dataInfo.rows.test - metrics.confusion.matrix.reduce((sum, row, a) => sum + row[a], 0);
  assert.ok(wrong > 0);
  assert.equal(errors.length, Math.min(200, wrong));
  const lines = fs.readFileSync(orderFile, 'utf8').split('\n');
  errors.forEach((error, k) => {
    assert.equal(lines[error.line - 1], `${error.text}\t${error.label}`);
    assert.notEqual(error.predicted, error.label);
    if (k > 0) assert.ok(error.confidence <= errors[k - 1].confidence);
  });
});

test('--prior naive-bayes: an untrained classifier labels as naive Bayes does; prediction reads the prior from the run folder', async () => {
  await initBackend('wasm');
  const file = writeTsv('prior.tsv', keywordRows(200, 7));
  const task = new ClassifyTask(readSource({ file }).text, resolveTrainArgs({ ...SMALL, task: 'classify', test: 0.3 }));
  assert.equal(task.spec.residual, true);
  assert.ok(task.dataInfo.prior && task.dataInfo.prior.scale > 0, 'the prior has a temperature');
  assert.match(task.notes.join('\n'), /learns a correction to naive Bayes/);
  const model = SequenceModel.create(task.spec, 1);
  const { metrics, baselines } = await task.evaluate(model);
  assert.deepEqual(metrics.confusion, baselines.naiveBayes.confusion);
  model.dispose();
  const plain = new ClassifyTask(readSource({ file }).text, resolveTrainArgs({ ...SMALL, task: 'classify', prior: 'none' }));
  assert.equal(plain.spec.residual, undefined);
  assert.equal(plain.dataInfo.prior, null);
  assert.deepEqual(plain.modelFiles(), {});

  const { result } = await trainClassifier(file, { epochs: 1 });
  const counts = path.join(result.runDir, NAIVE_BAYES_FILE);
  assert.ok(fs.existsSync(counts), 'the run folder keeps the counts');
  const run = await loadRun(result.runDir);
  const [labels] = classifyTexts(run, ['red great blue']).map((r) => r.labels);
  assert.equal(labels[0].label, 'pos');
  run.model.dispose();
  fs.writeFileSync(counts, '{"alpha": 1');
  await assert.rejects(loadRun(result.runDir), /naive-Bayes prior of .* cannot be read .*Restore its naive-bayes.json, or train a new run/);
});

test('keywords: the model and naive Bayes both label nearly every test text right; evaluating and resuming the run', async () => {
  const file = writeTsv('keywords.tsv', keywordRows(400, 2));
  const { result, summary } = await trainClassifier(file, { epochs: 15, pool: 'max' });
  assert.ok(summary.metrics.accuracy >= 0.95, `model accuracy ${summary.metrics.accuracy}`);
  assert.ok(summary.baselines.naiveBayes.accuracy >= 0.95, `naive Bayes accuracy ${summary.baselines.naiveBayes.accuracy}`);
  assert.ok(Math.abs(summary.baselines.majority.accuracy - 0.5) < 0.15, `majority accuracy ${summary.baselines.majority.accuracy}`);
  const data = result.record.data as ClassifyDataInfo;
  assert.deepEqual([data.textColumn, data.labelColumn, data.header], ['text', 'label', true]);
  assert.equal(data.rows.train + data.rows.val + data.rows.test, 400);
  assert.equal(data.parent, null);

  const run = await loadRun(result.runDir);
  const [labels] = classifyTexts(run, ['red blue great gold']).map((r) => r.labels);
  assert.equal(labels[0].label, 'pos');
  assert.ok(labels[0].prob >= labels[1].prob && Math.abs(labels[0].prob + labels[1].prob - 1) < 1e-5);
  // Evaluating again on the run's own split gives the figures of the run; on another file, every row is scored.
  const again = (await evaluateRun(run)) as typeof summary;
  assert.ok(Math.abs(again.metrics.accuracy - summary.metrics.accuracy) < 1e-9);
  const other = (await evaluateRun(run, writeTsv('keywords-other.tsv', keywordRows(50, 3)))) as typeof summary;
  assert.equal(
    other.metrics.confusion.matrix.flat().reduce((a, b) => a + b, 0),
    50,
  );
  run.model.dispose();

  // Resuming trains on from the checkpoint with the same vocabulary, labels and split.
  const resumed = await train({ resume: result.runDir, args: { epochs: 17 } });
  assert.equal(resumed.record.status, 'completed', resumed.record.message);
  assert.deepEqual(resumed.record.data, result.record.data);
  assert.ok(resumed.record.progress.step > result.record.progress.step);
});

test('task auto picks classify for a TSV of texts with labels, and series when --column is given', async () => {
  const file = writeTsv('auto.tsv', keywordRows(60, 4));
  const args = resolveTrainArgs({ tokens: 'word' });
  assert.equal(createTask(readSource({ file }), args).kind, 'classify');
  const numbers = path.join(dir, 'numbers.csv');
  fs.writeFileSync(numbers, 'value\n' + Array.from({ length: 200 }, (_, t) => String(Math.sin(t))).join('\n'));
  assert.equal(createTask(readSource({ file: numbers }), args).kind, 'series');
});

test('--init-from: the classifier starts from the text run’s vocabulary, embedding and recurrent layers, with a fresh head', async () => {
  const sentences = orderRows(300, 5).map(([text]) => text);
  const text = await train({
    text: sentences.join('.\n'),
    runsDir: path.join(dir, 'runs'),
    args: { backend: 'wasm', cell: 'gru', hidden: 20, embedding: 6, layers: 1, tokens: 'word', seqLen: 16, epochs: 1, threads: 1 },
  });
  assert.equal(text.record.status, 'completed', text.record.message);
  const file = writeTsv('order-small.tsv', orderRows(120, 6));
  await initBackend('wasm');
  const args = resolveTrainArgs({ ...SMALL, task: 'classify', initFrom: text.runDir, hidden: 64 });
  const task = new ClassifyTask(readSource({ file }).text, args);
  assert.deepEqual(task.argOverrides, { cell: 'gru', hidden: 20, layers: 1, embedding: 6 });
  assert.match(task.notes.join('\n'), /Replaces --cell lstm, --hidden 64, --embedding 8/);
  assert.deepEqual(task.dataInfo.vocab, (text.record.data as { vocab: string[] }).vocab);
  assert.deepEqual(task.dataInfo.parent, { id: text.record.id, runDir: path.resolve(text.runDir) });

  const model = SequenceModel.create(task.spec, 7);
  const fresh = model.namedWeights()['head/w'].arraySync();
  task.initModel(model);
  const parent = loadModel(text.runDir);
  const source = parent.namedWeights();
  const copied = model.namedWeights();
  for (const name of ['embedding', 'layer0/w_ih', 'layer0/w_hh', 'layer0/b_ih', 'layer0/b_hh'])
    assert.deepEqual(copied[name].arraySync(), source[name].arraySync(), name);
  assert.deepEqual(copied['head/w'].arraySync(), fresh, 'the head keeps its own initialisation');
  assert.deepEqual(copied['head/w'].shape, [20, 2]);
  model.dispose();
  parent.dispose();

  // Trained through train(), run.json records the parent and the sizes used.
  const { result } = await trainClassifier(file, { initFrom: text.runDir, epochs: 1 });
  assert.deepEqual((result.record.data as ClassifyDataInfo).parent, { id: text.record.id, runDir: path.resolve(text.runDir) });
  assert.deepEqual([result.record.config.cell, result.record.config.hidden, result.record.model.cell], ['gru', 20, 'gru']);

  // Refusals: not a run folder, not a text run, other tokens.
  const source2 = readSource({ file }).text;
  const refuse = (initFrom: string, extra: Partial<TrainArgs>, message: RegExp) =>
    assert.throws(() => new ClassifyTask(source2, resolveTrainArgs({ ...SMALL, ...extra, task: 'classify', initFrom })), message);
  refuse(dir, {}, /^UsageError: --init-from: .* is not a SeqLab run folder/);
  refuse(result.runDir, {}, /--init-from .* is a classify run: pass a text run/);
  refuse(text.runDir, { tokens: 'char' }, /reads word tokens but --tokens is char: pass --tokens word/);
});
