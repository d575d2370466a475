// Tests reading run folders asynchronously: the cached listing, the metrics tail, thinning for charts, and that 200 runs and a 1M-line run keep the event loop responsive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MAX_CHART_POINTS } from '../shared/protocol';
import { METRICS_FILE, RUN_FILE, type MetricsLine } from '../shared/runFolder';
import { tempDir } from '../testHelpers';
import { ChartThinner, MetricsTail, readForecastChart, RunsFolder } from './runFiles';
import { firstAndLastStep, longRunLine, runIds, textRunRecord, writeLongMetrics, writeRun } from './runFixtures';

/** A pid that no process has: far above any kernel's pid limit. */
const DEAD_PID = 2 ** 30;

/** The lines a fresh tail's `load` delivers. */
async function loadAll(runDir: string, maxPerKind?: number): Promise<MetricsLine[]> {
  let lines: MetricsLine[] | undefined;
  await MetricsTail.of(runDir, (delivered, reset) => {
    assert.equal(reset, true);
    lines = delivered;
  }).load(maxPerKind);
  assert.ok(lines, 'load delivers');
  return lines;
}

test('the listing is newest first, with unreadable folders and a run whose process died', async (t) => {
  const runsDir = tempDir('seqlab-runfiles-', t);
  const ids = runIds(3);
  ids.forEach((id) => writeRun(runsDir, id));
  writeRun(runsDir, '20260102-000000-dead', { status: 'running', pid: DEAD_PID });
  writeRun(runsDir, '20260102-000001-live', { status: 'running', pid: process.pid });
  fs.mkdirSync(path.join(runsDir, '20260103-000000-empty'));
  fs.mkdirSync(path.join(runsDir, '20260103-000001-damaged'));
  fs.writeFileSync(path.join(runsDir, '20260103-000001-damaged', RUN_FILE), '{"formatVersion": 1, "id": ');
  fs.writeFileSync(path.join(runsDir, 'stray-file.txt'), 'not a folder');

  const folder = new RunsFolder(runsDir);
  await folder.scan();
  const byId = new Map(folder.listings.map((l) => [path.basename(l.dir), l]));
  assert.deepEqual(
    folder.listings.map((l) => path.basename(l.dir)),
    ['20260103-000001-damaged', '20260103-000000-empty', '20260102-000001-live', '20260102-000000-dead', ...[...ids].reverse()],
  );
  const empty = byId.get('20260103-000000-empty');
  assert.ok(empty && !empty.ok && empty.problem.includes(`it has no ${RUN_FILE}`), JSON.stringify(empty));
  const damaged = byId.get('20260103-000001-damaged');
  assert.ok(damaged && !damaged.ok && damaged.problem.includes('cannot be opened'), JSON.stringify(damaged));
  const dead = byId.get('20260102-000000-dead');
  assert.ok(dead?.ok && dead.record.status === 'failed' && dead.record.message?.includes('ended unexpectedly'));
  const live = byId.get('20260102-000001-live');
  assert.ok(live?.ok && live.record.status === 'running');
});

test('a scan re-reads only the run.json files that changed, and reports a change only when there is one', async (t) => {
  const runsDir = tempDir('seqlab-runfiles-', t);
  const ids = runIds(5);
  ids.forEach((id) => writeRun(runsDir, id));
  let changes = 0;
  const folder = new RunsFolder(runsDir, () => changes++);
  await folder.scan();
  assert.equal(changes, 1);
  const first = folder.listings;

  await folder.scan();
  assert.equal(changes, 0 + 1, 'nothing changed');
  assert.equal(folder.listings, first);

  // Rewritten the engine's way: a new file renamed over the old one.
  const file = path.join(runsDir, ids[2], RUN_FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(textRunRecord(ids[2], { name: 'renamed' })));
  fs.renameSync(`${file}.tmp`, file);
  fs.rmSync(path.join(runsDir, ids[0]), { recursive: true });
  await folder.scan();
  assert.equal(changes, 2);
  assert.equal(folder.listings.length, 4);
  for (const [i, listing] of folder.listings.entries()) {
    const before = first.find((l) => l.dir === listing.dir);
    if (path.basename(listing.dir) === ids[2]) assert.ok(listing !== before && listing.ok && listing.record.name === 'renamed');
    else assert.equal(listing, before, `listing ${i} reused from the cache`);
  }
});

test('scans asked for while one runs are coalesced into one more, which sees what changed meanwhile', async (t) => {
  const runsDir = tempDir('seqlab-runfiles-', t);
  writeRun(runsDir, 'a-run');
  const folder = new RunsFolder(runsDir);
  const firstScan = folder.scan();
  writeRun(runsDir, 'b-run');
  const [second, third] = [folder.scan(), folder.scan()];
  assert.equal(second, third);
  await Promise.all([firstScan, second]);
  assert.deepEqual(
    folder.listings.map((l) => path.basename(l.dir)),
    ['b-run', 'a-run'],
  );
});

test('a missing runs folder lists no runs', async (t) => {
  const folder = new RunsFolder(path.join(tempDir('seqlab-runfiles-', t), 'nothing-here'));
  await folder.scan();
  assert.deepEqual(folder.listings, []);
});

test('the metrics tail delivers appended complete lines only, leaving a partial line for the next poll', async (t) => {
  const runDir = writeRun(tempDir('seqlab-runfiles-', t), 'run');
  const file = path.join(runDir, METRICS_FILE);
  const deliveries: { steps: number[]; reset: boolean }[] = [];
  const tail = MetricsTail.of(runDir, (lines, reset) => deliveries.push({ steps: lines.map((l) => l.step), reset }));
  const line = (i: number) => JSON.stringify(longRunLine(i)) + '\n';
  fs.writeFileSync(file, line(0) + line(1));
  await tail.load();
  fs.appendFileSync(file, line(2) + line(3).slice(0, 10));
  await tail.poll();
  await tail.poll();
  fs.appendFileSync(file, line(3).slice(10) + line(4));
  await tail.poll();
  tail.close();
  fs.appendFileSync(file, line(5));
  await tail.poll();
  assert.deepEqual(deliveries, [
    { steps: [0, 1], reset: true },
    { steps: [2], reset: false },
    { steps: [3, 4], reset: false },
  ]);
});

test('a run without metrics.jsonl loads as no lines, and one without forecast.json has no chart', async (t) => {
  const runDir = writeRun(tempDir('seqlab-runfiles-', t), 'run');
  fs.rmSync(path.join(runDir, METRICS_FILE));
  assert.deepEqual(await loadAll(runDir), []);
  assert.equal(await readForecastChart(runDir), undefined);
});

test('thinning keeps at most the limit per kind, evenly, with the first, the last and every event, in file order', () => {
  for (const count of [10, 999, 1000, 1001, 37_777, 200_000]) {
    const all = Array.from({ length: count }, (_, i) => longRunLine(i, 10, 5000));
    const thinner = new ChartThinner(1000);
    for (let i = 0; i < all.length; i += 4096) thinner.add(all.slice(i, i + 4096));
    const kept = thinner.lines();
    assert.deepEqual(
      kept.map((l) => l.step),
      [...kept.map((l) => l.step)].sort((a, b) => a - b),
      'file order',
    );
    for (const kind of ['train', 'val'] as const) {
      const ofKind = all.filter((l) => l.kind === kind);
      const keptOfKind = kept.filter((l) => l.kind === kind);
      assert.equal(keptOfKind.length, Math.min(1000, ofKind.length), `${kind} of ${count}`);
      assert.equal(keptOfKind[0], ofKind[0]);
      assert.equal(keptOfKind.at(-1), ofKind.at(-1));
      // Evenly: gaps (in lines of the kind) within a factor of 1.5 of each other, bar the last one, which ends on the last line.
      const index = new Map(ofKind.map((l, i) => [l, i]));
      const gaps = keptOfKind.slice(1, -1).map((l, i) => (index.get(l) as number) - (index.get(keptOfKind[i]) as number));
      if (gaps.length > 1)
        assert.ok(Math.max(...gaps) <= Math.ceil(Math.min(...gaps) * 1.5), `${kind} of ${count}: gaps ${Math.min(...gaps)}…${Math.max(...gaps)}`);
    }
    assert.deepEqual(
      kept.filter((l) => l.kind === 'event'),
      all.filter((l) => l.kind === 'event'),
    );
  }
});

test('listing 200 runs and loading a 1M-line run keeps the event loop responsive', async (t) => {
  const runsDir = tempDir('seqlab-runfiles-', t);
  const ids = runIds(200);
  ids.forEach((id) => writeRun(runsDir, id));
  const longRun = path.join(runsDir, ids[199]);
  const count = 1_000_000;
  writeLongMetrics(longRun, count);

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const folder = new RunsFolder(runsDir);
  await folder.scan();
  const listed = performance.now();
  const lines = await loadAll(longRun);
  const loaded = performance.now();
  delay.disable();

  const p99 = delay.percentile(99) / 1e6;
  console.log(
    `event-loop delay while listing 200 runs and loading ${count} metrics lines: p50 ${(delay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, min ${(delay.min / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms ` +
      `(listing ${(listed - started).toFixed(0)} ms, loading ${(loaded - listed).toFixed(0)} ms)`,
  );
  assert.equal(folder.listings.length, 200);
  assert.ok(
    folder.listings.every((l) => l.ok),
    'every run readable',
  );
  for (const kind of ['train', 'val'] as const) {
    const ofKind = lines.filter((l) => l.kind === kind);
    assert.ok(ofKind.length <= MAX_CHART_POINTS && ofKind.length > MAX_CHART_POINTS / 2, `${ofKind.length} ${kind} lines`);
    const [first, last] = firstAndLastStep(kind, count);
    assert.equal(ofKind[0].step, first, `first ${kind} line kept`);
    assert.equal(ofKind.at(-1)?.step, last, `last ${kind} line kept`);
  }
  assert.equal(lines.filter((l) => l.kind === 'event').length, count / 100_000);
  assert.ok(p99 < 200, `event-loop p99 ${p99.toFixed(1)} ms`);
});
