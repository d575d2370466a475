// The dashboard's UI state (selection, chart options, prompt), saved with the webview so hide/show restores it.
import { GENERATE_OPTIONS } from '../src/shared/options';
import { MAX_COMPARED_RUNS } from '../src/shared/protocol';
import { loadWebviewState, saveWebviewState } from './vscodeApi';

/** The x axis of the loss chart. */
export type LossXAxis = 'step' | 'epoch';

/** Everything the user chose in the dashboard that should survive the panel being hidden. */
export interface UiState {
  selectedRunId: string | null;
  comparedRunIds: string[];
  /** EMA weight of the training-loss smoothing, 0 (off) to 0.99. */
  smoothing: number;
  logScale: boolean;
  xAxis: LossXAxis;
  prompt: string;
  /** The text in a classifier's Try it box. */
  classifyText: string;
  /** Sampling temperature for Generate (its range is the generation option's). */
  temperature: number;
  /** Tokens to generate. */
  generateLength: number;
}

/** Limits shared by the controls and the restore check. */
export const LIMITS = {
  smoothing: { min: 0, max: 0.99 },
  temperature: { min: GENERATE_OPTIONS.temperature.min, max: GENERATE_OPTIONS.temperature.max },
  generateLength: { min: GENERATE_OPTIONS.length.min, max: GENERATE_OPTIONS.length.max },
  comparedRuns: MAX_COMPARED_RUNS,
} as const;

const DEFAULTS: UiState = {
  selectedRunId: null,
  comparedRunIds: [],
  smoothing: 0.6,
  logScale: false,
  xAxis: 'step',
  prompt: '',
  classifyText: '',
  temperature: GENERATE_OPTIONS.temperature.default,
  generateLength: GENERATE_OPTIONS.length.default,
};

function clamp(value: unknown, range: { min: number; max: number }, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(range.max, Math.max(range.min, value)) : fallback;
}

/** Reads saved state defensively: anything missing or malformed falls back to its default. */
function restore(saved: unknown): UiState {
  const s = (typeof saved === 'object' && saved !== null ? saved : {}) as Partial<Record<keyof UiState, unknown>>;
  return {
    selectedRunId: typeof s.selectedRunId === 'string' ? s.selectedRunId : DEFAULTS.selectedRunId,
    comparedRunIds: Array.isArray(s.comparedRunIds)
      ? s.comparedRunIds.filter((id): id is string => typeof id === 'string').slice(0, LIMITS.comparedRuns)
      : DEFAULTS.comparedRunIds,
    smoothing: clamp(s.smoothing, LIMITS.smoothing, DEFAULTS.smoothing),
    logScale: typeof s.logScale === 'boolean' ? s.logScale : DEFAULTS.logScale,
    xAxis: s.xAxis === 'epoch' ? 'epoch' : 'step',
    prompt: typeof s.prompt === 'string' ? s.prompt : DEFAULTS.prompt,
    classifyText: typeof s.classifyText === 'string' ? s.classifyText : DEFAULTS.classifyText,
    temperature: clamp(s.temperature, LIMITS.temperature, DEFAULTS.temperature),
    generateLength: Math.round(clamp(s.generateLength, LIMITS.generateLength, DEFAULTS.generateLength)),
  };
}

/** The live UI state: read it with `current`, change it with `update` (which saves it). */
export class UiStateStore {
  private state: UiState = restore(loadWebviewState());

  /** The current state (treat as read-only). */
  get current(): Readonly<UiState> {
    return this.state;
  }

  /** Changes some fields and saves the whole state with the webview. */
  update(patch: Partial<UiState>): void {
    this.state = { ...this.state, ...patch };
    saveWebviewState(this.state);
  }
}
