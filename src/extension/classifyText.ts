// Asks the prediction process for one text's class probabilities, and words them for messages, hovers and the CSV lens.
import * as vscode from 'vscode';
import type { EngineHost } from './engineHost';
import { MAX_REQUEST_TEXT_CHARS, type ClassifyResult } from '../shared/protocol';
import type { RunSummary } from '../shared/runFolder';

/** Labels named in a message or hover. */
const TOP_LABELS = 3;

/** One text's classes, most likely first, and how many of its tokens the model does not know. */
export type TextClasses = ClassifyResult['results'][number];

type ClassifySummary = Extract<RunSummary, { task: 'classify' }>;

/** The class probabilities of one text, by the run in `runDir`. */
export async function classifyText(engine: EngineHost, runDir: string, text: string): Promise<TextClasses> {
  const { results } = await engine.request('predict/classify', { runDir, texts: [text.slice(0, MAX_REQUEST_TEXT_CHARS)] });
  const [result] = results;
  if (!result) throw new Error(vscode.l10n.t('The classifier gave no answer for the text.'));
  return result;
}

/** A probability as a percentage, e.g. "92.1%". */
export function percent(prob: number): string {
  return `${(prob * 100).toFixed(1)}%`;
}

/** The most likely labels with their probabilities: "spam 92.1% · ham 6.3% · promo 1.6%". */
export function topLabels(labels: TextClasses['labels'], count = TOP_LABELS): string {
  return labels
    .slice(0, count)
    .map(({ label, prob }) => `${label} ${percent(prob)}`)
    .join(' · ');
}

/** A note on tokens the model does not know ("; 3 tokens unknown to the model"), or nothing. */
export function unknownNote(unknownTokens: number): string {
  if (unknownTokens <= 0) return '';
  return unknownTokens === 1 ? vscode.l10n.t('; 1 token unknown to the model') : vscode.l10n.t('; {0} tokens unknown to the model', unknownTokens);
}

/** The CSV lens of a classifier: its macro-F1 beside naive Bayes's, "Classifier: macro-F1 0.93 vs naive Bayes 0.91". */
export function classifyLensTitle(summary: ClassifySummary): string {
  return vscode.l10n.t(
    '$(tag) Classifier: macro-F1 {0} vs naive Bayes {1}',
    summary.metrics.macroF1.toFixed(2),
    summary.baselines.naiveBayes.macroF1.toFixed(2),
  );
}
