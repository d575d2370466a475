// The inside view's hover: over a coloured character, the units most active there (each a link that colours by it), or its surprisal and the likeliest alternatives.
import * as vscode from 'vscode';
import type { InsideController } from './insideController';

export class InsideHoverProvider implements vscode.HoverProvider {
  constructor(private readonly controller: InsideController) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    return this.controller.hoverAt(document, position);
  }
}
