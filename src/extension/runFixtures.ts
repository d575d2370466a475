// Run folders for the runs-listing tests (unit and extension host): many small text runs, and a long metrics.jsonl written fast.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULTS } from '../shared/options';
import { METRICS_FILE, RUN_FILE, RUN_FORMAT_VERSION, type MetricsLine, type RunRecord } from '../shared/runFolder';

/** Lines of metrics.jsonl built in memory at a time by {@link writeLongMetrics}. */
const LINES_PER_WRITE = 100_000;

/** A completed character-level text run's record, as the engine writes it (its id is the folder name). */
export function textRunRecord(id: string, changes: Partial<RunRecord> = {}): RunRecord {
  const stamp = '2026-01-01T00:00:00.000Z';
  return {
    formatVersion: RUN_FORMAT_VERSION,
    id,
    name: id,
    createdAt: stamp,
    updatedAt: stamp,
    status: 'completed',
    task: 'text',
    config: DEFAULTS,
    source: { kind: 'text', sha256: '0'.repeat(64), bytes: 1000 },
    backend: 'cpu',
    backendSkipped: [],
    model: { task: 'text', cell: 'lstm', hidden: 16, layers: 1, dropout: 0, vocabSize: 40, embedding: 16 },
    params: 1234,
    data: { kind: 'text', tokens: 'char', vocab: [...'\u0000 abcdefghijklmnopqrstuvwxyz.,'], trainTokens: 900, valTokens: 100, seqLen: 16 },
    notes: [],
    progress: { step: 100, epoch: 3, seconds: 2, bestStep: 100, bestValLoss: 1.5 },
    ...changes,
  };
}

/** Writes a run folder `runsDir/id` with run.json (and an empty metrics.jsonl) and returns its path. */
export function writeRun(runsDir: string, id: string, changes: Partial<RunRecord> = {}): string {
  const dir = path.join(runsDir, id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, RUN_FILE), JSON.stringify(textRunRecord(id, changes), null, 1));
  fs.writeFileSync(path.join(dir, METRICS_FILE), '');
  return dir;
}

/** Run ids sortable like the engine's: `20260101-000000-run-0000`, … (the last is the newest). */
export function runIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `20260101-${String(i).padStart(6, '0')}-run-${String(i).padStart(4, '0')}`);
}

/**
 * The metrics line at index `i` of a long run: a validation line every `valEvery` lines, an event every
 * `eventEvery`, training reports otherwise; `step` is the index.
 */
export function longRunLine(i: number, valEvery = 10, eventEvery = 100_000): MetricsLine {
  const epoch = i / 1000;
  if (i % eventEvery === eventEvery - 1) return { kind: 'event', step: i, message: `event ${i}`, seconds: i / 100 };
  if (i % valEvery === valEvery - 1) return { kind: 'val', step: i, epoch, valLoss: 2 / (1 + epoch), seconds: i / 100 };
  return { kind: 'train', step: i, epoch, loss: 3 / (1 + epoch), seconds: i / 100, lr: 0.002 };
}

/** The steps of the first and the last line of a kind among `count` lines of {@link longRunLine}. */
export function firstAndLastStep(kind: MetricsLine['kind'], count: number): [number, number] {
  let first = 0;
  while (longRunLine(first).kind !== kind) first++;
  let last = count - 1;
  while (longRunLine(last).kind !== kind) last--;
  return [first, last];
}

/** Writes `count` lines of {@link longRunLine} to the run folder's metrics.jsonl (replacing it). */
export function writeLongMetrics(runDir: string, count: number): void {
  const file = path.join(runDir, METRICS_FILE);
  fs.writeFileSync(file, '');
  for (let start = 0; start < count; start += LINES_PER_WRITE) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(count, start + LINES_PER_WRITE); i++) lines.push(JSON.stringify(longRunLine(i)));
    fs.appendFileSync(file, lines.join('\n') + '\n');
  }
}
