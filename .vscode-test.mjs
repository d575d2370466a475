// @vscode/test-cli config (`npx vscode-test`): the extension-host suites of the code-server harness, run in a downloaded desktop VS Code where one can be downloaded.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/host/**/*.host.js',
  workspaceFolder: 'samples',
  mocha: { ui: 'tdd', timeout: 30_000 },
});
