// Tests of the loss history the chart draws: marks where training changed hands, and the epoch at a mark's step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { epochAt, LossHistory } from '../../webview/lossHistory';

test('a history keeps the marked events (resumed, PyTorch, imported) and no other event', () => {
  const history = new LossHistory();
  history.append([
    { kind: 'train', step: 10, epoch: 0.1, loss: 3, seconds: 1 },
    { kind: 'event', step: 10, message: 'Data file changed', seconds: 1 },
    { kind: 'event', step: 100, message: 'Continued in PyTorch, trained by train.py (2 processes, gloo)', seconds: 9, mark: 'pytorch' },
    { kind: 'train', step: 200, epoch: 2, loss: 2, seconds: 20 },
    { kind: 'event', step: 200, message: 'Imported from /x', seconds: 20, mark: 'imported' },
    // A damaged line's unknown mark is not drawn.
    { kind: 'event', step: 300, message: 'x', seconds: 30, mark: 'exploded' as 'resumed' },
  ]);
  assert.deepEqual(
    history.marks.map((m) => [m.mark, m.step]),
    [
      ['pytorch', 100],
      ['imported', 200],
    ],
  );
  assert.equal(epochAt(history.train, 100), 2, 'the first report at or after the step');
  assert.equal(epochAt(history.train, 500), 2, 'past the end: the last report');
  assert.equal(epochAt(new LossHistory().train, 5), null);
});
