// Stateful truncated BPTT batches (char-rnn's): the training text cut into contiguous streams that each batch continues.
import type { Rng } from '../rng';
import type { TokenBatch, TokenIds } from './text';

/** Arguments for {@link TextStreams}. */
export interface TextStreamsArgs {
  /** The corpus' token ids; streams cover ids [0, end). */
  ids: TokenIds;
  end: number;
  /** Streams, one per batch row. */
  rows: number;
  /** Tokens per row in each batch (the truncation length of backprop through time). */
  seqLen: number;
}

/** The next batch of the streams, and whether the rows start afresh (the recurrent state must be zeroed). */
export interface StreamBatch extends TokenBatch {
  restart: boolean;
}

/**
 * Cuts ids [0, end) into `rows` contiguous streams of equal length; batch k holds tokens [k·seqLen, (k+1)·seqLen) of
 * every stream, so row r of one batch continues row r of the previous one. When the streams are used up, a new pass
 * starts at a random offset within the tokens left over after whole batches (so that window boundaries move between
 * passes) with `restart` set.
 */
export class TextStreams {
  /** Tokens in each stream, inputs and targets included. */
  readonly streamLength: number;
  /** Batches in one pass over the streams. */
  readonly batchesPerPass: number;
  private offset = 0;
  private next = 0;

  constructor(private readonly args: TextStreamsArgs) {
    this.streamLength = Math.floor(args.end / args.rows);
    this.batchesPerPass = Math.floor((this.streamLength - 1) / args.seqLen);
    if (this.batchesPerPass < 1) throw new Error(`${args.rows} streams of ${args.seqLen + 1} tokens do not fit in ${args.end} tokens`);
  }

  /** Whether a text of `end` tokens holds `rows` streams of at least `passes` batches each (else train on random windows). */
  static fit(end: number, rows: number, seqLen: number, passes: number): boolean {
    return Math.floor((Math.floor(end / rows) - 1) / seqLen) >= passes;
  }

  /** The next batch; the first of a pass has `restart` true. */
  nextBatch(rng: Rng): StreamBatch {
    const { ids, rows, seqLen } = this.args;
    const restart = this.next === 0;
    if (restart) this.offset = rng.int(this.streamLength - this.batchesPerPass * seqLen); // up to the slack left after whole batches
    const inputs = new Int32Array(rows * seqLen);
    const targets = new Int32Array(rows * seqLen);
    for (let r = 0; r < rows; r++) {
      const start = r * this.streamLength + this.offset + this.next * seqLen;
      for (let t = 0; t < seqLen; t++) {
        inputs[r * seqLen + t] = ids[start + t];
        targets[r * seqLen + t] = ids[start + t + 1];
      }
    }
    this.next = (this.next + 1) % this.batchesPerPass;
    return { inputs, targets, batch: rows, seqLen, restart };
  }
}

/**
 * Held-out ids [start, end) as one stream, in chunks of at most `chunk` targets: the caller carries the recurrent state
 * from each chunk to the next, so every token is predicted from everything before it in the split.
 */
export function* streamChunks(ids: TokenIds, start: number, end: number, chunk: number): Generator<TokenBatch> {
  for (let first = start; first + 1 < end; first += chunk) {
    const length = Math.min(chunk, end - 1 - first);
    yield {
      inputs: Int32Array.from(ids.subarray(first, first + length)),
      targets: Int32Array.from(ids.subarray(first + 1, first + 1 + length)),
      batch: 1,
      seqLen: length,
    };
  }
}
