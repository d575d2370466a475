// Fuzzing what looks inside a text run: any text (graphemes, control characters, lone surrogates, unknown characters, long runs) through activations, surprisal, trace and unit search, with any span, on small char and word runs.
import { before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { fuzzSurface } from '../../fuzzHelpers';
import { tempDir } from '../../testHelpers';
import { anyText } from '../data/textArbitraries';
import { loadRun } from '../predict';
import { train } from '../train';
import { computeActivations } from './activations';
import { inspectedRun, type InspectedRun } from './inspectedRun';
import { computeSurprisal } from './surprisal';
import { computeTrace } from './trace';
import { parseSpan, searchUnits } from './unitSearch';

const dir = tempDir('seqlab-inspect-fuzz-');
/** A small char LSTM (stateful) and a word GRU trained on windows, so that both ways of reading a stream are fuzzed. */
const runs: Record<'char' | 'word', InspectedRun | undefined> = { char: undefined, word: undefined };

before(async () => {
  const text = 'The cat sat on the mat, "quietly". It was 3 a.m.\n'.repeat(30);
  const args = { backend: 'wasm', hidden: 8, embedding: 4, epochs: 1, threads: 1, seqLen: 8, batch: 8 } as const;
  const char = await train({ text, runsDir: path.join(dir, 'runs'), args: { ...args, cell: 'lstm', tokens: 'char' } });
  const word = await train({ text, runsDir: path.join(dir, 'runs'), args: { ...args, cell: 'gru', tokens: 'word', stateful: false } });
  runs.char = inspectedRun(await loadRun(char.runDir), 'inspection needs');
  runs.word = inspectedRun(await loadRun(word.runDir), 'inspection needs');
});

/** A text, which run reads it, and a span of it as START:END: mostly inside the text, sometimes out of range or malformed. */
const inspection = fc
  .record({
    text: fc.oneof(
      anyText,
      fc.constantFrom('', ' ', 'the', '"', 'é\u0301', '\ud800'),
      fc.integer({ min: 1, max: 4000 }).map((n) => 'the cat '.repeat(n / 8)),
    ),
    tokens: fc.constantFrom<'char' | 'word'>('char', 'word'),
    at: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
    badSpan: fc.oneof(
      { weight: 5, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom('', ':', '3', '-1:4', '0:1e9', '1.5:2', 'a:b', '0:0', '5:2') },
    ),
  })
  .map(({ text, tokens, at: [a, b], badSpan }) => {
    const start = Math.floor(Math.min(a, b) * text.length);
    const end = Math.max(start + 1, Math.ceil(Math.max(a, b) * text.length));
    return { text, tokens, span: badSpan ?? `${start}:${end}` };
  });

fuzzSurface('inspection: any text through activations, surprisal, trace and unit search', inspection, ({ text, tokens, span }) => {
  const run = runs[tokens] as InspectedRun;
  const activations = computeActivations(run, text);
  // Tokens cover the text in order, each at its offset; every value is finite.
  assert.equal(activations.tokens.join(''), text, 'the tokens joined are the text');
  activations.offsets.forEach((offset, i) => assert.equal(text.slice(offset, offset + activations.tokens[i].length), activations.tokens[i]));
  assert.ok(
    activations.values.every((row) => row.length === activations.units && row.every(Number.isFinite)),
    'activations are finite',
  );
  const surprisal = computeSurprisal(run, text);
  assert.ok(
    surprisal.bits.every((bits) => bits === null || (Number.isFinite(bits) && bits >= 0)),
    'surprisal is finite and not negative',
  );
  if (text.length <= 256) computeTrace(run, text);
  searchUnits(run, text, { span: parseSpan(span) });
});
