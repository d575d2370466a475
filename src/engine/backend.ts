// Chooses and initialises the TensorFlow.js backend: tfjs-node when it loads, else wasm, else cpu.
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { UsageError, type BackendChoice } from '../shared/options';

export type BackendName = Exclude<BackendChoice, 'auto'>;

/** Why each backend that was tried did not load, for the run record and messages. */
export interface BackendReport {
  backend: BackendName;
  skipped: { backend: BackendName; reason: string }[];
}

/** The cpu backend registers itself when its module loads; naming its class keeps the bundler from dropping it. */
export const CPU_BACKEND_CLASS = MathBackendCPU.name;

/**
 * A file that the build puts beside the bundles (dist/wasm/…, dist/gradientWorker.js) or above the test bundles
 * (out/…): the nearest one in the running bundle's folder or a folder above it.
 */
export function builtFile(relative: string): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${relative} is not beside or above ${__dirname}; run npm run build`);
  }
}

async function tryBackend(name: BackendName): Promise<void> {
  if (name === 'tensorflow') {
    // tfjs-node is an optional native dependency, loaded only when asked for; it registers 'tensorflow'.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-node');
  } else if (name === 'wasm') {
    setWasmPaths(path.dirname(builtFile(path.join('wasm', 'tfjs-backend-wasm.wasm'))) + path.sep);
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

let active: BackendReport | undefined;

/**
 * Initialises the backend once per process. With `auto` it falls through tensorflow → wasm → cpu;
 * a backend asked for by name that cannot load is an error, never a silent switch.
 */
export async function initBackend(choice: BackendChoice): Promise<BackendReport> {
  if (active && (choice === 'auto' || choice === active.backend)) return active;
  // Production mode: no debug checks, and no console banners that would mix into --json output.
  tf.env().set('PROD', true);
  const order: BackendName[] = choice === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [choice];
  const skipped: BackendReport['skipped'] = [];
  for (const name of order) {
    try {
      await tryBackend(name);
      active = { backend: name, skipped };
      return active;
    } catch (error) {
      skipped.push({ backend: name, reason: firstLine(error) });
    }
  }
  const reasons = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  throw new UsageError(
    choice === 'auto'
      ? `No TensorFlow.js backend could load (${reasons}).`
      : `The ${choice} backend could not load (${reasons}). Use --backend auto to fall back to one that loads.`,
  );
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0];
}

/** The backend in use for a note, with why the ones before it in the order were skipped ("wasm (tfjs-node, the optional native backend, is not installed)"). */
export function describeBackend(report: BackendReport): string {
  const why = report.skipped.map((s) =>
    s.backend === 'tensorflow' && /Cannot find module '@tensorflow\/tfjs-node'/.test(s.reason)
      ? 'tfjs-node, the optional native backend, is not installed'
      : `${s.backend} did not load: ${s.reason}`,
  );
  return `${report.backend}${why.length ? ` (${why.join('; ')})` : ''}`;
}
