// The inside view's commands: Show Activations, Show Surprisal, Find Units for Selection, the unit switcher and the toggle.
import * as vscode from 'vscode';
import { INSPECT_STATES, type InspectState } from '../../shared/inspect';
import type { InsideController } from './insideController';
import type { UnitChoice } from './insidePicks';

/**
 * A unit, layer and state passed by the hover's links, the dashboard, a keybinding or a test (`{ unit: 17 }`); anything
 * else (the editor's context menu passes the file's URI) chooses nothing.
 */
function unitChoice(value: unknown): UnitChoice {
  if (typeof value !== 'object' || value === null || value instanceof vscode.Uri) return {};
  const { layer, state, unit } = value as Record<string, unknown>;
  const whole = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined);
  return {
    layer: whole(layer),
    state: INSPECT_STATES.includes(state as InspectState) ? (state as InspectState) : undefined,
    unit: whole(unit),
  };
}

export function registerInsideCommands(controller: InsideController): vscode.Disposable[] {
  return [
    // From the palette or the editor's menu (no unit, or the file's URI), the selection is coloured when there is one.
    vscode.commands.registerCommand('seqlab.showActivations', (choice?: unknown) => {
      const chosen = unitChoice(choice);
      const fromMenu = chosen.layer === undefined && chosen.state === undefined && chosen.unit === undefined;
      return controller.show('activations', chosen, fromMenu ? 'selection' : 'view');
    }),
    vscode.commands.registerCommand('seqlab.showSurprisal', () => controller.show('surprisal', {}, 'selection')),
    vscode.commands.registerCommand('seqlab.findUnits', async () => void (await controller.findUnits())),
    vscode.commands.registerCommand('seqlab.chooseUnit', () => controller.chooseUnit()),
    vscode.commands.registerCommand('seqlab.toggleInside', () => controller.toggle()),
  ];
}
