// Run folders on disk: run.json, metrics.jsonl, atomic checkpoints, listing and loading.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { UsageError } from '../shared/options';
import {
  ENDED_UNEXPECTEDLY,
  failedRecord,
  METRICS_FILE,
  errorLine,
  parseMetricsLines,
  parseRunRecord,
  RUN_FILE,
  RUN_FORMAT_VERSION,
  type MetricsLine,
  type RunRecord,
  type RunStatus,
} from '../shared/runFolder';

/** The default runs folder for a data file: `.seqlab/runs` in its workspace (nearest folder with .seqlab, .vscode or .git). */
export function defaultRunsDir(dataPath: string | undefined): string {
  let dir = dataPath ? path.dirname(path.resolve(dataPath)) : process.cwd();
  for (let probe = dir; ; probe = path.dirname(probe)) {
    if (['.seqlab', '.vscode', '.git'].some((marker) => fs.existsSync(path.join(probe, marker)))) {
      dir = probe;
      break;
    }
    if (path.dirname(probe) === probe) break;
  }
  return path.join(dir, '.seqlab', 'runs');
}

/** A new run id: sortable by time, readable, unique. */
export function newRunId(label: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 32) || 'run';
  return `${stamp}-${slug}-${crypto.randomBytes(2).toString('hex')}`;
}

/** Temporary files of {@link writeFileAtomic} end with this, after the writer's pid and a random part. */
const TEMP_SUFFIX = '.tmp';

/** Writes a file atomically: a temporary file in the same folder, flushed to disk, then a rename. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
  try {
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Removes temporary files left in a folder by writers that died mid-write (a crash between writing and renaming):
 * those of a process no longer alive, and this process's own (its writes are synchronous, so none is in flight).
 * Nothing reads them; this only frees the space.
 */
function removeStaleTemps(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith(TEMP_SUFFIX)) continue;
    const pid = Number(name.split('.').at(-3));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !processAlive(pid)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * Saves a checkpoint: the binary data goes to a new file named after the step, then the JSON that points at
 * it replaces the old JSON atomically, then older binaries and stale temporary files are removed. A crash at
 * any moment leaves a JSON that refers to a complete binary.
 */
export function writeCheckpoint(runDir: string, jsonFile: string, binPrefix: string, step: number, json: (binFile: string) => object, data: ArrayBuffer): void {
  const binFile = `${binPrefix}-${step}.bin`;
  writeFileAtomic(path.join(runDir, binFile), new Uint8Array(data));
  writeFileAtomic(path.join(runDir, jsonFile), JSON.stringify(json(binFile), null, 1));
  for (const old of fs.readdirSync(runDir)) {
    if (old !== binFile && old.startsWith(`${binPrefix}-`) && old.endsWith('.bin')) fs.rmSync(path.join(runDir, old), { force: true });
  }
  removeStaleTemps(runDir);
}

/** Reads a JSON file written by {@link writeCheckpoint} and the binary it points at. */
export function readCheckpoint<T extends object>(runDir: string, jsonFile: string, binOf: (json: T) => string): { json: T; data: ArrayBuffer } {
  const json = readJson(path.join(runDir, jsonFile)) as T;
  const binPath = path.join(runDir, safeFileName(binOf(json)));
  if (!fs.existsSync(binPath)) throw new Error(`${jsonFile} refers to ${path.basename(binPath)}, which is missing`);
  const bytes = fs.readFileSync(binPath);
  return { json, data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) };
}

/** A file name from a run's own JSON, refused if it tries to leave the run folder. */
export function safeFileName(name: unknown): string {
  if (typeof name !== 'string' || name !== path.basename(name) || name === '..' || name === '.' || name === '') {
    throw new Error(`invalid file name in run folder: ${JSON.stringify(name)}`);
  }
  return name;
}

function readJson(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${path.basename(file)} is not valid JSON (${errorLine(error)}); the file is truncated or damaged`);
  }
}

/** Error codes that mean the run folder cannot be written: the user must free space or choose another folder. */
const UNWRITABLE: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'it is on a read-only file system',
  EACCES: 'it is read-only (no permission to write there)',
  EPERM: 'it is read-only (no permission to write there)',
  ENOTDIR: 'a part of its path is a file, not a folder',
};

/**
 * A failed write to a run folder as the user should see it: a {@link UsageError} naming the folder and the cause
 * when the disk is full or the folder cannot be written, else the error itself.
 */
export function runFolderError(dir: string, error: unknown): unknown {
  const reason = UNWRITABLE[(error as NodeJS.ErrnoException)?.code ?? ''];
  if (!reason || error instanceof UsageError) return error;
  return new UsageError(`Cannot write the run folder ${dir}: ${reason}. Choose another with --runs-dir (in VS Code, the seqlab.runsDirectory setting).`);
}

/** An open run folder that training writes into. */
export class RunWriter {
  private constructor(
    readonly dir: string,
    public record: RunRecord,
    private readonly metricsFd: number,
  ) {}

  /**
   * Creates a run folder with its first run.json. When the folder cannot be written (disk full, read-only), nothing
   * is left behind and a {@link UsageError} says why.
   */
  static create(runsDir: string, record: Omit<RunRecord, 'formatVersion' | 'id'> & { id?: string }, label: string): RunWriter {
    let id = record.id ?? newRunId(label);
    let dir = path.join(runsDir, id);
    let created = false;
    try {
      fs.mkdirSync(runsDir, { recursive: true });
      // Runs started in the same second with the same label may draw the same id: draw again.
      for (let attempt = 1; !created; attempt++) {
        try {
          fs.mkdirSync(dir);
          created = true;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || record.id !== undefined || attempt >= 10) throw error;
          id = newRunId(label);
          dir = path.join(runsDir, id);
        }
      }
      const writer = new RunWriter(dir, { ...record, id, formatVersion: RUN_FORMAT_VERSION }, fs.openSync(path.join(dir, METRICS_FILE), 'a'));
      writer.save();
      return writer;
    } catch (error) {
      if (created) fs.rmSync(dir, { recursive: true, force: true });
      throw runFolderError(created ? dir : runsDir, error);
    }
  }

  /** Reopens an existing run folder to resume training in it; a metrics line cut short by a crash is dropped first. */
  static reopen(runDir: string): RunWriter {
    const record = loadRunRecord(runDir);
    removeStaleTemps(runDir);
    const fd = fs.openSync(path.join(runDir, METRICS_FILE), 'a+');
    const { size } = fs.fstatSync(fd);
    const complete = completeLinesLength(fd, size);
    if (complete < size) fs.ftruncateSync(fd, complete);
    return new RunWriter(runDir, record, fd);
  }

  /** Appends one line to metrics.jsonl, synchronously, so that a crash keeps everything before it. */
  appendMetrics(line: MetricsLine): void {
    fs.writeFileSync(this.metricsFd, JSON.stringify(line) + '\n');
  }

  /** Updates run.json atomically. */
  update(changes: Partial<RunRecord>): void {
    this.record = { ...this.record, ...changes, updatedAt: new Date().toISOString() };
    this.save();
  }

  /** Marks the run finished and closes its metrics file (closed even when run.json cannot be written). */
  finish(status: Exclude<RunStatus, 'running'>, message?: string): void {
    try {
      this.update({ status, message, pid: undefined });
    } finally {
      fs.closeSync(this.metricsFd);
    }
  }

  /** Closes the metrics file and deletes the run folder: for a run that could not start. */
  discard(): void {
    fs.closeSync(this.metricsFd);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private save(): void {
    writeFileAtomic(path.join(this.dir, RUN_FILE), JSON.stringify(this.record, null, 1));
  }
}

/** The length of a file's complete lines: up to and including its last newline (0 when it has none). */
function completeLinesLength(fd: number, size: number): number {
  const chunk = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0;) {
    const start = Math.max(0, end - chunk.length);
    fs.readSync(fd, chunk, 0, end - start, start);
    const newline = chunk.subarray(0, end - start).lastIndexOf(0x0a);
    if (newline >= 0) return start + newline + 1;
    end = start;
  }
  return 0;
}

/** Reads and checks run.json; a run whose training process is gone without finishing reads as failed. */
export function loadRunRecord(runDir: string): RunRecord {
  const file = path.join(runDir, RUN_FILE);
  if (!fs.existsSync(file)) throw new UsageError(`${runDir} is not a SeqLab run folder: it has no ${RUN_FILE}.`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${runDir} cannot be opened: ${(error as Error).message}. Restore its ${RUN_FILE}, or train a new run.`);
  }
  const record = parseRunRecord(text, runDir);
  if (record.status === 'running' && record.pid !== undefined && !processAlive(record.pid)) {
    return { ...record, status: 'failed', message: ENDED_UNEXPECTEDLY };
  }
  return record;
}

/** Marks a run whose process died as failed, keeping everything it wrote; a finished run is left alone (false). */
export function markRunFailed(runDir: string, message: string): boolean {
  const file = path.join(runDir, RUN_FILE);
  const record = readJson(file) as RunRecord;
  if (record.status !== 'running') return false;
  removeStaleTemps(runDir);
  writeFileAtomic(file, JSON.stringify(failedRecord(record, message), null, 1));
  return true;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads metrics.jsonl up to its last complete line; a partial last line (a crash mid-write) is skipped. */
export function readMetrics(runDir: string): MetricsLine[] {
  return readMetricsFrom(runDir, 0).lines;
}

/**
 * Reads the complete metrics lines after byte `offset` (0 = from the start) and returns the offset to continue
 * from, so that a live chart reads only what was appended. A line still being written is left for next time.
 */
export function readMetricsFrom(runDir: string, offset: number): { lines: MetricsLine[]; offset: number } {
  const file = path.join(runDir, METRICS_FILE);
  let bytes: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      bytes = Buffer.alloc(Math.max(0, size - offset));
      fs.readSync(fd, bytes, 0, bytes.length, offset);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return { lines: [], offset };
  }
  const end = bytes.lastIndexOf(0x0a) + 1;
  const lines = parseMetricsLines(bytes.subarray(0, end).toString('utf8'));
  return { lines, offset: offset + end };
}

/** One entry of a runs listing: a readable run, or a folder that could not be read and why. */
export type RunListing = { ok: true; dir: string; record: RunRecord } | { ok: false; dir: string; id: string; problem: string };

/** Lists the runs in a folder, newest first. A corrupt or partial run folder is reported, never thrown. */
export function listRuns(runsDir: string): RunListing[] {
  if (!fs.existsSync(runsDir)) return [];
  const listing: RunListing[] = [];
  for (const entry of fs.readdirSync(runsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(runsDir, entry.name);
    try {
      listing.push({ ok: true, dir, record: loadRunRecord(dir) });
    } catch (error) {
      listing.push({ ok: false, dir, id: entry.name, problem: (error as Error).message });
    }
  }
  return listing.sort((a, b) => (path.basename(a.dir) < path.basename(b.dir) ? 1 : -1));
}
