// Tests of the inspection commands as users run them: activations, surprisal, trace and units print their --json shapes and tables, and refuse bad input in one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertRelativelyClose, runCli, tempDir } from '../testHelpers';
import { activationsResultSchema, surprisalResultSchema, traceResultSchema, unitSearchResultSchema } from '../shared/inspect';

const dir = tempDir('seqlab-inspect-cli-test-');
const runsDir = path.join(dir, 'runs');

/** Trains a tiny character model on "hello" and returns its run folder. */
function trainHello(cell: string, layers: number): string {
  const result = runCli([
    'train',
    '--text',
    'hello there, "hello" again. '.repeat(12),
    '--cell',
    cell,
    '--layers',
    String(layers),
    '--hidden',
    '10',
    '--embedding',
    '6',
    '--seq-len',
    '8',
    '--epochs',
    '2',
    '--threads',
    '1',
    '--runs-dir',
    runsDir,
    '--json',
  ]);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout).runDir;
}

const lstm = trainHello('lstm', 2);
const TEXT = 'hello "there"';

test('activations --json: the last layer h of every token with its offset; --layer 0 --state c; the table shows the shape', () => {
  const result = runCli(['activations', lstm, '--text', TEXT, '--json']);
  assert.equal(result.status, 0, result.stderr);
  const parsed = activationsResultSchema.parse(JSON.parse(result.stdout));
  assert.deepEqual([parsed.layer, parsed.layers, parsed.state, parsed.units, parsed.cell], [1, 2, 'h', 10, 'lstm']);
  assert.equal(parsed.values.length, TEXT.length);
  assert.ok(parsed.values.every((row) => row.length === 10 && row.every((v) => Math.abs(v) < 1)));
  assert.deepEqual(
    parsed.offsets,
    [...TEXT].map((_, k) => k),
  );
  const c = activationsResultSchema.parse(JSON.parse(runCli(['activations', lstm, '--text', TEXT, '--layer', '0', '--state', 'c', '--json']).stdout));
  assert.deepEqual([c.layer, c.state], [0, 'c']);
  // Printed a thousand rows at a time: a longer text's JSON still parses whole.
  const long = activationsResultSchema.parse(JSON.parse(runCli(['activations', lstm, '--text', TEXT.repeat(100), '--json']).stdout));
  assert.equal(long.values.length, 1300);
  assert.ok(long.values.every((row) => row.length === 10));
  assertRelativelyClose(long.values.slice(0, 13), parsed.values, 'the same stream starts the same', 1e-6);
  const table = runCli(['activations', lstm, '--text', TEXT]);
  assert.equal(table.status, 0, table.stderr);
  assert.match(
    table.stdout,
    /^Layer 1 \(of 2, counted from 0; lstm, state h\): 13 tokens × 10 units, the first 8 shown \(--json for all\)\.\ntoken +offset +u0 +u1/,
  );
  assert.match(table.stdout, /\n"\\"" +6( +-?\d\.\d{3}){8}\n/);
});

test('surprisal: bits per token summing to the total, the likeliest alternatives, and the total line; --file reads a file', () => {
  const file = path.join(dir, 'text.txt');
  fs.writeFileSync(file, TEXT);
  const result = runCli(['surprisal', lstm, '--file', file, '--top', '2', '--json']);
  assert.equal(result.status, 0, result.stderr);
  const parsed = surprisalResultSchema.parse(JSON.parse(result.stdout));
  assert.equal(parsed.bits[0], null);
  const sum = parsed.bits.reduce((a: number, b) => a + (b ?? 0), 0);
  assert.ok(Math.abs(sum - parsed.totalBits) < 1e-9);
  assert.ok(parsed.top.slice(1, parsed.scoredTokens + 1).every((alts) => alts.length === 2));
  const table = runCli(['surprisal', lstm, '--text', TEXT]);
  assert.match(table.stdout, /^token +offset +bits +prob +likeliest\n"h" +0 +- +-\n"e" +1 +\d+\.\d{3} +\d+\.\d%  +"/);
  assert.match(table.stdout, /\nTotal: \d+\.\d\d bits over \d+ scored tokens \(\d+ characters\): \d\.\d{3} bits per character\.\n$/);
});

test('trace --text "hell": four steps through both layers with the gates and cell state, and the next tokens', () => {
  const result = runCli(['trace', lstm, '--text', 'hell', '--json']);
  assert.equal(result.status, 0, result.stderr);
  const parsed = traceResultSchema.parse(JSON.parse(result.stdout));
  assert.equal(parsed.steps.length, 4);
  assert.ok(parsed.steps.every((step) => step.layers.length === 2 && step.top.length === 5));
  assert.deepEqual(Object.keys(parsed.steps[0].layers[1].gates), ['i', 'f', 'g', 'o']);
  assert.equal(parsed.steps[0].layers[0].x.length, 6);
  assert.equal(parsed.steps[0].layers[1].wx.length, 40);
  const table = runCli(['trace', lstm, '--text', 'hell']);
  for (const row of ['x_t', 'h_{t-1}', 'i: W_ih·x_t', 'i: b_ih', 'f: W_hh·h_{t-1}', 'o: b_hh', 'g: tanh(pre)', 'o: σ(pre)', 'c_{t-1}', 'c_t', 'h_t'])
    assert.match(table.stdout, new RegExp(`\\n {4}${row.replace(/[(){}]/g, '\\$&')} +-?\\d`), row);
  assert.match(table.stdout, /\nStep 3: "l" \(offset 3\)\n {2}layer 0 /);
  assert.match(table.stdout, /\n {2}next: "[^"]+" \d+\.\d%/);
});

test('units --span: three rankings of the layer units with their scores', () => {
  const result = runCli(['units', lstm, '--text', TEXT, '--span', '7:12', '--top', '3', '--json']);
  assert.equal(result.status, 0, result.stderr);
  const parsed = unitSearchResultSchema.parse(JSON.parse(result.stdout));
  assert.deepEqual([parsed.inside, parsed.outside, parsed.bySeparation.length, parsed.layer], [5, 8, 3, 1]);
  const separations = parsed.bySeparation.map((s) => Math.abs(s.separation));
  assert.deepEqual(
    separations,
    [...separations].sort((a, b) => b - a),
  );
  const table = runCli(['units', lstm, '--text', TEXT, '--span', '7:12']);
  assert.match(table.stdout, /^Span 7:12: 5 tokens inside, 8 outside; layer 1 \(lstm, state h\), 10 units\.\nBy separation/);
  assert.match(table.stdout, /\nBy variance over the text:\n/);
  assert.match(table.stdout, /\nBy interpretability/);
});

const rnn = trainHello('rnn', 1);
const BAD: [string, string[], RegExp][] = [
  ['no text', ['activations', lstm], /Give the text to inspect with --text "\.\.\." or --file <path> \(neither was given\)/],
  ['both --text and --file', ['surprisal', lstm, '--text', 'a', '--file', 'x.txt'], /\(not both\)/],
  ['an empty text', ['trace', lstm, '--text', ''], /The text is empty/],
  ['a layer out of range', ['activations', lstm, '--text', TEXT, '--layer', '2'], /--layer must be from 0 to 1: the model has 2 layers, not 2/],
  ['c of an RNN', ['activations', rnn, '--text', TEXT, '--state', 'c'], /An RNN has only the state h \(--state h\); the cell state c exists only in an LSTM/],
  ['a state that is no state', ['units', lstm, '--text', TEXT, '--span', '1:3', '--state', 'x'], /Allowed choices are h, c/],
  ['a span that is not START:END', ['units', lstm, '--text', TEXT, '--span', '3-5'], /--span must be START:END/],
  ['a span past the text', ['units', lstm, '--text', TEXT, '--span', '3:50'], /must have 0 ≤ START < END ≤ 13/],
  ['a run folder that is not one', ['surprisal', dir, '--text', TEXT], /not a SeqLab run folder/],
];
for (const [name, args, message] of BAD) {
  test(`bad input: ${name} gets a one-line reason and a non-zero exit`, () => {
    const result = runCli(args);
    assert.notEqual(result.status, 0);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], message);
  });
}

test('a token outside the vocabulary is read as unknown, with a note on stderr', () => {
  const result = runCli(['activations', rnn, '--text', 'hello Q', '--json']);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout).unknown, [6]);
  assert.match(result.stderr, /Note: 1 token\(s\) of the text are not in the run's vocabulary and were read as unknown\./);
});
