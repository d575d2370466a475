// The bad-input corpus (test/fixtures/bad) through the built CLI: a specific one-line message, a clean exit, and no run folder left behind.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, runCli, tempDir } from '../testHelpers';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/bad');
const dir = tempDir('seqlab-bad-inputs-');
/** Where the one good run lives that the run-folder cases copy and damage. */
const goodRuns = path.join(dir, 'good-runs');
let goodRun = '';

/** One case: the CLI arguments (a runs folder of its own is added to train), and what must happen. */
interface BadInput {
  name: string;
  args: () => string[];
  /** Refused: the pattern of the last stderr line. Trainable: the pattern of a note of the completed run. */
  expect: RegExp;
  trains?: boolean;
}

const fixture = (name: string) => path.join(FIXTURES, name);
/** Tiny settings for cases that train, so that the whole corpus runs in well under a minute. */
const TINY = ['--hidden', '8', '--epochs', '1', '--batch', '8'];
const SERIES = [...TINY, '--lookback', '8', '--horizon', '2'];

/** A file generated at test time (too big to commit). */
function generated(name: string, make: (file: string) => void): () => string {
  return () => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) make(file);
    return file;
  };
}
const longLine = (name: string) => generated(name, (file) => fs.writeFileSync(file, Buffer.alloc(100 * 2 ** 20, 'a')));
/** A sparse 1 GB file: refused by its size, so it is never read. */
const oneGigabyte = generated('huge.txt', (file) => {
  fs.writeFileSync(file, '');
  fs.truncateSync(file, 2 ** 30);
});

/** A copy of the good run, damaged by `damage`. */
function damagedRun(name: string, damage: (runDir: string) => void): string {
  const runDir = path.join(dir, 'damaged', name);
  fs.cpSync(goodRun, runDir, { recursive: true });
  damage(runDir);
  return runDir;
}
function editRunJson(runDir: string, edit: (record: { formatVersion: number; data: { vocab: string[] } }) => void): void {
  const file = path.join(runDir, 'run.json');
  const record = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(record);
  fs.writeFileSync(file, JSON.stringify(record));
}
const weightsFile = (runDir: string) => path.join(runDir, fs.readdirSync(runDir).find((file) => /^weights-\d+\.bin$/.test(file)) as string);

const CASES: BadInput[] = [
  // Files.
  { name: 'empty file', args: () => ['train', fixture('empty.txt')], expect: /empty\.txt is empty \(or only white space\): there is nothing to train on\.$/ },
  { name: 'whitespace only', args: () => ['train', fixture('whitespace.txt')], expect: /whitespace\.txt is empty \(or only white space\)/ },
  { name: 'whitespace-only --text', args: () => ['train', '--text', ' \n\t '], expect: /^seqlab: The text is empty \(or only white space\)/ },
  {
    name: 'binary file (PNG)',
    args: () => ['train', fixture('pixel.png')],
    expect: /pixel\.png looks like a binary file \(it contains NUL bytes\): train on a text or CSV file\.$/,
  },
  {
    name: 'invalid UTF-8',
    args: () => ['train', fixture('latin1.txt')],
    expect: /latin1\.txt is not valid UTF-8 text\. Convert it first \(e\.g\. iconv -f latin1 -t utf-8 /,
  },
  { name: 'UTF-16 with a BOM', args: () => ['train', fixture('utf16le-bom.txt'), ...TINY, '--seq-len', '16'], expect: /^Trained 1 epoch\.$/, trains: true },
  {
    name: 'UTF-16 BOM then only white space',
    args: () => ['train', fixture('utf16le-bom-whitespace.txt')],
    expect: /utf16le-bom-whitespace\.txt is empty \(or only white space\): there is nothing to train on\.$/,
  },
  {
    name: 'UTF-16 BOM then invalid UTF-16',
    args: () => ['train', fixture('utf16le-bom-invalid.txt')],
    expect:
      /utf16le-bom-invalid\.txt starts with a UTF-16 byte order mark but is not valid UTF-16 text\. Convert it to UTF-8 first \(e\.g\. iconv -f utf-16le -t utf-8 /,
  },
  {
    name: 'UTF-16 without a BOM',
    args: () => ['train', fixture('utf16le-no-bom.txt')],
    expect: /looks like UTF-16 text without a byte order mark\. Convert it to UTF-8 first \(e\.g\. iconv -f utf-16le -t utf-8 /,
  },
  {
    name: 'a single 100 MB line as text',
    args: () => ['train', longLine('line.txt')(), '--hidden', '8', '--seq-len', '8', '--batch', '8', '--max-seconds', '1'],
    expect: /Reached the time budget of 1 s/,
    trains: true,
  },
  {
    name: 'a single 100 MB line as CSV',
    args: () => ['train', longLine('line.csv')()],
    expect: /Line 1 of the CSV is 100\.0 M characters long; a CSV row should be short\. .*--task text/,
  },
  { name: '1 GB file', args: () => ['train', oneGigabyte()], expect: /huge\.txt is 1024 MB, over the 256 MB limit\. Train on a part of it/ },
  // CSV.
  {
    name: 'CSV without a numeric column',
    args: () => ['train', fixture('no-numeric.csv')],
    expect: /No numeric column to use as target\. Columns: date \(time\), name \(text\), city \(text\)/,
  },
  {
    name: 'CSV target column absent',
    args: () => ['train', fixture('valid.csv'), '--column', 'sales'],
    expect: /Column "sales" not found\. Columns: date, load\.$/,
  },
  { name: 'CSV ragged rows', args: () => ['train', fixture('ragged.csv'), ...SERIES], expect: /2 rows do not have 2 fields \(rows 12, 22\)/, trains: true },
  {
    name: 'CSV unclosed quote',
    args: () => ['train', fixture('unclosed-quote.csv')],
    expect: /Line 7 of the CSV opens a quote \("\) that is never closed.*Close or remove that quote\.$/,
  },
  {
    name: 'CSV duplicate header',
    args: () => ['train', fixture('duplicate-header.csv')],
    expect: /The header names 2 columns "load" \(indexes 1 and 2\).*unique name/,
  },
  {
    name: 'CSV all-NaN target',
    args: () => ['train', fixture('all-nan-target.csv')],
    expect: /Column "load" is empty \(every cell is blank or NaN\).*Numeric columns: visitors\. Pass --column NAME\.$/,
  },
  {
    name: 'CSV Inf values',
    args: () => ['train', fixture('inf.csv'), ...SERIES],
    expect: /Interpolated \d+ missing, non-numeric or infinite cells in "load" \(rows 6, /,
    trains: true,
  },
  {
    name: 'CSV constant series',
    args: () => ['train', fixture('constant.csv'), ...SERIES],
    expect: /The target "load" is constant \(every value is 42\)/,
    trains: true,
  },
  {
    name: 'CSV shorter than lookback + horizon',
    args: () => ['train', fixture('short.csv'), '--lookback', '48'],
    expect: /The series has 40 usable rows, too few for --lookback 48 and --horizon 12.*Lower --lookback or --horizon, or add rows\.$/,
  },
  {
    name: 'CSV dates out of order and repeated',
    args: () => ['train', fixture('unordered-dates.csv'), ...SERIES],
    expect: /Times in "date" go backwards at 1 row \(row 33\)/,
    trains: true,
  },
  {
    name: 'CSV of tabs and decimal commas without a header',
    args: () => ['train', fixture('tab-decimal-comma.tsv'), ...SERIES],
    expect: /Detected season: 7 days/,
    trains: true,
  },
  {
    name: 'CSV whose first row holds infinities and missing markers',
    args: () => ['train', fixture('infinite-first-row.csv'), ...SERIES],
    expect: /Dropped 1 row at the start or end without a value in every column \(row 1\)/,
    trains: true,
  },
  {
    name: 'CSV mixed delimiters',
    args: () => ['train', fixture('mixed-delimiters.csv')],
    expect: /The CSV mixes delimiters: it reads as ","-separated, but 20 rows \(rows 42, .*\) hold values separated by ";"/,
  },
  // Labelled texts.
  {
    name: 'classify: one class',
    args: () => ['train', fixture('one-class.tsv'), '--task', 'classify'],
    expect:
      /Column "label" has one label, "positive", in all 30 rows: a classifier needs at least 2 classes\. Pass another column with --label-column, or add rows of other classes\.$/,
  },
  {
    name: 'classify: a class of one row',
    args: () => ['train', fixture('singleton-class.tsv'), '--task', 'classify'],
    expect: /Class "c" \(line 32\) has only 1 row; a class needs at least 2, one to train on and one to test\. Remove its row, or add rows of that class\.$/,
  },
  {
    name: 'classify: empty texts',
    args: () => ['train', fixture('empty-texts.tsv'), '--task', 'classify', '--text-column', 'text'],
    expect: /Every text in column "text" is empty\. Pass the column of texts with --text-column\.$/,
  },
  {
    name: 'classify: labels that are free text',
    args: () => ['train', fixture('free-text-labels.tsv'), '--task', 'classify', '--label-column', 'label'],
    expect: /Column "label" has 300 distinct values in 300 rows, most of them once: it holds free text, not labels\./,
  },
  {
    name: 'classify: no column of texts',
    args: () => ['train', fixture('no-text.csv'), '--task', 'classify'],
    expect:
      /No column holds texts to classify \(the labels would be color; the other columns: id \(numbers\)\)\. Pass the column of texts with --text-column\.$/,
  },
  {
    name: 'classify: a label with a line break',
    args: () => ['train', fixture('multiline-label.csv'), '--task', 'classify', ...TINY],
    expect: /^Texts: text \(mean 29 characters\); labels: label, 2 classes: positive 4, negative\\nreview 4\.$/,
    trains: true,
  },
  // Options.
  { name: 'hidden 0', args: () => ['train', '--text', 'hello', '--hidden', '0'], expect: /--hidden must be a whole number from 1 to 4096, not 0\.$/ },
  { name: 'hidden negative', args: () => ['train', '--text', 'hello', '--hidden', '-3'], expect: /--hidden must be a whole number from 1 to 4096, not -3\.$/ },
  { name: 'hidden 1e6', args: () => ['train', '--text', 'hello', '--hidden', '1e6'], expect: /--hidden must be a whole number from 1 to 4096, not 1000000\.$/ },
  {
    name: 'a model over the memory limit',
    args: () => ['train', fixture('valid.csv'), '--lookback', '8', '--horizon', '2', '--hidden', '4096', '--layers', '8'],
    expect: /This model needs about [\d.]+ GB to train \(limit 4096 MB, --max-memory-mb\): lower --hidden \(now 4096\), --layers \(now 8\)/,
  },
  {
    name: 'memory limit 0',
    args: () => ['train', '--text', 'hello', '--max-memory-mb', '0'],
    expect: /--max-memory-mb must be a whole number from 64 to 1048576, not 0\.$/,
  },
  {
    name: 'sequence length 0',
    args: () => ['train', '--text', 'hello', '--seq-len', '0'],
    expect: /--seq-len must be a whole number from 1 to 4096, not 0\.$/,
  },
  {
    name: 'learning rate NaN',
    args: () => ['train', '--text', 'hello', '--lr', 'NaN'],
    expect: /option '--lr <number>' argument 'NaN' is invalid\. "NaN" is not a number\./,
  },
  {
    name: 'unknown cell',
    args: () => ['train', '--text', 'hello', '--cell', 'transformer'],
    expect: /argument 'transformer' is invalid\. Allowed choices are rnn, lstm, gru\./,
  },
  {
    name: 'unknown backend',
    args: () => ['train', '--text', 'hello', '--backend', 'gpu'],
    expect: /argument 'gpu' is invalid\. Allowed choices are auto, tensorflow, wasm, cpu\./,
  },
  {
    name: 'top-p above 1',
    args: () => ['generate', goodRun, '--prompt', 'he', '--top-p', '1.5'],
    expect: /--top-p must be a number from 0 to 1, not 1\.5\.$/,
  },
  {
    name: 'repetition penalty below 1',
    args: () => ['generate', goodRun, '--prompt', 'he', '--repetition-penalty', '0.5'],
    expect: /--repetition-penalty must be a number from 1 to 10, not 0\.5\.$/,
  },
  {
    name: 'unknown stop mode',
    args: () => ['generate', goodRun, '--prompt', 'he', '--stop', 'sentence'],
    expect: /argument 'sentence' is invalid\. Allowed choices are none, word, line\./,
  },
  // Run folders.
  {
    name: 'truncated model.json',
    args: () => ['predict', damagedRun('truncated', (run) => fs.truncateSync(path.join(run, 'model.json'), 40)), '--prompt', 'he'],
    expect: /cannot be loaded: model\.json is not valid JSON .*truncated or damaged\. The run folder is damaged: restore its files, or train a new run\.$/,
  },
  {
    name: 'missing weights file',
    args: () => ['predict', damagedRun('no-weights', (run) => fs.rmSync(weightsFile(run))), '--prompt', 'he'],
    expect: /cannot be loaded: model\.json refers to weights-\d+\.bin, which is missing\. The run folder is damaged/,
  },
  {
    name: 'truncated run.json',
    args: () => ['predict', damagedRun('truncated-record', (run) => fs.truncateSync(path.join(run, 'run.json'), 40)), '--prompt', 'he'],
    expect: /truncated-record cannot be opened: run\.json is not valid JSON .*Restore its run\.json, or train a new run\.$/,
  },
  {
    name: 'run.json from a future version',
    args: () => ['predict', damagedRun('future', (run) => editRunJson(run, (record) => (record.formatVersion = 99))), '--prompt', 'he'],
    expect: /was written by a newer SeqLab \(run format 99; this one reads up to 1\)\. Update SeqLab to open it\.$/,
  },
  {
    name: 'tampered vocabulary',
    args: () => ['predict', damagedRun('vocab', (run) => editRunJson(run, (record) => record.data.vocab.push('zz'))), '--prompt', 'he'],
    expect: /The vocabulary in .*run\.json has \d+ tokens but the model expects \d+: run\.json was edited or damaged\. Restore it, or train a new run\.$/,
  },
  {
    name: 'tampered vocabulary, resumed',
    args: () => ['train', '--resume', damagedRun('vocab-resume', (run) => editRunJson(run, (record) => record.data.vocab.pop()))],
    expect: /The vocabulary in run\.json has \d+ tokens but the model expects \d+: run\.json was edited or damaged/,
  },
  {
    name: 'run.json with a wrong-typed data fact',
    args: () => [
      'predict',
      damagedRun('data-fact', (run) => editRunJson(run, (record) => ((record.data as Record<string, unknown>).seqLen = '64'))),
      '--prompt',
      'he',
    ],
    expect:
      /data-fact cannot be opened: data\.seqLen: Invalid input: expected number, received string in its run\.json, which was edited or damaged\. Restore it, or train a new run\.$/,
  },
  // Export folders.
  {
    name: 'import: an export whose config.json holds a wrong-typed option',
    args: () => ['import', editedExport('wrong-option', (config) => (config.run.config.column = [false])), '--runs-dir', path.join(dir, 'runs', 'import')],
    expect:
      /config\.json: the run's options are damaged \(--column must be a column name or 0-based index, not \[false\]\): config\.json was edited; export the run again\.$/,
  },
  {
    name: 'import: an export whose options no longer build its model',
    args: () => ['import', editedExport('other-model', (config) => (config.run.config.embedding = 5)), '--runs-dir', path.join(dir, 'runs', 'import')],
    expect: /config\.json: the model's embedding is 32 but the run's data and options give 5: config\.json was edited; export the run again\.$/,
  },
  {
    name: 'import: an export whose run record is damaged',
    args: () => [
      'import',
      editedExport('damaged-record', (config) => ((config.run as Record<string, unknown>).notes = 7)),
      '--runs-dir',
      path.join(dir, 'runs', 'import'),
    ],
    expect: /config\.json: the run record in it is damaged \(its id, name, source or notes\): config\.json was edited; export the run again\.$/,
  },
  {
    name: 'import: an export whose run record has a damaged data fact',
    args: () => [
      'import',
      editedExport('damaged-data', (config) => delete (config.run as unknown as { data: Record<string, unknown> }).data.seqLen),
      '--runs-dir',
      path.join(dir, 'runs', 'import'),
    ],
    expect:
      /config\.json: run\.data\.seqLen: Invalid input: expected number, received undefined in the run record: config\.json was edited; export the run again\.$/,
  },
  {
    name: 'import: an export whose config.json lost its training facts',
    args: () => [
      'import',
      editedExport('no-training', (config) => delete (config as { training?: unknown }).training),
      '--runs-dir',
      path.join(dir, 'runs', 'import'),
    ],
    expect: /config\.json: training: Invalid input: expected object, received undefined: config\.json was edited; export the run again\.$/,
  },
  {
    name: 'import: an export whose model is null',
    args: () => [
      'import',
      editedExport('null-model', (config) => ((config as unknown as { model: unknown }).model = null)),
      '--runs-dir',
      path.join(dir, 'runs', 'import'),
    ],
    expect: /config\.json: model: Invalid input: expected object, received null: config\.json was edited; export the run again\.$/,
  },
];

/** An export of the good run, with its config.json edited by `edit` (found by fuzzing import). */
function editedExport(name: string, edit: (config: { run: { config: Record<string, unknown> } }) => void): string {
  const exportDir = path.join(dir, 'exports', name);
  const result = seqlab(['export', goodRun, '--to', 'pytorch', '--out', exportDir]);
  assert.equal(result.status, 0, result.stderr);
  const file = path.join(exportDir, 'config.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(config);
  fs.writeFileSync(file, JSON.stringify(config));
  return exportDir;
}

const seqlab = (args: string[]) => runCli(args, { timeout: 60_000 });

before(() => {
  const result = seqlab([
    'train',
    '--text',
    'hello world, hello river. '.repeat(8),
    '--cell',
    'gru',
    ...TINY,
    '--seq-len',
    '8',
    '--runs-dir',
    goodRuns,
    '--json',
  ]);
  assert.equal(result.status, 0, result.stderr);
  goodRun = JSON.parse(result.stdout).runDir;
});

for (const { name, args, expect, trains } of CASES) {
  test(`bad input: ${name}`, (t) => {
    const runsDir = path.join(dir, 'runs', name.replace(/\W+/g, '-'));
    const argv = args();
    const result = seqlab(argv[0] === 'train' && !argv.includes('--resume') ? [...argv, '--runs-dir', runsDir, ...(trains ? ['--json'] : [])] : argv);
    assert.equal(result.signal, null, `timed out or killed: ${result.stderr}`);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    if (trains) {
      assert.equal(result.status, 0, result.stderr);
      const output = JSON.parse(result.stdout);
      assert.equal(output.status, 'completed');
      const note = [...output.notes, output.message].find((line: string) => expect.test(line));
      assert.ok(note !== undefined, `no note matches ${expect}: ${JSON.stringify(output.notes)}`);
      t.diagnostic(`trains; note: ${note}`);
      return;
    }
    const last = result.stderr.trim().split('\n').at(-1) ?? '';
    t.diagnostic(last);
    assert.equal(result.status, 1);
    assert.match(last, /^seqlab: /);
    assert.match(last, expect);
    assert.equal(result.stdout, '');
    assert.equal(fs.existsSync(runsDir), false, 'a refused input leaves no run folder');
  });
}

test('the README of the corpus lists every case', () => {
  const readme = fs.readFileSync(path.join(FIXTURES, 'README.md'), 'utf8');
  for (const { name } of CASES) assert.ok(readme.includes(`| ${name} |`), name);
});
