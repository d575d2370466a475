// A long fuzzing campaign: every *.fuzz.test.js under out/src with N inputs per surface (--runs, default 100000; --seed; --path replays one input), then a table of inputs, refusals and failures per surface.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' }, only: { type: 'string' }, path: { type: 'string' } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number of at least 1, not ${values.runs}`);
const files = readdirSync('out/src', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.fuzz.test.js') && (!values.only || file.includes(values.only)))
  .map((file) => path.join('out/src', file))
  .sort();
if (files.length === 0) throw new Error('no fuzz tests in out/src: run npm run build first');
const report = path.resolve('test-output/fuzz-report.jsonl');
mkdirSync(path.dirname(report), { recursive: true });
rmSync(report, { force: true });
console.log(`fuzz: ${files.length} files, ${runs} inputs per surface, seed ${values.seed}`);
const result = spawnSync(process.execPath, ['--test', '--test-reporter=dot', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  // --expose-gc: each surface's memory growth is measured after a full collection (fuzzHelpers' liveMemory).
  env: {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc`.trim(),
    SEQLAB_FUZZ_RUNS: String(runs),
    SEQLAB_FUZZ_SEED: values.seed,
    SEQLAB_FUZZ_PATH: values.path ?? '',
    SEQLAB_FUZZ_REPORT: report,
  },
});
const rows = existsSync(report)
  ? readFileSync(report, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
  : [];
console.log('\n| surface | inputs | refused | failed | memory growth | seconds |\n|---|---|---|---|---|---|');
for (const row of rows)
  console.log(`| ${row.surface} | ${row.runs} | ${row.refused} | ${row.failed ? 'yes' : 'no'} | ${row.memoryGrowthMB} MB (${row.memory}) | ${row.seconds} |`);
for (const row of rows.filter((r) => r.failed)) console.log(`\n${row.surface}: minimised input ${row.counterexample}\n  ${row.error}`);
console.log(`\nReport: ${report}`);
process.exitCode = result.status ?? 1;
