// `npm run soak -- [minutes]`: a long training run that samples live tensors and RSS at every evaluation, to show they do not grow.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { train } from '../src/engine/train';

/** Training minutes (default 30). */
const minutes = Number(process.argv[2] ?? 30);
const ROOT = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-soak-'));
  const samples: { seconds: number; step: number; tensors: number; rssMB: number }[] = [];
  let lastEval = -1;
  const result = await train(
    { file: path.join(ROOT, 'samples/english.txt'), runsDir, args: { maxSeconds: minutes * 60, epochs: 1_000_000, patience: 0, evalEvery: 200 } },
    {
      onProgress: (progress) => {
        if (progress.valLoss === null || progress.step === lastEval || progress.step % 200 !== 0) return;
        lastEval = progress.step;
        samples.push({
          seconds: Math.round(progress.seconds),
          step: progress.step,
          tensors: tf.memory().numTensors,
          rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
        });
        const last = samples[samples.length - 1];
        console.log(`t=${last.seconds}s step=${last.step} tensors=${last.tensors} rss=${last.rssMB} MB`);
      },
    },
  );
  const after = samples.slice(Math.min(2, samples.length - 1));
  const tensors = after.map((s) => s.tensors);
  const rss = after.map((s) => s.rssMB);
  const report = {
    minutes,
    steps: result.record.progress.step,
    samples: samples.length,
    tensors: { min: Math.min(...tensors), max: Math.max(...tensors) },
    rssMB: { first: rss[0], last: rss[rss.length - 1], max: Math.max(...rss) },
    peakRssMB: Math.round(result.peakRssMB),
  };
  console.log(JSON.stringify(report));
  fs.rmSync(runsDir, { recursive: true, force: true });
  process.exitCode = report.tensors.max === report.tensors.min ? 0 : 1;
}

void main();
