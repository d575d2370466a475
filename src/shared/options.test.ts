// The options table against what derives from it: package.json's settings (every field, ranges included), validation and Customize.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  customizableOptions,
  DEFAULTS,
  isSeriesFile,
  resolveGenerateArgs,
  resolveTrainArgs,
  settingKey,
  settingSchema,
  TRAIN_OPTIONS,
  UsageError,
  type TrainOptionName,
} from './options';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
const properties: Record<string, unknown> = pkg.contributes.configuration.properties;
const names = Object.keys(TRAIN_OPTIONS) as TrainOptionName[];

test('package.json contributes exactly the settings of the options table, every field as the table derives it (npm run gen:settings writes them)', () => {
  const withSetting = names.filter((name) => TRAIN_OPTIONS[name].place !== 'run');
  assert.deepEqual(
    Object.keys(properties).filter((key) => key.startsWith('seqlab.training.')),
    withSetting.map(settingKey),
  );
  for (const name of withSetting) {
    assert.deepEqual(properties[settingKey(name)], settingSchema(name), `${settingKey(name)} in package.json`);
    assert.equal(nls[`seqlab.config.training.${name}`], TRAIN_OPTIONS[name].doc.replace(/`(seqlab\.[A-Za-z.]+)`/g, '`#$1#`'), `${name}'s description`);
  }
});

test('every numeric default lies in its range and every choice default is a choice', () => {
  assert.doesNotThrow(() => resolveTrainArgs({}));
  for (const name of names) {
    const option = TRAIN_OPTIONS[name];
    if (option.kind === 'number') assert.ok(option.default >= option.min && option.default <= option.max, name);
    if (option.kind === 'choice') assert.ok((option.choices as readonly string[]).includes(option.default), name);
  }
});

test('validation names the flag and the range from the table', () => {
  assert.throws(
    () => resolveTrainArgs({ hidden: 5000 }),
    (e: unknown) => e instanceof UsageError && e.message === '--hidden must be a whole number from 1 to 4096, not 5000.',
  );
  assert.throws(() => resolveTrainArgs({ seqLen: 2.5 }), /--seq-len must be a whole number/);
  assert.throws(() => resolveTrainArgs({ cell: 'transformer' as never }), /--cell must be one of rnn, lstm, gru, not "transformer"/);
  assert.throws(() => resolveTrainArgs({ season: 0 }), /--season must be "auto" or a whole number from 1/);
  assert.throws(() => resolveTrainArgs({ stateful: 'yes' as never }), /--stateful must be true or false/);
  assert.throws(() => resolveTrainArgs({ levels: [80, 80] }), /given twice/);
  assert.throws(() => resolveTrainArgs({ val: 0.5, test: 0.4 }), /under 0.8/);
  assert.equal(resolveTrainArgs({ column: 'Temp', inputs: ['a', 2] }).column, 'Temp');
});

test('unknown keys and undefined values are left out, so CLI-only flags do not reach the run', () => {
  const args = resolveTrainArgs({ hidden: undefined, json: true } as never);
  assert.equal(args.hidden, DEFAULTS.hidden);
  assert.equal('json' in args, false);
});

test('generation options are checked against the table, minLength against the length', () => {
  assert.equal(resolveGenerateArgs({ length: 10 }).topP, 1);
  assert.throws(() => resolveGenerateArgs({ topP: 1.5 }), /--top-p must be a number from 0 to 1, not 1.5/);
  assert.throws(() => resolveGenerateArgs({ repetitionPenalty: 0.5 }), /--repetition-penalty must be a number from 1 to 10/);
  assert.throws(() => resolveGenerateArgs({ length: 5, minLength: 6 }), /--min-length must be at most the --length \(5\)/);
});

test('Customize offers the options of the task, the common ones first, and never a per-run one', () => {
  const text = customizableOptions('text');
  const series = customizableOptions('series');
  assert.deepEqual(text.slice(0, 5), ['cell', 'hidden', 'layers', 'tokens', 'seqLen']);
  assert.ok(text.includes('embedding') && !text.includes('horizon') && !text.includes('column'));
  assert.ok(series.includes('horizon') && series.includes('levels') && !series.includes('tokens') && !series.includes('inputs'));
  const firstMore = series.findIndex((name) => TRAIN_OPTIONS[name].place === 'more');
  assert.ok(series.slice(firstMore).every((name) => TRAIN_OPTIONS[name].place === 'more'));
});

test('defaults apply, and only known training options are kept', () => {
  const args = resolveTrainArgs({ hidden: 64, runsDir: '/tmp' } as never);
  assert.equal(args.hidden, 64);
  assert.equal(args.cell, DEFAULTS.cell);
  assert.equal('runsDir' in args, false);
});

test('bad values are refused with a message naming the flag and the accepted range', () => {
  assert.throws(() => resolveTrainArgs({ hidden: 0 }), /--hidden must be a whole number from 1 to 4096, not 0/);
  assert.throws(() => resolveTrainArgs({ hidden: -5 }), /--hidden/);
  assert.throws(() => resolveTrainArgs({ seqLen: 0 }), /--seq-len must be/);
  assert.throws(() => resolveTrainArgs({ lr: Number.NaN }), /--lr must be a number/);
  assert.throws(() => resolveTrainArgs({ cell: 'transformer' as never }), /--cell must be one of rnn, lstm, gru/);
  assert.throws(() => resolveTrainArgs({ backend: 'gpu' as never }), /--backend must be one of auto, tensorflow, wasm, cpu/);
  assert.throws(() => resolveTrainArgs({ season: 0 }), /--season must be "auto" or a whole number/);
  assert.throws(() => resolveTrainArgs({ val: 0.5, test: 0.4 }), /keep it under 0.8/);
});

test('CSV and TSV files are series, by extension and in any case; anything else is text', () => {
  assert.deepEqual(['a.csv', '/d/B.TSV', 'x.txt', 'csv', '/d.csv/notes.md'].map(isSeriesFile), [true, true, false, false, false]);
});
