// Builds everything: tsc type-checks; esbuild bundles the shipped entry points to dist/ and the tests and bench to out/.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit'], { stdio: 'inherit' });

/** All files under a folder whose names match. */
function find(folder, pattern) {
  return readdirSync(folder, { recursive: true })
    .map((file) => path.join(folder, file))
    .filter((file) => pattern.test(file));
}

/**
 * The ESM builds of TensorFlow.js ('module' first) are bundled: they register every op's gradient, which the
 * CommonJS node builds leave out. tfjs-node is optional and native: required at run time when present, never bundled.
 */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  mainFields: ['module', 'main'],
  sourcemap: true,
  external: ['@tensorflow/tfjs-node', 'vscode'],
  logLevel: 'warning',
};

await esbuild.build({ ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist' });
const tests = [...find('src', /\.test\.ts$/), ...find('bench', /\.ts$/)];
await esbuild.build({ ...common, entryPoints: tests, outdir: 'out', outbase: '.' });

// The wasm backend loads its binaries from a wasm/ folder beside or above the bundle that runs.
for (const folder of ['dist/wasm', 'out/wasm']) {
  mkdirSync(folder, { recursive: true });
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    cpSync(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${file}`, `${folder}/${file}`);
  }
}
