// Commander flags from the options table: each option's flag, help text, default, choices and value parser.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseLevels } from '../engine/eval/intervals';
import { flagName, type AnyOption } from '../shared/options';

/** A number, or the error commander prints with the flag's name. */
export function parseNumber(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new InvalidArgumentError(`"${value}" is not a number.`);
  return parsed;
}

/** A column by name, or by index when it is all digits. */
function column(value: string): string | number {
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** How the text after a flag becomes the option's value (range checks come later, from the same table, in one place). */
function parserOf(option: AnyOption): ((value: string) => unknown) | undefined {
  switch (option.kind) {
    case 'number':
      return parseNumber;
    case 'boolean':
      return (value) => {
        if (value === 'true' || value === 'false') return value === 'true';
        throw new InvalidArgumentError(`"${value}" is not true or false.`);
      };
    case 'autoInt':
      return (value) => (value === 'auto' ? 'auto' : parseNumber(value));
    case 'column':
      return column;
    case 'path':
      return (value) => value;
    case 'columns':
      return (value) => value.split(',').map((part) => column(part.trim()));
    case 'levels':
      return parseLevels;
    case 'choice':
      return undefined;
  }
}

/** The placeholder after a flag in `--help`. */
function placeholderOf(option: AnyOption): string {
  switch (option.kind) {
    case 'number':
      return option.integer ? '<n>' : '<number>';
    case 'choice':
      return '<choice>';
    case 'boolean':
      return '<true|false>';
    case 'autoInt':
      return '<auto|n>';
    case 'column':
      return '<name|index>';
    case 'path':
      return '<path>';
    case 'columns':
      return '<a,b>';
    case 'levels':
      return '<a,b>';
  }
}

/** Adds a flag for every option of `table` (except `skip`) to `command`, with the option's doc as its help. */
export function addOptionFlags(command: Command, table: Record<string, AnyOption>, skip: readonly string[] = []): Command {
  for (const [name, option] of Object.entries(table)) {
    if (skip.includes(name)) continue;
    const flag = new Option(`${flagName(name)} ${placeholderOf(option)}`, option.doc.replace(/`/g, ''));
    const parse = parserOf(option);
    if (parse) flag.argParser(parse);
    if (option.kind === 'choice') flag.choices(option.choices);
    if (option.default !== undefined && !(Array.isArray(option.default) && option.default.length === 0))
      flag.default(option.default, Array.isArray(option.default) ? option.default.join(',') : String(option.default));
    command.addOption(flag);
  }
  return command;
}
