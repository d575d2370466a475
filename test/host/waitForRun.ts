// For the host suites: waiting until a run that matches shows up in the runs folder.
import type { SeqLabApi } from '../../src/extension/extension';
import type { RunRecord } from '../../src/shared/runFolder';

/** Resolves with the first run that matches, once it shows up in the runs folder; throws after `timeoutMs`. */
export async function waitForRun(api: SeqLabApi, predicate: (record: RunRecord) => boolean, timeoutMs: number): Promise<RunRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await api.runs.refresh(true);
    const found = api.runs.listings().flatMap((r) => (r.ok && predicate(r.record) ? [r.record] : []))[0];
    if (found) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting for a run');
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}
