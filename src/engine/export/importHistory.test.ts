// Tests of an imported run's loss curve: the exported run's lines up to the export, then the history train.py left beside the weights.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../testHelpers';
import { HISTORY_FILE, importedHistory } from './importHistory';
import { METRICS_FILE, type MetricsLine } from '../../shared/runFolder';

const jsonl = (lines: unknown[]) => lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line)) + '\n').join('');

test('importedHistory keeps the run up to the export and the history after it, its seconds continued; damaged and out-of-range lines are left out', (t) => {
  const root = tempDir('seqlab-history-', t);
  const runDir = path.join(root, 'run');
  const weightsDir = path.join(root, 'checkpoints', 'step-0000130');
  fs.mkdirSync(runDir);
  fs.mkdirSync(weightsDir, { recursive: true });
  const seqlab: MetricsLine[] = [
    { kind: 'train', step: 50, epoch: 0.5, loss: 2.5, seconds: 10 },
    { kind: 'val', step: 100, epoch: 1, valLoss: 2.2, seconds: 20 },
    { kind: 'train', step: 120, epoch: 1.2, loss: 2.1, seconds: 24 }, // after the exported checkpoint (step 100)
  ];
  fs.writeFileSync(path.join(runDir, METRICS_FILE), jsonl(seqlab));
  fs.writeFileSync(
    path.join(weightsDir, HISTORY_FILE),
    jsonl([
      { kind: 'train', step: 90, epoch: 0.9, loss: 9, seconds: 1 }, // before the export: not PyTorch's
      { kind: 'train', step: 110, epoch: 1.1, loss: 2.0, lr: 0.001, seconds: 3 },
      'not json',
      { kind: 'train', step: 115, epoch: 1.15, loss: 'NaN', seconds: 4 },
      { kind: 'val', step: 130, epoch: 1.3, valLoss: 1.9, seconds: 6.5 },
      { kind: 'train', step: 140, epoch: 1.4, loss: 1.8, seconds: 7 }, // past the weights read
    ]),
  );
  const history = importedHistory({ runDir, exportStep: 100, weightsStep: 130, weightsDir, exportSeconds: 20 });
  assert.deepEqual(history.before, seqlab.slice(0, 2));
  assert.deepEqual(history.after, [
    { kind: 'train', step: 110, epoch: 1.1, loss: 2.0, lr: 0.001, seconds: 23 },
    { kind: 'val', step: 130, epoch: 1.3, valLoss: 1.9, seconds: 26.5 },
  ]);
  assert.equal(history.seconds, 6.5);
});

test('importedHistory of weights without a history, from a run folder that is gone, is empty', (t) => {
  const root = tempDir('seqlab-history-', t);
  assert.deepEqual(importedHistory({ runDir: path.join(root, 'gone'), exportStep: 5, weightsStep: 5, weightsDir: root, exportSeconds: 3 }), {
    before: [],
    after: [],
    seconds: 0,
  });
});
