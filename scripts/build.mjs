// Builds everything: tsc type-checks; esbuild bundles the extension, engine, CLI and webview to dist/, and the tests and bench to out/.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const tsc = ['node_modules/typescript/bin/tsc', '--noEmit', '-p'];
execFileSync(process.execPath, [...tsc, '.'], { stdio: 'inherit' });
if (existsSync('webview/main.ts')) execFileSync(process.execPath, [...tsc, 'webview'], { stdio: 'inherit' });

/** All files under a folder whose paths match. */
function find(folder, pattern) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true })
    .map((file) => path.join(folder, file))
    .filter((file) => pattern.test(file));
}

/**
 * Node bundles. The ESM builds of TensorFlow.js ('module' first) are bundled: they register every op's gradient,
 * which the CommonJS node builds leave out. tfjs-node is optional and native: required at run time when present.
 */
const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  mainFields: ['module', 'main'],
  sourcemap: true,
  external: ['@tensorflow/tfjs-node', 'vscode'],
  logLevel: 'warning',
};

// Shipped bundles are minified (faster activation, smaller VSIX); source maps keep stack traces readable.
await esbuild.build({
  ...node,
  minify: true,
  entryPoints: {
    cli: 'src/cli/main.ts',
    engine: 'src/engine/processes/engine.ts',
    gradientWorker: 'src/engine/processes/gradientWorker.ts',
    extension: 'src/extension/extension.ts',
  },
  outdir: 'dist',
});
if (existsSync('webview/main.ts')) {
  await esbuild.build({
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
    entryPoints: { dashboard: 'webview/main.ts' },
    outdir: 'dist/webview',
  });
  cpSync('node_modules/uplot/dist/uPlot.min.css', 'dist/webview/uPlot.min.css');
}

// Tests: unit tests and the bench run in plain Node; the e2e harness drives code-server; host suites run inside it.
await esbuild.build({
  ...node,
  entryPoints: [...find('src', /\.test\.ts$/), ...find('test/webview', /\.test\.ts$/), ...find('bench', /\.ts$/)],
  outdir: 'out',
  outbase: '.',
});
// The gradient worker threads that the tests and the bench start (the engine's own is dist/gradientWorker.js).
await esbuild.build({ ...node, entryPoints: { gradientWorker: 'src/engine/processes/gradientWorker.ts' }, outdir: 'out' });
await esbuild.build({
  ...node,
  external: [...node.external, 'playwright-core', 'mocha'],
  entryPoints: [...find('test/e2e', /\.ts$/), ...find('test/vscode-runner', /\.ts$/), ...find('test/host', /\.host\.ts$/), ...find('test/ui', /\.ui\.ts$/)],
  outdir: 'out',
  outbase: '.',
});

// The wasm backend loads its binaries from a wasm/ folder beside or above the bundle that runs.
for (const folder of ['dist/wasm', 'out/wasm']) {
  mkdirSync(folder, { recursive: true });
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    cpSync(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${file}`, `${folder}/${file}`);
  }
}
