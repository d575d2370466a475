// What a run's validation losses were measured on, in words: the held-out split for the final figures, a sample of it during training.
import type { RunListItem, TextValidationFacts } from '../src/shared/protocol';
import { formatInteger } from './format';

/** A count in a few characters: 8,192 → "8k", 111,539 → "112k"; below 1,000 as it is. */
function roughCount(count: number): string {
  return count < 1000 ? formatInteger(count) : `${Math.round(count / 1000)}k`;
}

/** The split's tokens in words: "characters" or "tokens". */
function unit(facts: TextValidationFacts): string {
  return facts.characters ? 'characters' : 'tokens';
}

/**
 * What a text run's final figures were scored on, from the targets they counted: "the whole validation split (111,539
 * characters)", or "the first 65,536 of the 111,539 validation characters" (runs made before the whole split was scored).
 */
export function heldOutScope(targets: number, facts: TextValidationFacts | null): string {
  if (!facts) return `${formatInteger(targets)} validation tokens`;
  // Scoring in windows of seqLen tokens leaves out fewer than seqLen targets at the end of the split.
  const whole = targets + facts.seqLen > facts.splitTokens - 1;
  return whole
    ? `the whole validation split (${formatInteger(facts.splitTokens)} ${unit(facts)})`
    : `the first ${formatInteger(targets)} of the ${formatInteger(facts.splitTokens)} validation ${unit(facts)}`;
}

/** What each evaluation during training scored, briefly: "8k-character sample", "whole split" (a short text), or "sampled windows" (series). */
export function trainingValidationScope(run: Pick<RunListItem, 'task' | 'textValidation'>): string {
  const facts = run.textValidation;
  if (!facts) return run.task === 'series' ? 'sampled windows' : 'sample';
  return facts.sampleTokens < facts.splitTokens - 1 ? `${roughCount(facts.sampleTokens)}-${facts.characters ? 'character' : 'token'} sample` : 'whole split';
}
