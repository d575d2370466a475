// A test helper: asserts that loading CSV data fails with a DataError saying the expected things.
import assert from 'node:assert/strict';
import { DataError } from './dataError';

/** Asserts that loading throws a DataError whose message matches every pattern. */
export function assertDataError(load: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(load, (error: unknown) => {
    assert.ok(error instanceof DataError, `expected DataError, got ${String(error)}`);
    patterns.forEach((pattern) => assert.match(error.message, pattern));
    return true;
  });
}
