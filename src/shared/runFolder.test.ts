// Tests of the run-folder helpers the host and webview share: how an imported run's origin reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeImport, type ImportedFrom } from './runFolder';

const FROM: ImportedFrom = {
  exportDir: '/tmp/export',
  weights: 'checkpoints/step-0002987',
  run: '20261202-101500-tinyshakespeare-lstm-ab12',
  runDir: '/w/.seqlab/runs/20261202-101500-tinyshakespeare-lstm-ab12',
  step: 2987,
  writer: { by: 'train.py', torch: '1.13.0', processes: 2, backend: 'gloo' },
  importedAt: '2026-12-02T10:30:00.000Z',
};

test('describeImport names the step, what trained the weights and the exported run', () => {
  assert.equal(
    describeImport(FROM),
    'Imported from PyTorch at step 2,987: trained by train.py (2 processes, gloo, torch 1.13.0), continuing run 20261202-101500-tinyshakespeare-lstm-ab12.',
  );
  assert.equal(
    describeImport({ ...FROM, step: 130, writer: { by: 'train.py', processes: 1, backend: 'none', torch: '2.5.1+cpu' } }),
    'Imported from PyTorch at step 130: trained by train.py (1 process, torch 2.5.1+cpu), continuing run 20261202-101500-tinyshakespeare-lstm-ab12.',
  );
  assert.equal(
    describeImport({ ...FROM, writer: undefined }),
    'Imported from PyTorch at step 2,987: trained by PyTorch, continuing run 20261202-101500-tinyshakespeare-lstm-ab12.',
  );
});

test('describeImport says when the weights are the ones SeqLab exported, not trained further', () => {
  assert.equal(
    describeImport({ ...FROM, step: 450, writer: { by: 'seqlab export', run: FROM.run } }),
    'Imported at step 450 as SeqLab exported it, not trained further in PyTorch (run 20261202-101500-tinyshakespeare-lstm-ab12).',
  );
});

test('describeImport leaves out what an edited run.json or manifest made unreadable, and stays one short line', () => {
  const damaged = {
    ...FROM,
    step: 'many',
    run: 'x'.repeat(500),
    writer: { by: 'line one\nline two', torch: 7, processes: -1, backend: '<b>gloo</b>' },
  } as unknown as ImportedFrom;
  assert.equal(describeImport(damaged), 'Imported from PyTorch: trained by PyTorch.');
});
