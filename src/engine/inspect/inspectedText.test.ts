// Tests of what inspections read: the text from --text or --file (one of them, not empty), its tokens' offsets and unknown tokens, and text runs only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../../testHelpers';
import { Vocabulary } from '../data/text';
import type { LoadedRun } from '../predict';
import { inspectedRun } from './inspectedRun';
import { readInspectText, tokenizeText } from './inspectedText';
import { UsageError } from '../../shared/options';
import type { RunRecord } from '../../shared/runFolder';

const dir = tempDir('seqlab-inspect-text-test-');
const oneLine = (pattern: RegExp) => (e: Error) => e instanceof UsageError && pattern.test(e.message) && !e.message.includes('\n');

test('the text comes from exactly one of --text and --file, and is not empty', () => {
  assert.equal(readInspectText({ text: 'hello' }), 'hello');
  const file = path.join(dir, 'a.txt');
  fs.writeFileSync(file, '\ufeffhello\n'); // a UTF-8 byte order mark is dropped, as eval --file drops it
  assert.equal(readInspectText({ file }), 'hello\n');
  assert.throws(() => readInspectText({}), oneLine(/--text "\.\.\." or --file <path> \(neither was given\)/));
  assert.throws(() => readInspectText({ text: 'a', file }), oneLine(/\(not both\)/));
  assert.throws(() => readInspectText({ text: '' }), oneLine(/The text is empty.*nothing to inspect/));
  assert.throws(() => readInspectText({ text: ' \n ' }), oneLine(/The text is empty/));
  const empty = path.join(dir, 'empty.txt');
  fs.writeFileSync(empty, '');
  assert.throws(() => readInspectText({ file: empty }), oneLine(/empty.txt is empty \(or only white space\): there is nothing to inspect/));
  assert.throws(() => readInspectText({ file: path.join(dir, 'missing.txt') }), oneLine(/does not exist/));
});

test('tokens keep their own text and UTF-16 offsets (a character outside the BMP takes two); unknown ones read as id 0', () => {
  const chars = new Vocabulary(['<unk>', 'a', 'b', '😀'], 'char');
  const text = 'a😀bzb';
  const { ids, tokens, offsets, unknown } = tokenizeText(chars, text, 100);
  assert.deepEqual(tokens, ['a', '😀', 'b', 'z', 'b']);
  assert.deepEqual(offsets, [0, 1, 3, 4, 5]);
  assert.deepEqual(Array.from(ids), [1, 3, 2, 0, 2]);
  assert.deepEqual(unknown, [3]);
  offsets.forEach((offset, k) => assert.equal(text.slice(offset, offset + tokens[k].length), tokens[k]));
  const words = new Vocabulary(['<unk>', 'The', ' river', ' is'], 'word', 2);
  const sentence = 'The river is  high.';
  const split = tokenizeText(words, sentence, 100);
  assert.deepEqual(split.tokens, ['The', ' river', ' is', ' ', ' high', '.']);
  assert.deepEqual(split.offsets, [0, 3, 9, 12, 13, 18]);
  assert.deepEqual(split.unknown, [3, 4, 5]);
  assert.throws(() => tokenizeText(chars, 'abab', 3), oneLine(/more than 3 char tokens, the most this reads at once/));
});

test('a series or classify run is refused with a one-line message naming its kind', () => {
  for (const kind of ['series', 'classify'] as const) {
    const run = { dir: '/runs/r1', record: { data: { kind } } as unknown as RunRecord, model: {} } as LoadedRun;
    assert.throws(() => inspectedRun(run, 'activations need'), oneLine(new RegExp(`^/runs/r1 is a ${kind} run; activations need a text run\\.$`)));
  }
  const text = {
    dir: '/runs/r2',
    record: { data: { kind: 'text', stateful: false, seqLen: 32 } } as unknown as RunRecord,
    model: {},
    vocab: new Vocabulary(['<unk>', 'a'], 'char'),
  } as LoadedRun;
  assert.deepEqual(inspectedRun(text, 'x').stream, { scoring: 'reset', seqLen: 32 });
  assert.deepEqual(inspectedRun(text, 'x', 'carried').stream, { scoring: 'carried', seqLen: 32 });
});
