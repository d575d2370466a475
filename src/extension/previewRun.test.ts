// Tests that the preview keeps the run chosen for it, and adopts one only when none was chosen or the chosen one was deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunListItem } from '../shared/protocol';
import { isUsableTextRun, resolvePreviewRun } from './previewRun';

/** A run as the runs list shows it, with the fields the choice reads. */
function run(id: string, status: RunListItem['status'], task: RunListItem['task'] = 'text'): Pick<RunListItem, 'id' | 'task' | 'status' | 'progress'> {
  return { id, status, task, progress: null };
}

test('a chosen run stays the preview model when newer runs finish, even better or stopped ones', () => {
  const runs = [run('newest-stopped', 'cancelled'), run('newer-completed', 'completed'), run('chosen', 'completed')];
  assert.deepEqual(resolvePreviewRun(runs, 'chosen'), { run: runs[2], remember: 'chosen' });
});

test('with none chosen, the newest completed text run is adopted and remembered, before a newer stopped one', () => {
  const runs = [
    run('series', 'completed', 'series'),
    run('stopped', 'cancelled'),
    run('training', 'running'),
    run('completed', 'completed'),
    run('older', 'completed'),
  ];
  assert.deepEqual(resolvePreviewRun(runs, undefined), { run: runs[3], remember: 'completed' });
  // Once remembered, a run that finishes later does not take over.
  const later = [run('finished-later', 'completed'), ...runs];
  assert.equal(resolvePreviewRun(later, 'completed').run?.id, 'completed');
});

test('a stopped run is adopted when no text run completed', () => {
  const runs = [run('training', 'running'), run('stopped', 'cancelled'), run('failed', 'failed')];
  assert.deepEqual(resolvePreviewRun(runs, undefined), { run: runs[1], remember: 'stopped' });
});

test('when the chosen run was deleted, another is adopted', () => {
  const runs = [run('stopped', 'cancelled'), run('completed', 'completed')];
  assert.deepEqual(resolvePreviewRun(runs, 'deleted'), { run: runs[1], remember: 'completed' });
  assert.deepEqual(resolvePreviewRun([], 'deleted'), { run: undefined, remember: undefined });
});

test('a chosen run that trains again (or is damaged) is kept, and no other run stands in meanwhile', () => {
  const runs = [run('other', 'completed'), run('chosen', 'running')];
  assert.deepEqual(resolvePreviewRun(runs, 'chosen'), { run: undefined, remember: 'chosen' });
  const damaged = [run('other', 'completed'), run('chosen', 'corrupt', null)];
  assert.deepEqual(resolvePreviewRun(damaged, 'chosen'), { run: undefined, remember: 'chosen' });
});

test('a run that failed after saving a best checkpoint serves the preview; one that failed before does not', () => {
  const saved = { ...run('failed-saved', 'failed'), progress: { step: 40, epoch: 1, seconds: 3, bestStep: 20, bestValLoss: 1.5 } };
  assert.equal(isUsableTextRun(saved), true);
  assert.equal(isUsableTextRun(run('failed-early', 'failed')), false);
});
