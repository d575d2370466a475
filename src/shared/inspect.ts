// What looking inside a text run's network returns (activations, surprisal, trace, unit search): the shapes `seqlab … --json` prints and the extension will request.
import { z } from 'zod';
import { CELLS } from './options';

/** The recurrent states an inspection can read: h (every cell's output) and c (the LSTM's cell state). */
export const INSPECT_STATES = ['h', 'c'] as const;
export type InspectState = (typeof INSPECT_STATES)[number];

/** The states each cell has: an LSTM h and c, a GRU and a simple RNN h only. */
export const CELL_STATES: Record<(typeof CELLS)[number], readonly InspectState[]> = { rnn: ['h'], gru: ['h'], lstm: ['h', 'c'] };

/** Gate blocks by cell, in PyTorch's order (the saved weights' layout): LSTM i, f, g, o; GRU r, z, n; a simple RNN none. */
export const CELL_GATES: Record<(typeof CELLS)[number], readonly string[]> = { rnn: [], lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'] };

/** The most tokens activations, surprisal and unit search read at once (a request carries at most 100,000 characters too). */
export const MAX_INSPECT_TOKENS = 100_000;

/** The most tokens a trace follows: each step holds every term of every layer (~3,500 numbers a step for an LSTM-128). */
export const MAX_TRACE_TOKENS = 256;

/**
 * How the text is read, the way `seqlab eval` scores a text with the run: as one stream from a zero state, the recurrent
 * state carried from each token to the next (`carried`, a run trained statefully), or reset to zero before every token
 * at a multiple of `seqLen` (`reset`, a run trained on windows from a zero state).
 */
const streamSchema = z.object({ scoring: z.enum(['carried', 'reset']), seqLen: z.number().int().positive() });
export type InspectStream = z.infer<typeof streamSchema>;

/** A text's tokens as the run reads them, shared by every result. */
const tokensSchema = {
  /** Each token's text as it appears in the input (a token outside the vocabulary keeps its own text; see `unknown`). */
  tokens: z.array(z.string()),
  /** Each token's offset in the text, in UTF-16 code units (an editor's character offsets). */
  offsets: z.array(z.number().int().nonnegative()),
  /** Indices of the tokens outside the vocabulary, which the model read as its unknown token (as predict and eval do). */
  unknown: z.array(z.number().int().nonnegative()),
  stream: streamSchema,
};

const tokenProbability = z.object({ token: z.string(), prob: z.number() });

/** `seqlab activations`: one layer's state after each token. */
export const activationsResultSchema = z.object({
  ...tokensSchema,
  cell: z.enum(CELLS),
  /** The model's number of layers; `layer` counts from 0. */
  layers: z.number().int().positive(),
  layer: z.number().int().nonnegative(),
  state: z.enum(INSPECT_STATES),
  units: z.number().int().positive(),
  /** values[token][unit]: the state after reading the token (and everything before it in the stream). */
  values: z.array(z.array(z.number())),
});
export type ActivationsResult = z.infer<typeof activationsResultSchema>;

/**
 * Activations as the engine process sends them to the extension host: `values` packed row-major in one Float32Array,
 * which IPC copies whole (as nested arrays, 20,000 tokens × 128 units take ~300 ms to decode and check on the host's
 * thread), and only for the tokens the host asked about: rows [valuesFrom, valuesFrom + values.length / units).
 */
export const packedActivationsSchema = activationsResultSchema
  .omit({ values: true })
  .extend({
    values: z.custom<Float32Array>((value) => value instanceof Float32Array, 'not a Float32Array'),
    /** The index of the token whose row comes first in `values`. */
    valuesFrom: z.number().int().nonnegative(),
  })
  .refine((r) => r.offsets.length === r.tokens.length && r.values.length % r.units === 0 && r.valuesFrom + r.values.length / r.units <= r.tokens.length, {
    message: 'offsets must have one entry per token, and values whole rows of units numbers for tokens of the text',
  });
export type PackedActivations = z.infer<typeof packedActivationsSchema>;

/** `seqlab surprisal`: how unexpected each token was, in bits, scored exactly as `seqlab eval` scores the text. */
export const surprisalResultSchema = z.object({
  ...tokensSchema,
  /** −log2 p(token | everything before it), or null for a token eval does not score (the first; with reset scoring, those after the last whole window). */
  bits: z.array(z.number().nullable()),
  /** p(token | everything before it), null where `bits` is. */
  probs: z.array(z.number().nullable()),
  /** The most likely tokens at each position, most likely first (never the unknown token; empty where `bits` is null). */
  top: z.array(z.array(tokenProbability)),
  /** Σ bits over the scored tokens; × ln 2 it is eval's loss × its scored tokens. */
  totalBits: z.number(),
  scoredTokens: z.number().int().nonnegative(),
  /** Characters (code points) of the scored tokens. */
  scoredCharacters: z.number().int().nonnegative(),
  /** totalBits / scoredCharacters (for a character run, eval's bits per character). */
  bitsPerChar: z.number(),
  /** For the reader: how a reset stream was read, and the tokens after its last whole window left unscored (none for a carried stream). */
  notes: z.array(z.string()),
});
export type SurprisalResult = z.infer<typeof surprisalResultSchema>;

/** One layer at one step of a trace (every vector of a gated cell is in its gate blocks' order, see {@link CELL_GATES}). */
const traceLayerSchema = z.object({
  /** The layer's input x_t: the token's embedding row (layer 0) or the layer below's h_t. */
  x: z.array(z.number()),
  hPrev: z.array(z.number()),
  /** W_ih·x_t [gates·hidden] (PyTorch's weight_ih_l{k}·x, the saved w_ih transposed). */
  wx: z.array(z.number()),
  /** W_hh·h_{t-1} [gates·hidden]. */
  wh: z.array(z.number()),
  /**
   * The pre-activations [gates·hidden]: wx + b_ih + wh + b_hh, except a GRU's n block, wx_n + b_in + r ⊙ (wh_n + b_hn).
   */
  pre: z.array(z.number()),
  /** Each gate after its nonlinearity (σ, or tanh for LSTM's g and GRU's n) [hidden], by name; none for a simple RNN. */
  gates: z.record(z.string(), z.array(z.number())),
  /** LSTM: the cell state before and after the step. */
  cPrev: z.array(z.number()).optional(),
  c: z.array(z.number()).optional(),
  h: z.array(z.number()),
});
export type TraceLayer = z.infer<typeof traceLayerSchema>;

/** `seqlab trace`: every term of the recurrence at every step, recomputed from the saved weights with PyTorch's math. */
export const traceResultSchema = z.object({
  ...tokensSchema,
  cell: z.enum(CELLS),
  hidden: z.number().int().positive(),
  /** Per layer, the biases b_ih and b_hh [gates·hidden] (the same at every step) and the input size. */
  layers: z.array(z.object({ inputSize: z.number().int().positive(), bIh: z.array(z.number()), bHh: z.array(z.number()) })),
  /** Per token: each layer's step, first layer first, and the most likely next tokens after it (never the unknown token). */
  steps: z.array(z.object({ layers: z.array(traceLayerSchema), top: z.array(tokenProbability) })),
});
export type TraceResult = z.infer<typeof traceResultSchema>;

/** A unit's scores for a span (see the engine's unitSearch.ts for their definitions). */
const unitScoreSchema = z.object({
  unit: z.number().int().nonnegative(),
  /** (mean inside − mean outside) / pooled standard deviation (Cohen's d). */
  separation: z.number(),
  /** The unit's variance over the whole text. */
  variance: z.number(),
  /** |2·AUC − 1| · |mean inside − mean outside| / (the unit's range over the text), from 0 to 1. */
  interpretability: z.number(),
  /** P(a token inside has a higher value than one outside), ties counting half. */
  auc: z.number(),
  meanInside: z.number(),
  meanOutside: z.number(),
});
export type UnitScore = z.infer<typeof unitScoreSchema>;

/** `seqlab units`: the units that best pick out a span of the text, ranked three ways. */
export const unitSearchResultSchema = z.object({
  cell: z.enum(CELLS),
  layer: z.number().int().nonnegative(),
  state: z.enum(INSPECT_STATES),
  units: z.number().int().positive(),
  /** The span, as UTF-16 offsets [start, end), and the tokens it overlaps (inside) and does not (outside). */
  span: z.object({ start: z.number().int().nonnegative(), end: z.number().int().positive() }),
  inside: z.number().int().positive(),
  outside: z.number().int().positive(),
  /** The top units by |separation|, by variance and by interpretability, best first. */
  bySeparation: z.array(unitScoreSchema),
  byVariance: z.array(unitScoreSchema),
  byInterpretability: z.array(unitScoreSchema),
  unknown: z.array(z.number().int().nonnegative()),
  stream: streamSchema,
});
export type UnitSearchResult = z.infer<typeof unitSearchResultSchema>;
