// The text an inspection reads (--text or --file) as a run's tokens: their ids, their own text and their character offsets.
import { readSource } from '../source';
import type { Vocabulary } from '../data/text';
import { UsageError } from '../../shared/options';

/** Where the text to inspect comes from: exactly one of the two. */
export interface InspectTextArgs {
  /** A literal text (an editor selection). */
  text?: string;
  /** A file, read and decoded as `seqlab eval --file` reads one (UTF-8, or UTF-16 with a byte order mark). */
  file?: string;
}

/** The text named by `args`, or a one-line {@link UsageError}: neither or both given, or an empty text. */
export function readInspectText(args: InspectTextArgs): string {
  if ((args.text === undefined) === (args.file === undefined))
    throw new UsageError(`Give the text to inspect with --text "..." or --file <path> (${args.text === undefined ? 'neither was given' : 'not both'}).`);
  if (args.text !== undefined) {
    if (args.text.trim().length === 0) throw new UsageError('The text is empty (or only white space): there is nothing to inspect.');
    return args.text;
  }
  try {
    return readSource({ file: args.file }).text;
  } catch (error) {
    // readSource words an empty file for training.
    if (error instanceof UsageError && / is empty /.test(error.message))
      throw new UsageError(`${args.file} is empty (or only white space): there is nothing to inspect.`);
    throw error;
  }
}

/** A text as a run's token stream. */
export interface TokenizedText {
  /** [tokens] the vocabulary ids (0 for a token outside it). */
  ids: Int32Array;
  /** Each token's own text. */
  tokens: string[];
  /** Each token's offset in the text, in UTF-16 code units. */
  offsets: number[];
  /** Indices of the tokens outside the vocabulary. */
  unknown: number[];
}

/**
 * Splits a text into the run's tokens as predict and eval do (a token outside the vocabulary reads as the unknown token,
 * id 0), refusing one of more than `maxTokens` tokens. The tokenizers cover every character, so the tokens joined are the text.
 */
export function tokenizeText(vocab: Vocabulary, text: string, maxTokens: number): TokenizedText {
  const ids: number[] = [];
  const tokens: string[] = [];
  const offsets: number[] = [];
  const unknown: number[] = [];
  let offset = 0;
  for (const token of vocab.tokenize(text)) {
    if (tokens.length === maxTokens)
      throw new UsageError(`The text has more than ${maxTokens.toLocaleString('en-US')} ${vocab.kind} tokens, the most this reads at once: pass a part of it.`);
    const id = vocab.id(token);
    if (id === 0) unknown.push(tokens.length);
    ids.push(id);
    tokens.push(token);
    offsets.push(offset);
    offset += token.length;
  }
  if (offset !== text.length) throw new Error(`the ${vocab.kind} tokens cover ${offset} of the text's ${text.length} characters`);
  if (tokens.length === 0) throw new UsageError('The text has no tokens: there is nothing to inspect.');
  return { ids: Int32Array.from(ids), tokens, offsets, unknown };
}
