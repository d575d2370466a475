// Tests of surprisal: its total in nats is eval's loss × scored tokens on the same file, both ways eval scores; what is left unscored; the alternatives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../../testHelpers';
import { train } from '../train';
import { initBackend } from '../backend';
import { evaluateRun, loadRun } from '../predict';
import { Rng } from '../rng';
import { inspectedRun } from './inspectedRun';
import { computeSurprisal, scoredEnd } from './surprisal';
import { randomRun } from './testModels';
import { UsageError } from '../../shared/options';
import type { TextMetrics, TextScoring } from '../../shared/runFolder';

const dir = tempDir('seqlab-surprisal-test-');
const WORDS = ['river', 'stone', 'lantern', 'harbour', 'meadow', 'willow'];

function words(count: number, seed: number): string {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => WORDS[rng.int(WORDS.length)]).join(' ');
}

/** A GRU trained briefly on the words, with seqLen 8. */
const trained = (async () => {
  const result = await train({
    runsDir: dir,
    text: words(400, 1),
    args: { backend: 'wasm', cell: 'gru', hidden: 16, embedding: 8, seqLen: 8, batch: 8, epochs: 2, threads: 1, lr: 0.02 },
  });
  assert.equal(result.record.status, 'completed', result.record.message);
  return loadRun(result.runDir);
})();

test('the surprisal total in nats is eval --file loss × scored tokens, with the state carried and reset every seqLen', async () => {
  const run = await trained;
  // 203 characters, two of them (Z, !) outside the vocabulary: reset scoring leaves (203 − 1) mod 8 = 2 targets unscored.
  const text = `Z${words(40, 2)}`.slice(0, 202) + '!';
  assert.equal(text.length, 203);
  const file = path.join(dir, 'held-out.txt');
  fs.writeFileSync(file, text);
  const summary = await evaluateRun(run, file);
  assert.ok(summary.task === 'text' && summary.scorings);
  const scorings: Record<TextScoring, TextMetrics> = summary.scorings;
  for (const scoring of ['carried', 'reset'] as TextScoring[]) {
    const metrics = scorings[scoring];
    const result = computeSurprisal(inspectedRun(run, 'surprisal needs', scoring), text);
    const evalNats = metrics.valLoss * metrics.tokens;
    const nats = result.totalBits * Math.LN2;
    assert.equal(result.scoredTokens, metrics.tokens, `${scoring}: scored tokens`);
    assert.ok(Math.abs(nats - evalNats) <= 1e-5 * evalNats, `${scoring}: ${nats} nats against eval's ${evalNats}`);
    assert.ok(Math.abs(result.bitsPerChar - (metrics.bitsPerChar as number)) < 1e-5, `${scoring}: bits per character`);
    assert.deepEqual(result.unknown, [0, 202]);
    assert.equal(result.bits[0], null);
    const scored = result.bits.filter((b): b is number => b !== null);
    assert.equal(scored.length, metrics.tokens);
    assert.ok(Math.abs(scored.reduce((a, b) => a + b, 0) - result.totalBits) < 1e-9);
    if (scoring === 'reset') {
      assert.deepEqual([result.bits[200] !== null, result.bits[201], result.bits[202]], [true, null, null]);
      assert.match(result.notes[0], /reset every 8 tokens.*The last 2 token\(s\), after the last whole window, are not scored/);
    } else {
      assert.ok(result.bits[202] !== null && result.notes.length === 0);
    }
  }
  // A text shorter than one window: eval scores it as one shorter window (it used to read past the end), and so does surprisal.
  const shortText = text.slice(1, 7);
  const shortFile = path.join(dir, 'short.txt');
  fs.writeFileSync(shortFile, shortText);
  const short = await evaluateRun(run, shortFile);
  assert.ok(short.task === 'text' && short.scorings);
  const shortReset = short.scorings.reset;
  const shortResult = computeSurprisal(inspectedRun(run, 'surprisal needs', 'reset'), shortText);
  assert.deepEqual([shortResult.scoredTokens, shortReset.tokens], [5, 5]);
  const shortNats = shortReset.valLoss * shortReset.tokens;
  assert.ok(
    Math.abs(shortResult.totalBits * Math.LN2 - shortNats) <= 1e-5 * shortNats,
    `short text: ${shortResult.totalBits * Math.LN2} nats against eval's ${shortNats}`,
  );
  // The default is the run's own scoring: it was trained statefully, so carried.
  assert.equal(inspectedRun(run, 'surprisal needs').stream.scoring, run.record.data.kind === 'text' && run.record.data.stateful ? 'carried' : 'reset');
});

test("each token's bits are −log2 of its probability; the alternatives are the likeliest tokens, never the unknown one; chunks join up", async () => {
  const run = await trained;
  const target = inspectedRun(run, 'surprisal needs');
  const text = words(30, 3);
  const whole = computeSurprisal(target, text, { top: 5 });
  const chunked = computeSurprisal(target, text, { top: 5, chunk: 16 });
  whole.bits.forEach((bits, t) => {
    if (bits === null) return;
    assert.ok(Math.abs(bits + Math.log2(whole.probs[t] as number)) < 1e-9);
    assert.ok(Math.abs(bits - (chunked.bits[t] as number)) < 1e-4, `token ${t} in chunks of 16`);
    const top = whole.top[t];
    assert.equal(top.length, 5);
    assert.ok(top.every((alt, k) => alt.token !== '<unk>' && (k === 0 || alt.prob <= top[k - 1].prob)));
    // The token's own probability is either among the alternatives or below the last of them.
    const own = top.find((alt) => alt.token === whole.tokens[t]);
    assert.ok(own ? Math.abs(own.prob - (whole.probs[t] as number)) < 1e-6 : (whole.probs[t] as number) <= top[4].prob + 1e-7);
  });
  assert.ok(whole.totalBits > 0 && Math.abs(whole.totalBits - chunked.totalBits) < 1e-3);
});

test('a text of one token, and --top beyond the vocabulary, are one-line UsageErrors; a text shorter than a window is scored whole', async () => {
  await initBackend('wasm');
  const run = randomRun('lstm', 1, { scoring: 'reset', seqLen: 8 });
  assert.throws(
    () => computeSurprisal(run, 'a'),
    (e: Error) => e instanceof UsageError && /needs at least 2/.test(e.message),
  );
  assert.throws(() => computeSurprisal(run, 'abc', { top: 40 }), /--top must be a whole number from 1 to 29/);
  assert.equal(computeSurprisal(run, 'abcde').scoredTokens, 4);
  assert.deepEqual(
    [scoredEnd(17, { scoring: 'reset', seqLen: 8 }), scoredEnd(16, { scoring: 'reset', seqLen: 8 }), scoredEnd(16, { scoring: 'carried', seqLen: 8 })],
    [17, 9, 16],
  );
  run.model.dispose();
});
