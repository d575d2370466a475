// Fuzzing the CLI's options: random flags of the options table with random values (and unknown flags), parsed by the CLI's commander flags and then resolved against the table's ranges.
import fc from 'fast-check';
import { Command, CommanderError } from 'commander';
import { fuzzSurface } from '../fuzzHelpers';
import { addOptionFlags } from './optionFlags';
import {
  flagName,
  GENERATE_OPTIONS,
  resolveGenerateArgs,
  resolveTrainArgs,
  TRAIN_OPTIONS,
  UsageError,
  type GenerateArgs,
  type TrainArgs,
} from '../shared/options';

/** Values a user may type after a flag: numbers of every shape, words, choices of other options, paths, lists. */
const value = fc.oneof(
  fc.double().map(String),
  fc.integer({ min: -1e7, max: 1e7 }).map(String),
  fc.constantFrom(
    '',
    ' ',
    'auto',
    'true',
    'false',
    'NaN',
    'Infinity',
    '-0',
    '1e309',
    '0x10',
    '1,2',
    '80,95',
    ',',
    '50,',
    'lstm',
    'gpu',
    '../x',
    '\u0000',
    '--',
  ),
  fc.string({ maxLength: 30 }),
);

/** One flag of `table` (or an unknown one) with a value. */
function flagWithValue(table: Record<string, unknown>): fc.Arbitrary<string[]> {
  const flags = [...Object.keys(table).map(flagName), '--no-such-flag', '-x'];
  return fc.tuple(fc.constantFrom(...flags), value).map(([flag, text]) => [flag, text]);
}

/**
 * Parses `argv` with a command carrying the table's flags, as the CLI does, and resolves the options: a commander
 * refusal becomes the one-line reason the CLI prints (its first line), as a UsageError.
 */
function parseAndResolve<T>(table: Record<string, never>, argv: string[], resolve: (partial: Partial<T>) => T): T {
  const command = addOptionFlags(new Command('train').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined }), table);
  try {
    command.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new UsageError(error.message.trim().split('\n')[0]);
    throw error;
  }
  return resolve(command.opts() as Partial<T>);
}

fuzzSurface(
  'CLI: train options',
  fc.array(flagWithValue(TRAIN_OPTIONS), { maxLength: 6 }).map((pairs) => pairs.flat()),
  (argv) => parseAndResolve<TrainArgs>(TRAIN_OPTIONS as unknown as Record<string, never>, argv, resolveTrainArgs),
);

fuzzSurface(
  'CLI: generate options',
  fc.array(flagWithValue(GENERATE_OPTIONS), { maxLength: 6 }).map((pairs) => pairs.flat()),
  (argv) => parseAndResolve<GenerateArgs>(GENERATE_OPTIONS as unknown as Record<string, never>, argv, resolveGenerateArgs),
);
