// Turns a run id that arrived from the webview or a command into its folder, refusing anything outside the runs folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RUN_ID_PATTERN } from '../shared/runFolder';

/**
 * The folder of run `id` directly inside `runsDir`, or undefined: ids with separators or `..`, absolute paths,
 * folders without run.json, and symlinks that resolve outside the runs folder never reach the file system.
 */
export function resolveRunDir(runsDir: string, id: string): string | undefined {
  if (!RUN_ID_PATTERN.test(id) || id.includes('..')) return undefined;
  try {
    const root = fs.realpathSync(runsDir);
    const dir = fs.realpathSync(path.join(root, id));
    return path.dirname(dir) === root && fs.statSync(dir).isDirectory() ? dir : undefined;
  } catch {
    return undefined;
  }
}
