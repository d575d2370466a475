// Damage to the files SeqLab reads back (run folders, export folders) for fuzzing: truncated, a bit flipped, a JSON field of the wrong type, deleted, or a symlink.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';

/** The paths of every field of a JSON value, nested objects and arrays included (the root is the empty path). */
function fieldPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((key) => fieldPaths((value as Record<string | number, unknown>)[key], [...prefix, key]))];
}

/** JSON values of every type, to put where another type belongs. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1.5, 1e308, '', 'x', '../../etc/passwd', [], {}, [1], { length: -1 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A position in anything, unbiased (fast-check favours small numbers): taken modulo the length of what it picks from. */
export const pick = fc.noBias(fc.nat());

/** One damage to a file's text or bytes; `at` picks a byte or a JSON field (modulo their number). */
export type Damage =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'wrongType'; at: number; value: unknown }
  | { kind: 'delete' }
  | { kind: 'missingLink' }
  | { kind: 'folderLink' };

export const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: pick }),
  fc.record({ kind: fc.constant('flip' as const), at: pick, bit: fc.integer({ min: 0, max: 7 }) }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wrongType' as const), at: pick, value: wrongValue }) },
  fc.constantFrom<Damage>({ kind: 'delete' }, { kind: 'missingLink' }, { kind: 'folderLink' }),
);

/** Bytes with one damage of the contents kinds (truncated, a bit flipped, a JSON field given a wrong type). */
export function damaged(bytes: Buffer, how: Damage): Buffer {
  const position = ('at' in how ? how.at : 0) % Math.max(1, bytes.length);
  if (how.kind === 'truncate') return bytes.subarray(0, position);
  if (how.kind === 'flip') {
    const copy = Buffer.from(bytes);
    if (copy.length > 0) copy[position] ^= 1 << how.bit;
    return copy;
  }
  if (how.kind !== 'wrongType') return bytes;
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return Buffer.from(JSON.stringify(how.value) ?? 'null');
  }
  const paths = fieldPaths(json);
  const at = paths[how.at % paths.length];
  if (at.length === 0) return Buffer.from(JSON.stringify(how.value));
  let parent = json as Record<string | number, unknown>;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[at[at.length - 1]] = how.value;
  return Buffer.from(JSON.stringify(json));
}

/** Damages one file in place: its bytes (see {@link damaged}), deleted, or replaced by a symlink to nothing or to `folder`. */
export function damageFile(file: string, how: Damage, folder: string): void {
  if (how.kind === 'delete') fs.rmSync(file);
  else if (how.kind === 'missingLink' || how.kind === 'folderLink') {
    fs.rmSync(file);
    fs.symlinkSync(how.kind === 'missingLink' ? path.join(path.dirname(file), 'missing-file') : folder, file);
  } else fs.writeFileSync(file, damaged(fs.readFileSync(file), how));
}
