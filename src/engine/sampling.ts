// Choosing each token of a generation: greedy or tempered top-k/top-p sampling, a repetition penalty on recent words, and stopping at a boundary.
import type { Vocabulary } from './data/text';
import { Rng } from './rng';
import { REPETITION_WINDOW, type GenerateArgs, type StopMode } from '../shared/options';

/** How each next token is chosen: the generation options that shape one draw. */
export type SamplingArgs = Pick<GenerateArgs, 'temperature' | 'topK' | 'topP' | 'repetitionPenalty'>;

/**
 * The distribution the next token is drawn from, most likely first: the log-probabilities of `penalized` tokens multiplied by the
 * repetition penalty, then the temperature, top-k and top-p applied, renormalised. The unknown token (id 0) is never in it; at
 * temperature 0 it is the single most likely token.
 *
 * CTRL divides a penalised logit by θ, and implementations multiply a negative one instead so that it falls too; but a logit's sign
 * depends on an offset that softmax ignores. Log-probabilities are the logits shifted so that all are negative, so each penalised one is
 * multiplied by θ: p becomes p^θ before renormalising, whatever the offset, which lowers an unlikely token a lot and a near-certain one
 * (the letter that must come next, the space after a word) only a little, never forbidding it.
 */
export function nextTokenDistribution(probs: ArrayLike<number>, args: SamplingArgs, penalized: ReadonlySet<number>): { ids: number[]; probs: number[] } {
  const logits = new Float64Array(probs.length);
  const ids: number[] = [];
  for (let id = 1; id < probs.length; id++) {
    const logProb = Math.log(Math.max(probs[id], 1e-30));
    logits[id] = penalized.has(id) ? logProb * args.repetitionPenalty : logProb;
    ids.push(id);
  }
  ids.sort((a, b) => logits[b] - logits[a]);
  if (args.temperature <= 0) return { ids: ids.slice(0, 1), probs: [1] };
  const pool = args.topK > 0 ? ids.slice(0, args.topK) : ids;
  const weights = pool.map((id) => Math.exp((logits[id] - logits[pool[0]]) / args.temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let kept = pool.length;
  if (args.topP < 1) {
    // Tokens are added until their mass reaches p, give or take rounding (a token that brings it to exactly p is the last one).
    const target = args.topP * total * (1 - 1e-6);
    let mass = 0;
    for (kept = 0; kept < pool.length && (kept === 0 || mass < target); kept++) mass += weights[kept];
  }
  const keptTotal = weights.slice(0, kept).reduce((a, b) => a + b, 0);
  return { ids: pool.slice(0, kept), probs: weights.slice(0, kept).map((w) => w / keptTotal) };
}

/** Picks the next token id: a draw from {@link nextTokenDistribution}, or its only token (the most likely one at temperature 0). */
export function chooseToken(probs: ArrayLike<number>, args: SamplingArgs, rng: Rng, penalized: ReadonlySet<number> = new Set()): number {
  const distribution = nextTokenDistribution(probs, args, penalized);
  if (distribution.ids.length === 1) return distribution.ids[0];
  let r = rng.next();
  for (let i = 0; i < distribution.ids.length; i++) {
    r -= distribution.probs[i];
    if (r <= 0) return distribution.ids[i];
  }
  return distribution.ids[distribution.ids.length - 1];
}

/** A token of white space only. */
const WHITE_SPACE = /^\s+$/u;
/** A word token of a word vocabulary: it has a letter or digit (with or without the space the tokenizer may attach before it). */
const WORD_TOKEN = /[\p{L}\p{N}]/u;
/** The characters that make words out of characters: letters, marks, digits, underscores and apostrophes. */
const WORD_CHAR = "[\\p{L}\\p{M}\\p{N}_']";
const WORDS = new RegExp(`${WORD_CHAR}+`, 'gu');
const WORD_CHAR_TOKEN = new RegExp(`^${WORD_CHAR}$`, 'u');

/**
 * The token ids the repetition penalty applies to next, given the tokens so far (the prompt's, then the generated ones): CTRL's penalty
 * (Keskar et al. 2019) on the whole words among the last {@link REPETITION_WINDOW} tokens, never on white space or punctuation as such.
 * With a word vocabulary these are the recent word tokens. With characters they are the characters that would continue spelling a recent
 * word from the start of the word being written, or end it once it is spelt out: a character model following a recent word has each
 * step's log-probability multiplied by the penalty, so the word's as a whole, while letters and spaces elsewhere keep their probability.
 * (Penalising every recent character instead hits nearly every common letter and the space, and turns text into gibberish.)
 */
export function repeatedTokens(history: readonly number[], vocab: Vocabulary): Set<number> {
  const start = Math.max(0, history.length - REPETITION_WINDOW);
  const recent = history.slice(start);
  if (vocab.kind === 'word') return new Set(recent.filter((id) => id !== 0 && WORD_TOKEN.test(vocab.tokens[id])));
  // The unknown token stands for no word; a word cut by the window's start is not a whole word.
  const text = recent.map((id) => (id === 0 ? '\uFFFD' : vocab.tokens[id])).join('');
  const words = [...text.matchAll(WORDS)];
  const cut = start > 0 && WORD_CHAR_TOKEN.test(vocab.tokens[history[start - 1]]) ? words[0] : undefined;
  const last = words.at(-1);
  const open = last && last.index + last[0].length === text.length ? last : undefined;
  const spelt = open ? [...open[0]] : [];
  const penalized = new Set<number>();
  for (const word of words) {
    if (word === open || word === cut) continue;
    const chars = [...word[0]];
    if (chars.length < spelt.length || spelt.some((c, i) => chars[i] !== c)) continue;
    const next = chars.length > spelt.length ? chars[spelt.length] : String.fromCodePoint(text.codePointAt(word.index + word[0].length) as number);
    penalized.add(vocab.id(next));
  }
  penalized.delete(0);
  return penalized;
}

/**
 * Whether a token is a boundary that ends the text under a stop mode: for `word`, one that starts with white space (a space or a line
 * break, or a word token that carries the space before it); for `line`, one with a line break.
 */
export function isBoundary(token: string, stop: StopMode): boolean {
  return stop === 'word' ? /^\s/u.test(token) : stop === 'line' && /[\r\n]/.test(token);
}

/** The model's next-token probabilities once it has read one more token. */
export type ReadToken = (id: number) => ArrayLike<number>;

/**
 * Generates up to `args.length` token ids after a prompt, from the probabilities after the prompt (`first`) and `read`, which feeds the
 * model each chosen token. With a stop mode, the text ends before the first boundary (see {@link isBoundary}) that comes once at least
 * `minLength` tokens, some of them not white space, were generated.
 */
export function sampleTokens(promptIds: readonly number[], first: ArrayLike<number>, read: ReadToken, vocab: Vocabulary, args: GenerateArgs): number[] {
  const { temperature, topK, topP, repetitionPenalty, stop, minLength } = args;
  const sampling: SamplingArgs = { temperature, topK, topP, repetitionPenalty };
  const rng = new Rng(args.seed);
  const history = [...promptIds];
  const generated: number[] = [];
  let probs = first;
  let wordStarted = false;
  while (generated.length < args.length) {
    const id = chooseToken(probs, sampling, rng, repetitionPenalty > 1 ? repeatedTokens(history, vocab) : new Set());
    const token = vocab.tokens[id];
    if (wordStarted && generated.length >= minLength && isBoundary(token, stop)) break;
    wordStarted ||= !WHITE_SPACE.test(token);
    generated.push(id);
    history.push(id);
    if (generated.length < args.length) probs = read(id);
  }
  return generated;
}
