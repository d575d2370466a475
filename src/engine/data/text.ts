// Text corpora for next-token models: tokenising, the vocabulary, typed-array token ids, splits and batches.
import type { Rng } from '../rng';
import { type TokenKind, UsageError } from '../../shared/options';

/** The token that stands for anything outside the vocabulary; always id 0. */
export const UNKNOWN_TOKEN = '<unk>';

/** Token ids of a corpus, in the smallest typed array that holds the vocabulary. */
export type TokenIds = Uint16Array | Uint32Array;

/**
 * Versions of the word tokenizer, stored with a run so that its vocabulary keeps its meaning: 1 made white-space runs
 * tokens of their own (runs made before version 2); 2 attaches one leading space to the token after it.
 */
export type WordTokenizer = 1 | 2;

/** The word tokenizer of new runs. */
export const WORD_TOKENIZER: WordTokenizer = 2;

/** Word tokenizer 1: a run of letters, digits, underscores or apostrophes, a run of white space, or one other character. */
const WORD_PATTERN_1 = /[\p{L}\p{N}_']+|\s+|[^\p{L}\p{N}_'\s]/gu;

/**
 * Word tokenizer 2, after GPT-2's pre-tokenizer: an optional single space, then a word (letters, marks and underscores,
 * joined by apostrophes between letters: "o'er", "ne'er"), one digit, or one other character; a contraction suffix
 * split off its word ('s 'd 'm 't 'll 've 're 'st, any case: "I'll" → "I" "'ll"); a line break; or white space that no
 * token after it takes (indentation, a double space's first space, trailing spaces). Decoding concatenates the tokens,
 * so it restores the text exactly.
 */
const WORD_PATTERN_2 = new RegExp(
  [
    String.raw` ?[\p{L}\p{M}_]+(?:['’](?!(?:s|d|m|t|ll|ve|re|st)(?![\p{L}\p{M}_'’]))[\p{L}\p{M}_]+)*`,
    String.raw`['’](?:s|d|m|t|ll|ve|re|st)(?![\p{L}\p{M}_'’])`,
    String.raw` ?\p{N}`,
    String.raw` ?[^\s\p{L}\p{M}\p{N}_]`,
    String.raw`\r?\n|\r`,
    String.raw`[^\S\r\n]+(?= \S)|[^\S\r\n]+`,
  ].join('|'),
  'giu',
);

/** Splits text into tokens lazily, so that a 50 MB text is never held as an array of strings. */
export function* tokenize(text: string, kind: TokenKind, wordTokenizer: WordTokenizer = WORD_TOKENIZER): Generator<string> {
  if (kind === 'char') {
    yield* text; // iterates by code point
  } else {
    for (const match of text.matchAll(wordTokenizer === 1 ? WORD_PATTERN_1 : WORD_PATTERN_2)) yield match[0];
  }
}

/** How often each token occurs in a text. */
export function countTokens(text: string, kind: TokenKind): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokenize(text, kind)) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/** A word token that a longer token may continue: a word (after an optional space), or spaces and tabs. */
const EXTENDABLE_TOKEN = /^(?: ?[\p{L}\p{M}_]|[^\S\r\n]+$)/u;

/** A prompt ready for continuation (see {@link Vocabulary.encodePrompt}). */
export interface EncodedPrompt {
  /** Ids of the prompt's last tokens (at most the asked number), without {@link EncodedPrompt.heldBack}. */
  ids: number[];
  /** The prompt's tokens outside the vocabulary, read as {@link UNKNOWN_TOKEN}. */
  unknown: string[];
  /**
   * Word tokens: the prompt's last token when the continuation may extend it (a trailing space, a partial word), left
   * out of `ids`, else ''. The first generated token must start with it, and the text shown after the prompt omits it.
   */
  heldBack: string;
}

/** The mapping between tokens and ids, stored with the run. */
export class Vocabulary {
  private readonly ids: Map<string, number>;

  /** `tokens[0]` must be {@link UNKNOWN_TOKEN}; `wordTokenizer` is the one the word tokens were made with. */
  constructor(
    readonly tokens: readonly string[],
    readonly kind: TokenKind,
    readonly wordTokenizer: WordTokenizer = WORD_TOKENIZER,
  ) {
    if (tokens[0] !== UNKNOWN_TOKEN) throw new Error(`a vocabulary starts with ${UNKNOWN_TOKEN}`);
    this.ids = new Map(tokens.map((token, id) => [token, id]));
    if (this.ids.size !== tokens.length) throw new Error('the vocabulary has duplicate tokens');
  }

  /** Builds the vocabulary of a text: the `maxSize - 1` most frequent tokens, plus the unknown token. */
  static fromText(text: string, kind: TokenKind, maxSize: number): Vocabulary {
    return Vocabulary.fromCounts(countTokens(text, kind), kind, maxSize);
  }

  /** The vocabulary of a text's {@link countTokens}: the `maxSize - 1` most frequent tokens seen at least `minCount` times, plus the unknown token. */
  static fromCounts(counts: ReadonlyMap<string, number>, kind: TokenKind, maxSize: number, minCount = 1): Vocabulary {
    const ranked = [...counts.entries()].filter(([, count]) => count >= minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const kept = ranked
      .slice(0, maxSize - 1)
      .map(([token]) => token)
      .sort();
    return new Vocabulary([UNKNOWN_TOKEN, ...kept], kind);
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The id of a token, or 0 (unknown) when it is not in the vocabulary. */
  id(token: string): number {
    return this.ids.get(token) ?? 0;
  }

  /** Splits text into this vocabulary's kind of tokens. */
  tokenize(text: string): Generator<string> {
    return tokenize(text, this.kind, this.wordTokenizer);
  }

  /** Encodes a whole text into a typed array of ids (a text has at most as many tokens as UTF-16 units). */
  encode(text: string): TokenIds {
    const out: TokenIds = this.size <= 65536 ? new Uint16Array(text.length) : new Uint32Array(text.length);
    let n = 0;
    for (const token of this.tokenize(text)) out[n++] = this.id(token);
    return out.subarray(0, n);
  }

  /**
   * A prompt's last `maxTokens` token ids, for a model to continue. With word tokens, a last token that the
   * continuation may extend (a partial word, or trailing spaces, when some vocabulary token starts with it) is held
   * back: "The ki" continues as " king" or " kind", and "The king " as " is", rather than after a lone space token.
   */
  encodePrompt(prompt: string, maxTokens: number): EncodedPrompt {
    const tokens = [...this.tokenize(prompt)];
    const last = tokens[tokens.length - 1];
    const holdBack = this.kind === 'word' && tokens.length > 1 && EXTENDABLE_TOKEN.test(last) && this.tokens.some((token) => token.startsWith(last));
    const context = holdBack ? tokens.slice(0, -1) : tokens;
    return {
      ids: context.slice(-maxTokens).map((token) => this.id(token)),
      unknown: context.filter((token) => !this.ids.has(token)),
      heldBack: holdBack ? last : '',
    };
  }

  /** Counts how many tokens of a text fall outside the vocabulary. */
  countUnknown(text: string): number {
    let unknown = 0;
    for (const token of this.tokenize(text)) if (!this.ids.has(token)) unknown++;
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
 * Word tokens seen fewer times than this read as <unk>, in a text of at least {@link WORD_MIN_COUNT_TOKENS} tokens: a
 * word seen once cannot be learnt, and leaving those out halves the vocabulary (tinyshakespeare counted on its first
 * 90%: 14,150 → 7,277 tokens, with 4.6% → 6.3% of the last 10% unknown).
 */
const WORD_MIN_COUNT = 2;

/** Texts shorter than this keep every word, so that a short selection is reproduced rather than riddled with <unk>. */
const WORD_MIN_COUNT_TOKENS = 20_000;

/** A vocabulary for a text, and a note on what it left out (none when it keeps every token). */
function buildVocabulary(text: string, args: TextCorpusArgs): { vocab: Vocabulary; note?: string } {
  return vocabularyFromCounts(countTokens(text, args.tokens), args);
}

/**
 * The vocabulary of some tokens' counts (a text's, or a classifier's training texts'): the `maxVocab - 1` most
 * frequent, without the words seen once in a long text; and a note on what it left out (none when it keeps every token).
 */
export function vocabularyFromCounts(
  counts: ReadonlyMap<string, number>,
  args: Pick<TextCorpusArgs, 'tokens' | 'maxVocab'>,
): { vocab: Vocabulary; note?: string } {
  let total = 0;
  for (const count of counts.values()) total += count;
  const minCount = args.tokens === 'word' && total >= WORD_MIN_COUNT_TOKENS ? WORD_MIN_COUNT : 1;
  const vocab = Vocabulary.fromCounts(counts, args.tokens, args.maxVocab, minCount);
  const dropped = counts.size - (vocab.size - 1);
  if (dropped === 0) return { vocab };
  let unknown = 0;
  let frequent = 0;
  for (const [token, count] of counts) {
    if (vocab.id(token) === 0) unknown += count;
    if (count >= minCount) frequent++;
  }
  const rules: string[] = [];
  if (minCount > 1) rules.push(`seen at least ${minCount} times`);
  if (frequent > args.maxVocab - 1) rules.push(`the ${args.maxVocab - 1} most frequent, --max-vocab ${args.maxVocab}`);
  const kept = `${vocab.size - 1} of ${counts.size} distinct ${args.tokens} tokens kept (${rules.join(', ')})`;
  return { vocab, note: `Vocabulary: ${kept}; the other ${dropped} read as ${UNKNOWN_TOKEN}, ${share(unknown, total)} of the tokens.` };
}

/** A share as a percentage: two significant digits below 10%, whole percents above. */
function share(part: number, whole: number): string {
  const percent = (100 * part) / whole;
  return `${percent < 10 ? percent.toPrecision(2) : percent.toFixed(0)}%`;
}

/**
 * Tokenises a text and splits it. A short text (like "hello") is validated on its training part, and its
 * sequence length shrinks to fit; both are reported in `notes`, as are the tokens that the vocabulary leaves out. A
 * given vocabulary (a trained run's) is used as is.
 */
export function prepareTextCorpus(text: string, args: TextCorpusArgs, vocabulary?: Vocabulary): TextCorpus {
  const notes: string[] = [];
  let vocab = vocabulary;
  if (!vocab) {
    const built = buildVocabulary(text, args);
    vocab = built.vocab;
    if (built.note) notes.push(built.note);
  }
  const ids = vocab.encode(text);
  if (ids.length < 2) {
    throw new UsageError(
      `The text has ${ids.length} ${args.tokens} token${ids.length === 1 ? '' : 's'}: a next-token model needs at least 2. Select or pass a longer text.`,
    );
  }
  if (vocabulary) {
    let unknown = 0;
    for (const id of ids) if (id === 0) unknown++;
    if (unknown > 0)
      notes.push(`${unknown} of the text's ${ids.length} tokens (${share(unknown, ids.length)}) are not in the run's vocabulary and read as ${UNKNOWN_TOKEN}.`);
  }
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
 * targets, in batches. Every target is predicted once. A split shorter than one window is one shorter window
 * (never read past its end).
 */
export function* validationBatches(corpus: TextCorpus, batch: number, maxTokens: number): Generator<TokenBatch> {
  const { ids, valStart } = corpus;
  const targetsAfterStart = ids.length - valStart - 1;
  if (targetsAfterStart < 1) return;
  const seqLen = Math.min(corpus.seqLen, targetsAfterStart);
  const windows = Math.max(1, Math.min(Math.floor(targetsAfterStart / seqLen), Math.ceil(maxTokens / seqLen)));
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
