// Tests for the training memory estimate and the refusal of runs over the --max-memory-mb limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from './backend';
import { assertFitsInMemory, estimateTrainingBytes, formatBytes, parameterCount } from './memory';
import { SequenceModel } from './model';
import { DEFAULTS, UsageError } from '../shared/options';
import type { ClassifyDataInfo, ModelSpec, SeriesDataInfo, TextDataInfo } from '../shared/runFolder';

const textInfo: TextDataInfo = {
  kind: 'text',
  tokens: 'char',
  vocab: Array.from({ length: 60 }, (_, i) => (i === 0 ? '<unk>' : String.fromCharCode(32 + i))),
  trainTokens: 90_000,
  valTokens: 10_000,
  seqLen: 64,
};
const textSpec = (hidden: number, layers = 1): ModelSpec => ({ task: 'text', cell: 'lstm', hidden, layers, dropout: 0, vocabSize: 60, embedding: 32 });
const seriesInfo = { kind: 'series', rows: 10_000, lookback: 48, horizon: 12 } as SeriesDataInfo;
const seriesSpec: ModelSpec = { task: 'series', cell: 'gru', hidden: 64, layers: 2, dropout: 0, inputSize: 3, horizon: 12 };
const classifyInfo = { kind: 'classify', vocab: textInfo.vocab, maxLen: 200, rows: { train: 4000, val: 500, test: 500 } } as ClassifyDataInfo;
const classifySpec: ModelSpec = { ...textSpec(64), task: 'classify', classes: 5, pool: 'mean' };

test('the parameter count matches the model that is built from the spec', async () => {
  await initBackend('cpu');
  for (const spec of [textSpec(16, 2), { ...seriesSpec, hidden: 8 }, { ...seriesSpec, cell: 'rnn' as const, layers: 1 }, { ...classifySpec, layers: 2 }]) {
    const model = SequenceModel.create(spec, 1);
    assert.equal(parameterCount(spec), model.parameterCount, spec.cell);
    model.dispose();
  }
});

test('the estimate grows with the hidden size, the batch and the layers, and covers the Adam state', () => {
  const batch = { batch: 32 };
  const small = estimateTrainingBytes(textSpec(64), batch, textInfo);
  assert.ok(estimateTrainingBytes(textSpec(256), batch, textInfo) > small);
  assert.ok(estimateTrainingBytes(textSpec(64), { batch: 256 }, textInfo) > small);
  assert.ok(estimateTrainingBytes(textSpec(64, 3), batch, textInfo) > small);
  assert.ok(small >= parameterCount(textSpec(64)) * 16);
  assert.ok(estimateTrainingBytes(seriesSpec, { batch: 64 }, seriesInfo) > estimateTrainingBytes(seriesSpec, { batch: 8 }, seriesInfo));
  assert.ok(estimateTrainingBytes(textSpec(64), batch, textInfo, 2) > small, 'a worker thread holds its own copy of the parameters');
  // The defaults on a typical text fit in the default limit with a wide margin.
  assert.ok(estimateTrainingBytes(textSpec(DEFAULTS.hidden), DEFAULTS, textInfo) < (DEFAULTS.maxMemoryMb * 2 ** 20) / 10);
});

test('a run over the limit is refused with the estimate and what to lower; one under it passes', () => {
  const args = { batch: 32, maxMemoryMb: 4096 };
  assert.doesNotThrow(() => assertFitsInMemory(textSpec(128), args, textInfo));
  assert.throws(
    () => assertFitsInMemory(textSpec(1_000_000), args, textInfo),
    (error: unknown) =>
      error instanceof UsageError &&
      /^This model needs about [\d.]+ TB to train \(limit 4096 MB, --max-memory-mb\): lower --hidden \(now 1000000\), --batch \(now 32\) or --seq-len \(now 64\), or raise --max-memory-mb/.test(
        error.message,
      ),
  );
  assert.throws(() => assertFitsInMemory({ ...seriesSpec, hidden: 4096, layers: 8 }, args, seriesInfo), /--layers \(now 8\).* or --lookback \(now 48\)/);
  assert.doesNotThrow(() => assertFitsInMemory(classifySpec, args, classifyInfo));
  assert.throws(
    () => assertFitsInMemory({ ...classifySpec, hidden: 4096 }, { ...args, batch: 4096 }, classifyInfo),
    /--batch \(now 4096\) or --max-len \(now 200\)/,
  );
});

test('sizes read in powers of 1024', () => {
  assert.equal(formatBytes(512), '512 bytes');
  assert.equal(formatBytes(1.5 * 2 ** 20), '1.5 MB');
  assert.equal(formatBytes(48.2 * 2 ** 30), '48.2 GB');
});
