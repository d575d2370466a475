// Tests for option defaults and validation messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULTS, isSeriesFile, resolveTrainArgs } from './config';

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

test('the extension settings default to the engine defaults (one source of truth, mirrored in package.json)', () => {
  const manifestFile = path.join(__dirname, '../../../package.json'); // from out/src/engine
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default: unknown }> } };
  };
  const properties = manifest.contributes.configuration.properties;
  const training = Object.entries(properties).filter(([key]) => key.startsWith('seqlab.training.'));
  assert.ok(training.length >= 15);
  for (const [key, { default: value }] of training)
    assert.deepEqual([key, value], [key, DEFAULTS[key.slice('seqlab.training.'.length) as keyof typeof DEFAULTS]]);
  assert.equal(properties['seqlab.backend'].default, DEFAULTS.backend);
});

test('CSV and TSV files are series, by extension and in any case; anything else is text', () => {
  assert.deepEqual(['a.csv', '/d/B.TSV', 'x.txt', 'csv', '/d.csv/notes.md'].map(isSeriesFile), [true, true, false, false, false]);
});
