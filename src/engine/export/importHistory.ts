// The loss curve of an imported run: the exported run's metrics up to the export, then the steps train.py logged in the checkpoint's history.jsonl.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readMetrics } from '../runStore';
import { readFileHead } from '../source';
import { parseMetricsLines, type MetricsLine } from '../../shared/runFolder';

/** The file train.py writes beside a checkpoint's weights (weights_io.HISTORY). */
export const HISTORY_FILE = 'history.jsonl';

/** The most of a history.jsonl an import reads (train.py logs every 10th step, ~150 bytes a line: about two million steps). */
const MAX_HISTORY_BYTES = 32 * 1024 * 1024;

/** Arguments of {@link importedHistory}. */
export interface ImportedHistoryArgs {
  /** The exported run's folder; its metrics.jsonl is read if it is still there. */
  runDir: string;
  /** The step the export was taken at: the exported run's lines up to it are kept. */
  exportStep: number;
  /** The step of the imported weights: history lines after the export and up to it are kept. */
  weightsStep: number;
  /** The weights folder read (its history.jsonl, if any). */
  weightsDir: string;
  /** Training seconds of the exported run, added to the history's own (which count from the export). */
  exportSeconds: number;
}

/** The imported run's metrics before its own evaluation: `before` (SeqLab's), `after` (PyTorch's, seconds continued) and PyTorch's training seconds. */
export function importedHistory(args: ImportedHistoryArgs): { before: MetricsLine[]; after: MetricsLine[]; seconds: number } {
  const before = fs.existsSync(args.runDir) ? readMetrics(args.runDir).filter((line) => line.step <= args.exportStep) : [];
  const after: MetricsLine[] = [];
  for (const line of readHistory(args.weightsDir)) {
    if (line.step <= args.exportStep || line.step > args.weightsStep || !Number.isFinite(line.seconds) || line.seconds < 0) continue;
    if (line.kind === 'train' && Number.isFinite(line.loss) && Number.isFinite(line.epoch)) after.push({ ...line, seconds: args.exportSeconds + line.seconds });
    else if (line.kind === 'val' && Number.isFinite(line.valLoss) && Number.isFinite(line.epoch))
      after.push({ ...line, seconds: args.exportSeconds + line.seconds });
  }
  after.sort((a, b) => a.step - b.step);
  return { before, after, seconds: after.reduce((latest, line) => Math.max(latest, line.seconds - args.exportSeconds), 0) };
}

/** The metrics lines of a weights folder's history.jsonl (its first MAX_HISTORY_BYTES); damaged lines are skipped, a missing file is none. */
function readHistory(weightsDir: string): MetricsLine[] {
  const file = path.join(weightsDir, HISTORY_FILE);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return [];
  return parseMetricsLines(readFileHead(file, MAX_HISTORY_BYTES));
}
