// Tests that run ids from the webview or commands cannot name anything outside the runs folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../testHelpers';
import { resolveRunDir } from './runPath';

const base = tempDir('seqlab-runpath-');
const runsDir = path.join(base, 'runs');
const outside = path.join(base, 'outside');
fs.mkdirSync(path.join(runsDir, '20260101-000000-good-ab12'), { recursive: true });
fs.mkdirSync(outside);
fs.symlinkSync(outside, path.join(runsDir, 'escape-link'));

test('a run id inside the runs folder resolves to its folder', () => {
  assert.equal(resolveRunDir(runsDir, '20260101-000000-good-ab12'), path.join(fs.realpathSync(runsDir), '20260101-000000-good-ab12'));
});

test('traversal, absolute paths, separators and symlinks out of the folder are refused', () => {
  for (const id of ['..', '../outside', '../../etc', '/etc', path.join(base, 'outside'), 'a/b', 'a\\b', '.hidden', 'escape-link', 'missing-run', '']) {
    assert.equal(resolveRunDir(runsDir, id), undefined, JSON.stringify(id));
  }
});
