// Fuzzing import: real PyTorch export folders (text and series) with one file truncated, bit-flipped, wrong-typed, deleted or a symlink; each is imported or refused, only the run store is written, and a refusal leaves no run folder.
import { before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { fuzzSurface, recordWrites, writtenOutside } from '../../fuzzHelpers';
import { tempDir, writeSeriesCsv } from '../../testHelpers';
import { damage, damageFile, pick, type Damage } from '../damageArbitraries';
import { train } from '../train';
import { exportRun } from './exportRun';
import { importRun } from './importRun';

const dir = tempDir('seqlab-import-fuzz-');
/** The export folders every input starts from. */
const exports: Record<'text' | 'series', string> = { text: path.join(dir, 'export-text'), series: path.join(dir, 'export-series') };
/** Each input's damaged copy of an export. */
const copyDir = path.join(dir, 'copy');
/** The run store: the only place import may write. */
const runsDir = path.join(dir, 'runs');

before(async () => {
  const args = { backend: 'wasm', hidden: 8, embedding: 4, epochs: 1, threads: 1, batch: 8 } as const;
  const text = await train({ text: 'the cat sat on the mat. '.repeat(20), runsDir: path.join(dir, 'trained'), args: { ...args, seqLen: 8 } });
  const csv = writeSeriesCsv(dir, 'series.csv', 120, (t) => 10 + Math.sin(t / 3));
  const series = await train({ file: csv, runsDir: path.join(dir, 'trained'), args: { ...args, lookback: 8, horizon: 2 } });
  await exportRun(text.runDir, exports.text);
  await exportRun(series.runDir, exports.series);
});

/** Every file of an export folder, relative to it, in name order. */
function filesOf(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }) as string[]).filter((file) => fs.statSync(path.join(folder, file)).isFile()).sort();
}

/** What the last input wrote, refused or not. */
const written: string[] = [];

fuzzSurface(
  'import: a real export folder with one file truncated, bit-flipped, wrong-typed, deleted or a symlink',
  fc.record({ task: fc.constantFrom<'text' | 'series'>('text', 'series'), file: pick, how: damage }),
  async ({ task, file, how }: { task: 'text' | 'series'; file: number; how: Damage }) => {
    fs.rmSync(copyDir, { recursive: true, force: true });
    fs.rmSync(runsDir, { recursive: true, force: true });
    fs.cpSync(exports[task], copyDir, { recursive: true });
    const files = filesOf(copyDir);
    damageFile(path.join(copyDir, files[file % files.length]), how, dir);
    written.length = 0;
    await recordWrites(() => importRun(copyDir, { runsDir }), written);
  },
  (_, outcome) => {
    const outside = writtenOutside(written, runsDir);
    assert.deepEqual(outside, [], 'nothing is written outside the run store');
    const runs = fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : [];
    assert.equal(runs.length, outcome.ok ? 1 : 0, outcome.ok ? 'an import makes one run' : `a refused import leaves no run folder (${outcome.message})`);
  },
);
