// Extension-host suite: listing 200 runs and loading a 1M-line metrics file keeps the extension host responsive, and sends a chart-sized share of the lines.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { MetricsTail, RunsFolder } from '../../src/extension/runFiles';
import { firstAndLastStep, runIds, writeLongMetrics, writeRun } from '../../src/extension/runFixtures';
import { MAX_CHART_POINTS } from '../../src/shared/protocol';
import type { MetricsLine } from '../../src/shared/runFolder';

const RUNS = 200;
const LINES = 1_000_000;
/** Generous: this checks that nothing blocks the host for long, not how fast the files are read. */
const MAX_P99_MS = 200;

suite('SeqLab runs folder', function () {
  this.timeout(180_000);
  let runsDir: string;
  let longRun: string;

  suiteSetup(() => {
    runsDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-runs-host-')), 'runs');
    const ids = runIds(RUNS);
    for (const id of ids) writeRun(runsDir, id);
    longRun = path.join(runsDir, ids[RUNS - 1]);
    writeLongMetrics(longRun, LINES);
  });

  suiteTeardown(() => {
    if (runsDir) fs.rmSync(path.dirname(runsDir), { recursive: true, force: true });
  });

  test(`listing ${RUNS} runs and loading a ${LINES}-line run keeps the event loop responsive`, async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const folder = new RunsFolder(runsDir);
    await folder.scan();
    let lines: MetricsLine[] = [];
    await MetricsTail.of(longRun, (delivered) => (lines = delivered)).load();
    delay.disable();

    const p99 = delay.percentile(99) / 1e6;
    console.log(`SeqLab: event-loop delay p99 ${p99.toFixed(1)} ms (max ${(delay.max / 1e6).toFixed(1)} ms) listing ${RUNS} runs and loading ${LINES} lines`);
    assert.equal(folder.listings.length, RUNS);
    assert.equal(path.basename(folder.listings[0].dir), path.basename(longRun), 'newest first');
    for (const kind of ['train', 'val'] as const) {
      const ofKind = lines.filter((l) => l.kind === kind);
      assert.ok(ofKind.length > 0 && ofKind.length <= MAX_CHART_POINTS, `${ofKind.length} ${kind} lines sent`);
      const [first, last] = firstAndLastStep(kind, LINES);
      assert.equal(ofKind[0].step, first, `first ${kind} line kept`);
      assert.equal(ofKind.at(-1)?.step, last, `last ${kind} line kept`);
    }
    assert.ok(p99 < MAX_P99_MS, `event-loop delay p99 ${p99.toFixed(1)} ms`);
  });
});
