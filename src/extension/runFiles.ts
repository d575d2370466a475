// Reads run folders without blocking the extension host: the runs listing (run.json cached by its stamp), metrics.jsonl tailed and thinned for charts, forecast.json.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { MAX_CHART_POINTS } from '../shared/protocol';
import {
  ENDED_UNEXPECTEDLY,
  FORECAST_FILE,
  METRICS_FILE,
  parseMetricsLines,
  parseRunRecord,
  RUN_FILE,
  type ForecastChart,
  type MetricsLine,
  type RunRecord,
} from '../shared/runFolder';

/** One entry of a runs listing: a readable run, or a folder that could not be read and why. */
export type RunListing = { ok: true; dir: string; record: RunRecord } | { ok: false; dir: string; id: string; problem: string };

/** run.json files read at once while listing. */
const READ_CONCURRENCY = 16;
/** Bytes of metrics.jsonl read and parsed at a time; the event loop gets a turn between chunks. */
const METRICS_CHUNK_BYTES = 64 * 1024;
/** While thinning, each kind keeps up to this many times the points asked for, so that the final pick is nearly even. */
const THINNING_SLACK = 8;

/** What a run.json was read as, and the file stamp it was read at: an atomic rewrite changes the inode, so any rewrite is noticed. */
interface CachedRun {
  mtimeMs: number;
  size: number;
  ino: number;
  listing: RunListing;
  /** The listing as failed, once the run's training process was found gone. */
  ended?: RunListing;
}

/**
 * A runs folder read asynchronously: {@link scan} re-reads only the run.json files whose stamp changed, and calls
 * `onChanged` when the listing changed (a run appeared, was rewritten, disappeared, or its training process died).
 */
export class RunsFolder {
  private readonly cache = new Map<string, CachedRun>();
  private current: readonly RunListing[] = [];
  private scanning: Promise<void> | undefined;
  private rescan = false;

  constructor(
    readonly runsDir: string,
    private readonly onChanged: () => void = () => undefined,
  ) {}

  /** Every run folder as of the latest scan, newest first (by folder name, descending); unreadable ones as `ok: false`. */
  get listings(): readonly RunListing[] {
    return this.current;
  }

  /**
   * Re-reads the folder. Calls made while a scan runs share one more scan after it, so the promise resolves once
   * the listing reflects the folder as it was when `scan` was called. Never rejects: unreadable runs are listed as such.
   */
  scan(): Promise<void> {
    if (this.scanning) {
      this.rescan = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      try {
        do {
          this.rescan = false;
          await this.scanOnce();
        } while (this.rescan);
      } finally {
        this.scanning = undefined;
      }
    })();
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    let names: string[];
    try {
      const entries = await fsp.readdir(this.runsDir, { withFileTypes: true });
      names = entries
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
        .reverse();
    } catch {
      // No runs folder yet (or it cannot be read): no runs.
      names = [];
    }
    const present = new Set(names);
    for (const name of this.cache.keys()) if (!present.has(name)) this.cache.delete(name);
    const next = await mapLimited(names, READ_CONCURRENCY, (name) => this.read(name));
    if (next.length !== this.current.length || next.some((listing, i) => listing !== this.current[i])) {
      this.current = next;
      this.onChanged();
    }
  }

  /** A run folder's listing: from the cache while its run.json is unchanged, with a running run whose process is gone as failed. */
  private async read(name: string): Promise<RunListing> {
    const dir = path.join(this.runsDir, name);
    const file = path.join(dir, RUN_FILE);
    let stamp: { mtimeMs: number; size: number; ino: number };
    try {
      stamp = await fsp.stat(file);
    } catch (error) {
      this.cache.delete(name);
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      return unreadable(dir, name, missing ? `${dir} is not a SeqLab run folder: it has no ${RUN_FILE}.` : cannotOpen(dir, error));
    }
    let cached = this.cache.get(name);
    if (!cached || cached.mtimeMs !== stamp.mtimeMs || cached.size !== stamp.size || cached.ino !== stamp.ino) {
      cached = { mtimeMs: stamp.mtimeMs, size: stamp.size, ino: stamp.ino, listing: await readListing(dir, name, file) };
      this.cache.set(name, cached);
    }
    const { listing } = cached;
    if (!listing.ok || listing.record.status !== 'running' || listing.record.pid === undefined) return listing;
    if (!cached.ended && !processAlive(listing.record.pid)) {
      cached.ended = { ok: true, dir, record: { ...listing.record, status: 'failed', message: ENDED_UNEXPECTEDLY } };
    }
    return cached.ended ?? listing;
  }
}

async function readListing(dir: string, name: string, file: string): Promise<RunListing> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    return unreadable(dir, name, cannotOpen(dir, error));
  }
  try {
    return { ok: true, dir, record: parseRunRecord(text, dir) };
  } catch (error) {
    return unreadable(dir, name, (error as Error).message);
  }
}

function unreadable(dir: string, id: string, problem: string): RunListing {
  return { ok: false, dir, id, problem };
}

function cannotOpen(dir: string, error: unknown): string {
  return `${dir} cannot be opened: ${(error as Error).message}. Restore its ${RUN_FILE}, or train a new run.`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `fn` over every item with at most `limit` calls pending at once; results in the items' order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * A run's metrics.jsonl followed for a chart. {@link load} delivers the whole file thinned (`reset`), {@link poll}
 * the complete lines appended since; a line still being written is left for the next poll. Reads are queued, so
 * deliveries arrive in file order, and none arrives after {@link close}.
 */
export class MetricsTail {
  private offset = 0;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly file: string,
    private readonly deliver: (lines: MetricsLine[], reset: boolean) => void,
  ) {}

  /** The tail of a run folder's metrics.jsonl. */
  static of(runDir: string, deliver: (lines: MetricsLine[], reset: boolean) => void): MetricsTail {
    return new MetricsTail(path.join(runDir, METRICS_FILE), deliver);
  }

  /**
   * Reads the file from the start and delivers at most `maxPerKind` training and `maxPerKind` validation lines
   * (see {@link ChartThinner}) with every event line, as a reset; an absent file delivers no lines.
   */
  load(maxPerKind = MAX_CHART_POINTS): Promise<void> {
    return this.enqueue(async () => {
      const thinner = new ChartThinner(maxPerKind);
      this.offset = await readCompleteLines(this.file, 0, (lines) => thinner.add(lines));
      if (!this.closed) this.deliver(thinner.lines(), true);
    });
  }

  /** Delivers the complete lines appended since the last read, if any. */
  poll(): Promise<void> {
    return this.enqueue(async () => {
      const appended: MetricsLine[] = [];
      this.offset = await readCompleteLines(this.file, this.offset, (lines) => {
        for (const line of lines) appended.push(line);
      });
      if (!this.closed && appended.length > 0) this.deliver(appended, false);
    });
  }

  /** Stops deliveries (a read under way finishes without delivering). */
  close(): void {
    this.closed = true;
  }

  /** Runs `read` after the reads queued before it; one that throws (in `deliver`) rejects its own promise only. */
  private enqueue(read: () => Promise<void>): Promise<void> {
    const job = this.queue.then(() => (this.closed ? undefined : read()));
    this.queue = job.catch(() => undefined);
    return job;
  }
}

/**
 * Parses the complete lines of `file` from byte `offset` up to its size when opened, a chunk at a time with a turn
 * of the event loop between chunks, and returns the offset after the last complete line parsed. An absent file
 * reads as no lines; a read that fails part way stops there.
 */
async function readCompleteLines(file: string, offset: number, onLines: (lines: MetricsLine[]) => void): Promise<number> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch {
    return offset;
  }
  let parsed = offset;
  try {
    const { size } = await handle.stat();
    const chunk = Buffer.alloc(METRICS_CHUNK_BYTES);
    let carry = Buffer.alloc(0);
    for (let position = offset; position < size;) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - position), position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const end = bytes.lastIndexOf(0x0a) + 1;
      if (end > 0) onLines(parseMetricsLines(bytes.toString('utf8', 0, end)));
      // Copied: `chunk` is reused for the next read.
      carry = Buffer.from(bytes.subarray(end));
      parsed = position - carry.length;
    }
  } catch {
    // A read that failed part way: the lines before it are kept, the rest is read next time.
  } finally {
    await handle.close();
  }
  return parsed;
}

/**
 * Thins a long run's metrics for a chart, in one pass with bounded memory: at most `maxPerKind` training and
 * `maxPerKind` validation lines, spread evenly over each kind (gaps differ by at most one stride of the pass),
 * always with each kind's first and last line, and every event line; in file order.
 */
export class ChartThinner {
  private readonly train: KindThinner;
  private readonly val: KindThinner;
  private readonly events: Numbered[] = [];
  private seen = 0;

  constructor(readonly maxPerKind: number) {
    if (!Number.isInteger(maxPerKind) || maxPerKind < 2) throw new RangeError(`maxPerKind must be a whole number of at least 2, not ${maxPerKind}`);
    this.train = new KindThinner(maxPerKind);
    this.val = new KindThinner(maxPerKind);
  }

  /** Adds lines in file order. */
  add(lines: readonly MetricsLine[]): void {
    for (const line of lines) {
      const numbered = { n: this.seen++, line };
      if (line.kind === 'train') this.train.add(numbered);
      else if (line.kind === 'val') this.val.add(numbered);
      else this.events.push(numbered);
    }
  }

  /** The lines kept, in file order. */
  lines(): MetricsLine[] {
    return [...this.train.kept(), ...this.val.kept(), ...this.events].sort((a, b) => a.n - b.n).map((numbered) => numbered.line);
  }
}

/** A metrics line with its position in the file. */
interface Numbered {
  n: number;
  line: MetricsLine;
}

/** One kind's lines: every `stride`-th kept (the stride doubles when too many are), the last one remembered. */
class KindThinner {
  private sample: Numbered[] = [];
  private stride = 1;
  private seen = 0;
  private last: Numbered | undefined;

  constructor(private readonly max: number) {}

  add(numbered: Numbered): void {
    if (this.seen++ % this.stride === 0) {
      this.sample.push(numbered);
      if (this.sample.length > this.max * THINNING_SLACK) {
        this.sample = this.sample.filter((_, i) => i % 2 === 0);
        this.stride *= 2;
      }
    }
    this.last = numbered;
  }

  /** At most `max` lines evenly picked from the sample and the last line, the first and the last among them. */
  kept(): Numbered[] {
    const points = this.last && this.sample.at(-1) !== this.last ? [...this.sample, this.last] : this.sample;
    if (points.length <= this.max) return points;
    const step = (points.length - 1) / (this.max - 1);
    return Array.from({ length: this.max }, (_, i) => points[Math.round(i * step)]);
  }
}

/** A series run's forecast.json, or undefined when it is absent or unreadable. */
export async function readForecastChart(runDir: string): Promise<ForecastChart | undefined> {
  try {
    return JSON.parse(await fsp.readFile(path.join(runDir, FORECAST_FILE), 'utf8')) as ForecastChart;
  } catch {
    return undefined;
  }
}
