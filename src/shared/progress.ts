// How far a training run is, shared by the CLI, the extension and the dashboard (no runtime imports, so the webview bundle stays small).
import type { TrainProgress } from './protocol';

/** How far training is, 0…1, from the epochs or the time estimate, whichever is further along. */
export function progressFraction(p: Pick<TrainProgress, 'epoch' | 'epochs' | 'seconds' | 'etaSeconds'>): number {
  const byEpochs = p.epochs > 0 ? p.epoch / p.epochs : 0;
  const byTime = p.etaSeconds !== null && p.seconds + p.etaSeconds > 0 ? p.seconds / (p.seconds + p.etaSeconds) : 0;
  return Math.min(1, Math.max(byEpochs, byTime));
}
