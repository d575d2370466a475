// Which text run feeds the preview: the one chosen (or first adopted) stays until it is deleted; newer runs never take over by themselves.
import type { RunListItem } from '../shared/protocol';
import { hasUsableModel } from '../shared/runFolder';

/** What the choice reads of a run. */
type PreviewCandidate = Pick<RunListItem, 'id' | 'task' | 'status' | 'progress'>;

/** Whether a run has a text model the preview can use. */
export function isUsableTextRun(run: PreviewCandidate): boolean {
  return run.task === 'text' && hasUsableModel(run);
}

/**
 * The preview's run among `runs` (newest first), given the id remembered for it, and the id to remember from now on. A remembered run
 * that still exists stays the preview's, serving whenever it has a usable model (not while it trains again); only when none is
 * remembered, or the remembered one was deleted, is a run adopted: the newest completed text run, else the newest stopped one.
 */
export function resolvePreviewRun<R extends PreviewCandidate>(
  runs: readonly R[],
  remembered: string | undefined,
): { run: R | undefined; remember: string | undefined } {
  const kept = remembered === undefined ? undefined : runs.find((r) => r.id === remembered);
  if (kept) return { run: isUsableTextRun(kept) ? kept : undefined, remember: kept.id };
  const adopted = runs.find((r) => isUsableTextRun(r) && r.status === 'completed') ?? runs.find(isUsableTextRun);
  return { run: adopted, remember: adopted?.id };
}
