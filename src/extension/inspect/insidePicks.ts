// The inside view's quick picks: switch the layer, state or unit shown, and choose among the units a unit search found.
import * as vscode from 'vscode';
import { CELL_STATES, type InspectState, type UnitScore, type UnitSearchResult } from '../../shared/inspect';
import type { CellType } from '../../shared/options';
import { formatSigned, unitMeansLine, unitScoreLine, type UnitSpread } from './insideLabels';

/** What the activations shown now are, for the switcher. */
export interface ShownUnit {
  cell: CellType;
  layers: number;
  layer: number;
  state: InspectState;
  unit: number;
  /** Each unit's spread over the text coloured now. */
  spreads: UnitSpread[];
}

/** A choice of what to show: some of layer, state and unit. */
export interface UnitChoice {
  layer?: number;
  state?: InspectState;
  unit?: number;
}

type Item = vscode.QuickPickItem & { choice?: UnitChoice; layers?: true };

/** The switcher: the other states and layers first, then every unit, the most varied in the text coloured first. */
export async function pickShownUnit(shown: ShownUnit): Promise<UnitChoice | undefined> {
  const items: Item[] = [];
  for (const state of CELL_STATES[shown.cell]) {
    if (state === shown.state) continue;
    items.push({
      label: `$(symbol-variable) ${vscode.l10n.t('Show the state {0}', state)}`,
      description:
        state === 'c' ? vscode.l10n.t("the LSTM's cell state (unbounded; coloured by its largest value)") : vscode.l10n.t("the cell's output (−1 to 1)"),
      choice: { state, unit: shown.unit },
    });
  }
  if (shown.layers > 1)
    items.push({ label: `$(layers) ${vscode.l10n.t('Show another layer…')}`, description: `${shown.layer + 1} / ${shown.layers}`, layers: true });
  items.push({ label: vscode.l10n.t('Units, the most varied here first'), kind: vscode.QuickPickItemKind.Separator });
  const sorted = [...shown.spreads].sort((a, b) => b.variance - a.variance || a.unit - b.unit);
  for (const spread of sorted) {
    items.push({
      label: `${spread.unit === shown.unit ? '$(check)' : '$(blank)'} ${vscode.l10n.t('Unit {0}', spread.unit)}`,
      description: vscode.l10n.t('{0} to {1} · variance {2}', formatSigned(spread.min), formatSigned(spread.max), spread.variance.toFixed(3)),
      choice: { unit: spread.unit },
    });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('SeqLab: unit {0}, layer {1} of {2}, state {3}', shown.unit, shown.layer + 1, shown.layers, shown.state),
    placeHolder: vscode.l10n.t('Choose a unit to colour the text by, or another state or layer'),
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (!picked.layers) return picked.choice;
  const layer = await vscode.window.showQuickPick(
    Array.from({ length: shown.layers }, (_, l) => ({
      label: `${l === shown.layer ? '$(check)' : '$(blank)'} ${vscode.l10n.t('Layer {0}', l + 1)}`,
      description: l === 0 ? vscode.l10n.t('reads the characters') : l === shown.layers - 1 ? vscode.l10n.t('feeds the prediction') : '',
      layer: l,
    })),
    { title: vscode.l10n.t('SeqLab: which layer?') },
  );
  return layer && { layer: layer.layer };
}

/** The units a search found, by separation, interpretability and variance; resolves with the unit chosen. */
export async function pickFoundUnit(result: UnitSearchResult): Promise<number | undefined> {
  const section = (title: string, scores: UnitScore[]): (vscode.QuickPickItem & { unit?: number })[] => [
    { label: title, kind: vscode.QuickPickItemKind.Separator },
    ...scores.map((score) => ({
      label: vscode.l10n.t('Unit {0}', score.unit),
      description: unitScoreLine(score),
      detail: unitMeansLine(score),
      unit: score.unit,
    })),
  ];
  const picked = await vscode.window.showQuickPick(
    [
      ...section(vscode.l10n.t('Separate the selection from the rest best (|d|)'), result.bySeparation),
      ...section(vscode.l10n.t('Most interpretable: one threshold reads them, with a large shift'), result.byInterpretability),
      ...section(vscode.l10n.t('Vary most over the text'), result.byVariance),
    ],
    {
      title: vscode.l10n.t(
        'SeqLab: units of layer {0} ({1}) for the selection: {2} tokens inside, {3} outside',
        result.layer + 1,
        result.state,
        result.inside,
        result.outside,
      ),
      placeHolder: vscode.l10n.t(
        "Choose a unit to colour the text by (d: Cohen's d, inside against outside; interp.: interpretability, 0 to 1; var.: variance)",
      ),
      matchOnDescription: true,
    },
  );
  return picked?.unit;
}
