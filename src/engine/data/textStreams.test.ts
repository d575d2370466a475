// Tests of the stateful batches and held-out chunks: rows continue their streams, passes restart, chunks cover the split once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../rng';
import { streamChunks, TextStreams } from './textStreams';

const ids = Uint16Array.from({ length: 1000 }, (_, i) => i % 65_000);

test('each row of a batch continues the same row of the previous batch, and targets are the next tokens', () => {
  const streams = new TextStreams({ ids, end: 1000, rows: 4, seqLen: 10 });
  const rng = new Rng(1);
  const first = streams.nextBatch(rng);
  const second = streams.nextBatch(rng);
  assert.equal(first.restart, true);
  assert.equal(second.restart, false);
  for (let r = 0; r < 4; r++) {
    assert.equal(second.inputs[r * 10], first.inputs[r * 10 + 9] + 1, `row ${r} continues`);
    for (let t = 0; t < 10; t++) assert.equal(first.targets[r * 10 + t], first.inputs[r * 10 + t] + 1);
  }
  // Rows are streams of 250 tokens: row r starts near r·250.
  assert.ok(first.inputs[10] >= 250 && first.inputs[10] < 260);
});

test('a pass ends before any stream runs past its end, and the next pass restarts', () => {
  const streams = new TextStreams({ ids, end: 1000, rows: 4, seqLen: 10 });
  const rng = new Rng(2);
  for (let pass = 0; pass < 3; pass++) {
    for (let k = 0; k < streams.batchesPerPass; k++) {
      const batch = streams.nextBatch(rng);
      assert.equal(batch.restart, k === 0);
      for (let r = 0; r < 4; r++) assert.ok(batch.targets[r * 10 + 9] < (r + 1) * 250, `pass ${pass} batch ${k} row ${r} stays in its stream`);
    }
  }
  assert.equal(TextStreams.fit(1000, 4, 10, 24), true);
  assert.equal(TextStreams.fit(1000, 4, 10, 25), false);
});

test('held-out chunks predict every token after the first exactly once, in order', () => {
  const targets: number[] = [];
  for (const chunk of streamChunks(ids, 100, 357, 64)) {
    assert.equal(chunk.batch, 1);
    assert.equal(chunk.inputs[0] + 1, chunk.targets[0]);
    targets.push(...chunk.targets);
  }
  assert.deepEqual(
    targets,
    Array.from({ length: 256 }, (_, i) => 101 + i),
  );
});
