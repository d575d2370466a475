// Text corpora for next-token models: tokenising, the vocabulary, typed-array token ids, splits and batches.
import type { TokenKind } from '../config';
import { UsageError } from '../config';
import type { Rng } from '../rng';

/** The token that stands for anything outside the vocabulary; always id 0. */
export const UNKNOWN_TOKEN = '<unk>';

/** Token ids of a corpus, in the smallest typed array that holds the vocabulary. */
export type TokenIds = Uint16Array | Uint32Array;

/** Matches a word token: a run of letters, digits, underscores or apostrophes, a run of white space, or one other character. */
const WORD_PATTERN = /[\p{L}\p{N}_']+|\s+|[^\p{L}\p{N}_'\s]/gu;

/** Splits text into tokens lazily, so that a 50 MB text is never held as an array of strings. */
export function* tokenize(text: string, kind: TokenKind): Generator<string> {
  if (kind === 'char') {
    yield* text; // iterates by code point
  } else {
    for (const match of text.matchAll(WORD_PATTERN)) yield match[0];
  }
}

/** The mapping between tokens and ids, stored with the run. */
export class Vocabulary {
  private readonly ids: Map<string, number>;

  /** `tokens[0]` must be {@link UNKNOWN_TOKEN}. */
  constructor(
    readonly tokens: readonly string[],
    readonly kind: TokenKind,
  ) {
    if (tokens[0] !== UNKNOWN_TOKEN) throw new Error(`a vocabulary starts with ${UNKNOWN_TOKEN}`);
    this.ids = new Map(tokens.map((token, id) => [token, id]));
    if (this.ids.size !== tokens.length) throw new Error('the vocabulary has duplicate tokens');
  }

  /** Builds the vocabulary of a text: the `maxSize - 1` most frequent tokens, plus the unknown token. */
  static fromText(text: string, kind: TokenKind, maxSize: number): Vocabulary {
    const counts = new Map<string, number>();
    for (const token of tokenize(text, kind)) counts.set(token, (counts.get(token) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const kept = ranked.slice(0, maxSize - 1).map(([token]) => token).sort();
    return new Vocabulary([UNKNOWN_TOKEN, ...kept], kind);
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The id of a token, or 0 (unknown) when it is not in the vocabulary. */
  id(token: string): number {
    return this.ids.get(token) ?? 0;
  }

  /** Encodes a whole text into a typed array of ids (a text has at most as many tokens as UTF-16 units). */
  encode(text: string): TokenIds {
    const out: TokenIds = this.size <= 65536 ? new Uint16Array(text.length) : new Uint32Array(text.length);
    let n = 0;
    for (const token of tokenize(text, this.kind)) out[n++] = this.id(token);
    return out.subarray(0, n);
  }

  /** Counts how many tokens of a text fall outside the vocabulary. */
  countUnknown(text: string): number {
    let unknown = 0;
    for (const token of tokenize(text, this.kind)) if (!this.ids.has(token)) unknown++;
    return unknown;
  }

  /** The text of a sequence of ids. */
  decode(ids: Iterable<number>): string {
    let text = '';
    for (const id of ids) text += this.tokens[id] ?? UNKNOWN_TOKEN;
    return text;
  }
}

/** A tokenised corpus split contiguously into a training part and a validation part. */
export interface TextCorpus {
  vocab: Vocabulary;
  ids: TokenIds;
  /** Ids [0, trainEnd) train the model. */
  trainEnd: number;
  /** Ids [valStart, ids.length) validate it; equal to 0 when the text is too short to hold any out. */
  valStart: number;
  /** The sequence length actually used (the requested one, shrunk to fit a short text). */
  seqLen: number;
  /** Notes for the user about adjustments made to fit the data. */
  notes: string[];
}

/** Arguments for {@link prepareTextCorpus}. */
export interface TextCorpusArgs {
  tokens: TokenKind;
  maxVocab: number;
  seqLen: number;
  /** Fraction of the tokens, at the end, held out for validation. */
  val: number;
}

/** The fewest tokens in a validation part before a text counts as too short to split. */
const MIN_VALIDATION_TOKENS = 16;

/**
 * Tokenises a text and splits it. A short text (like "hello") is validated on its training part, and its
 * sequence length shrinks to fit; both are reported in `notes`. A given vocabulary (a trained run's) is used as is.
 */
export function prepareTextCorpus(text: string, args: TextCorpusArgs, vocabulary?: Vocabulary): TextCorpus {
  const vocab = vocabulary ?? Vocabulary.fromText(text, args.tokens, args.maxVocab);
  const ids = vocab.encode(text);
  if (ids.length < 2) {
    throw new UsageError(`The text has ${ids.length} ${args.tokens} token${ids.length === 1 ? '' : 's'}: a next-token model needs at least 2. Select or pass a longer text.`);
  }
  const notes: string[] = [];
  let trainEnd = Math.floor(ids.length * (1 - args.val));
  let valStart = trainEnd;
  if (ids.length - trainEnd < Math.max(MIN_VALIDATION_TOKENS, 2)) {
    trainEnd = ids.length;
    valStart = 0;
    notes.push(`The text (${ids.length} tokens) is too short to hold out a validation part: validation uses the training text.`);
  }
  const fit = Math.min(args.seqLen, trainEnd - 1, ids.length - valStart - 1);
  if (fit < args.seqLen) notes.push(`Sequence length shrunk from ${args.seqLen} to ${fit} to fit the text.`);
  return { vocab, ids, trainEnd, valStart, seqLen: fit, notes };
}

/** A batch of token ids: inputs and next-token targets, each batch × seqLen, row-major. */
export interface TokenBatch {
  inputs: Int32Array;
  targets: Int32Array;
  batch: number;
  seqLen: number;
}

/** Samples a training batch of random windows from ids [0, trainEnd), made on the fly. */
export function sampleTextBatch(corpus: TextCorpus, batch: number, rng: Rng): TokenBatch {
  const { ids, seqLen } = corpus;
  const starts = corpus.trainEnd - seqLen; // windows need seqLen inputs plus one target after them
  const inputs = new Int32Array(batch * seqLen);
  const targets = new Int32Array(batch * seqLen);
  for (let b = 0; b < batch; b++) {
    const start = rng.int(starts);
    for (let t = 0; t < seqLen; t++) {
      inputs[b * seqLen + t] = ids[start + t];
      targets[b * seqLen + t] = ids[start + t + 1];
    }
  }
  return { inputs, targets, batch, seqLen };
}

/**
 * The validation windows: consecutive, non-overlapping, covering ids [valStart, end) up to `maxTokens`
 * targets, in batches. Every target is predicted once.
 */
export function* validationBatches(corpus: TextCorpus, batch: number, maxTokens: number): Generator<TokenBatch> {
  const { ids, seqLen, valStart } = corpus;
  const windows = Math.max(1, Math.min(Math.floor((ids.length - valStart - 1) / seqLen), Math.ceil(maxTokens / seqLen)));
  for (let first = 0; first < windows; first += batch) {
    const rows = Math.min(batch, windows - first);
    const inputs = new Int32Array(rows * seqLen);
    const targets = new Int32Array(rows * seqLen);
    for (let r = 0; r < rows; r++) {
      const start = valStart + (first + r) * seqLen;
      for (let t = 0; t < seqLen; t++) {
        inputs[r * seqLen + t] = ids[start + t];
        targets[r * seqLen + t] = ids[start + t + 1];
      }
    }
    yield { inputs, targets, batch: rows, seqLen };
  }
}
