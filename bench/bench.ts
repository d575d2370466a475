// `npm run bench`: training tokens/s of SeqLab vs tfjs-layers vs PyTorch, preview latency, peak RSS → bench/results.json.
//
// Options: --quick (shorter timing windows), --backends wasm,cpu,tensorflow, --no-layers, --no-pytorch, --out FILE.
// A full run writes bench/results.json; a partial one (any option) writes only to an --out it is given.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src/engine/backend';
import { recurrentLayer, GATE_COUNT } from '../src/engine/nn/recurrent';
import { EngineModel, FusedModel, LayersModel, type BenchModel, type ModelShape } from './models';
import type { CellType } from '../src/shared/options';

const BATCH = 32;
const SEQ = 64;
const VOCAB = 65;
const EMBED = 32;
const PROMPT = 64;
/** Thread counts the engine model is measured with (the machine's cores at most). */
const THREADS = [1, 2].filter((threads) => threads <= os.availableParallelism());
const CONTINUATION = 32;
const CELLS: { cell: CellType; hidden: number }[] = [
  { cell: 'rnn', hidden: 128 },
  { cell: 'lstm', hidden: 128 },
  { cell: 'gru', hidden: 128 },
  { cell: 'lstm', hidden: 256 },
  { cell: 'lstm', hidden: 512 },
];
/** The repository: the working folder when it holds bench/ (npm run bench), else two levels above out/bench/. */
const ROOT = fs.existsSync(path.join(process.cwd(), 'bench', 'pytorch_reference.py')) ? process.cwd() : path.resolve(__dirname, '..', '..');
const PYTHON = '/usr/bin/python3';
const PYTORCH_SCRIPT = path.join(ROOT, 'bench', 'pytorch_reference.py');

interface Options {
  /** Where the results go: bench/results.json for a full run, else only a given --out. */
  out: string | undefined;
  quick: boolean;
  backends: BackendName[];
  layers: boolean;
  pytorch: boolean;
}

function parseOptions(argv: string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const partial = argv.some((arg) => arg.startsWith('--') && arg !== '--out');
  return {
    out: value('--out') ?? (partial ? undefined : path.join(ROOT, 'bench', 'results.json')),
    quick: argv.includes('--quick'),
    backends: (value('--backends') ?? 'wasm,cpu,tensorflow').split(',') as BackendName[],
    layers: !argv.includes('--no-layers'),
    pytorch: !argv.includes('--no-pytorch'),
  };
}

/** A measurement, or why there is none. */
type Result = { tokensPerSec: number; msPerStep: number; steps: number } | { skipped: string };

function label(r: Result | undefined): string {
  if (!r) return '-';
  return 'skipped' in r ? 'skipped' : `${Math.round(r.tokensPerSec).toLocaleString('en-US')}`;
}

function tokensPerSec(r: Result | undefined): number | undefined {
  return r && !('skipped' in r) ? r.tokensPerSec : undefined;
}

/** The measurement with the most tokens/s, if any has one. */
function fastest(results: (Result | undefined)[]): Result | undefined {
  return results.reduce<Result | undefined>((best, r) => ((tokensPerSec(r) ?? 0) > (tokensPerSec(best) ?? 0) ? r : best), undefined);
}

/** The thread count of a cell's fastest SeqLab measurement (the fused layers alone run on one). */
function bestThreadCount(row: Record<string, Result>): number {
  const winner = fastest([row.fused, ...THREADS.map((threads) => row[`engine${threads}t`])]);
  return THREADS.find((threads) => row[`engine${threads}t`] === winner) ?? 1;
}

/**
 * Trains on a fixed random batch: `warmup` untimed steps, then three windows of at least `minSteps` steps and
 * `budgetMs` / 3 each; the best window counts (the machine is shared, and PyTorch is measured the same way).
 */
async function measure(create: BenchModel | Promise<BenchModel>, warmup: number, minSteps: number, budgetMs: number): Promise<Result> {
  const model = await create;
  const ids = tf.randomUniform([BATCH, SEQ], 0, VOCAB, 'int32', 1) as tf.Tensor2D;
  const targets = tf.randomUniform([BATCH, SEQ], 0, VOCAB, 'int32', 2) as tf.Tensor2D;
  try {
    for (let i = 0; i < warmup; i++) await model.trainStep(ids, targets);
    let best = Infinity;
    let total = 0;
    for (let window = 0; window < 3; window++) {
      const start = performance.now();
      let steps = 0;
      while (steps < minSteps || performance.now() - start < budgetMs / 3) {
        const loss = await model.trainStep(ids, targets);
        if (!Number.isFinite(loss)) throw new Error(`loss ${loss}`);
        steps++;
      }
      best = Math.min(best, (performance.now() - start) / steps);
      total += steps;
    }
    return { tokensPerSec: (BATCH * SEQ * 1000) / best, msPerStep: best, steps: total };
  } catch (error) {
    return { skipped: `error: ${String(error instanceof Error ? error.message : error).split('\n')[0]}` };
  } finally {
    tf.dispose([ids, targets]);
    await model.dispose();
  }
}

/** Preview latency of the engine's model: a 32-token greedy continuation of a 64-token prompt, state carried. */
async function previewLatency(runs: number): Promise<{ p50: number; p95: number; runs: number }> {
  const model = await EngineModel.create({ cell: 'lstm', vocab: VOCAB, embed: EMBED, hidden: 128 }, 3, 1);
  const prompt = Array.from({ length: PROMPT }, (_, i) => (i * 7) % VOCAB);
  for (let i = 0; i < 3; i++) model.generate(prompt, CONTINUATION);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    model.generate(prompt, CONTINUATION);
    times.push(performance.now() - start);
  }
  await model.dispose();
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p95: at(0.95), runs };
}

/** SeqLab's layers on random weights, inputs and state, as JSON for pytorch_reference.py's check mode. */
function crossCheckCases(): unknown[] {
  return (['rnn', 'lstm', 'gru'] as CellType[]).map((cell, k) =>
    tf.tidy(() => {
      const [B, T, I, H] = [3, 11, 5, 7];
      const G = GATE_COUNT[cell] * H;
      const r = (shape: number[], s: number) => tf.randomUniform(shape, -0.6, 0.6, 'float32', 100 * k + s);
      const x = r([B, T, I], 1) as tf.Tensor3D;
      const w = { wIh: r([I, G], 2) as tf.Tensor2D, wHh: r([H, G], 3) as tf.Tensor2D, bIh: r([G], 4) as tf.Tensor1D, bHh: r([G], 5) as tf.Tensor1D };
      const init = { h: r([B, H], 6) as tf.Tensor2D, c: r([B, H], 7) as tf.Tensor2D };
      const { outputs, final } = recurrentLayer(cell, x, w, init);
      return {
        cell,
        input: I,
        hidden: H,
        x: x.arraySync(),
        wIh: w.wIh.arraySync(),
        wHh: w.wHh.arraySync(),
        bIh: w.bIh.arraySync(),
        bHh: w.bHh.arraySync(),
        h0: init.h.arraySync(),
        c0: init.c.arraySync(),
        outputs: outputs.arraySync(),
        h: final.h.arraySync(),
        c: final.c?.arraySync(),
      };
    }),
  );
}

/** Loads SeqLab's weights into PyTorch and compares outputs (max relative error below 1e-5 passes). */
function pytorchCrossCheck(): { passed: boolean; tolerance: number; cases: { cell: string; maxRelError: number }[] } | { skipped: string } {
  const file = path.join(os.tmpdir(), `seqlab-crosscheck-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(crossCheckCases()));
  const run = python([PYTORCH_SCRIPT, 'check', file]);
  fs.rmSync(file, { force: true });
  if (!run.ok) return { skipped: run.reason };
  const cases = (run.json as { cases: { cell: string; maxRelError: number }[] }).cases;
  return { passed: cases.every((c) => c.maxRelError < 1e-5), tolerance: 1e-5, cases };
}

function python(args: string[], threads = 1): { ok: true; json: unknown } | { ok: false; reason: string } {
  // torch.set_num_threads does not bound OpenBLAS's own pool: the environment does.
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  const run = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 24, env });
  if (run.error) return { ok: false, reason: run.error.message };
  if (run.status !== 0) return { ok: false, reason: (run.stderr || `exit ${run.status}`).trim().split('\n').pop()! };
  return { ok: true, json: JSON.parse(run.stdout) };
}

function torchAvailable(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON}: ${probe.error.message}`;
  if (probe.status !== 0) return 'torch does not import (run bench/setup.sh)';
  return undefined;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const budget = options.quick ? 1000 : 3000;
  const key = (c: { cell: string; hidden: number }) => `${c.cell}-${c.hidden}`;
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.arch()}` },
    config: { batch: BATCH, seqLen: SEQ, vocab: VOCAB, embedding: EMBED, optimizer: 'adam lr 0.002, global-norm clip 5', quick: options.quick },
  };

  // PyTorch first, while the machine is quiet: 1 thread is the reference, 2 threads for the best thread count.
  const pytorch: Record<string, unknown> = {};
  const torchCells: Record<number, Record<string, Result>> = {};
  const noTorch = options.pytorch ? torchAvailable() : 'disabled (--no-pytorch)';
  if (noTorch) {
    pytorch.skipped = noTorch;
  } else {
    for (const threads of [1, 2]) {
      const run = python(
        [PYTORCH_SCRIPT, 'speed', '--cells', JSON.stringify(CELLS), '--threads', String(threads), '--steps', options.quick ? '3' : '10'],
        threads,
      );
      if (!run.ok) {
        pytorch[`threads${threads}`] = { skipped: run.reason };
        continue;
      }
      const json = run.json as { torch: string; cells: { cell: string; hidden: number; tokensPerSec: number; msPerStep: number }[] };
      pytorch.version = json.torch;
      torchCells[threads] = Object.fromEntries(json.cells.map((c) => [key(c), { tokensPerSec: c.tokensPerSec, msPerStep: c.msPerStep, steps: 0 }]));
      pytorch[`threads${threads}`] = torchCells[threads];
    }
  }
  results.pytorch = pytorch;

  // Phase 1, SeqLab on every backend that loads; phase 2, tfjs-layers, whose tape grows the wasm heap to ~1 GB
  // (a heap never shrinks), so that the peak RSS after phase 1 is SeqLab's own.
  const loaded: BackendName[] = [];
  const backends: Record<string, { cells: Record<string, Record<string, Result>>; [more: string]: unknown } | { skipped: string }> = {};
  for (const backend of options.backends) {
    try {
      await initBackend(backend);
    } catch (error) {
      const skipped = String(error instanceof Error ? error.message : error).split('\n')[0];
      backends[backend] = { skipped };
      console.log(`${backend}: skipped (${skipped})`);
      continue;
    }
    loaded.push(backend);
    const cells: Record<string, Record<string, Result>> = {};
    for (const c of CELLS) {
      const shape: ModelShape = { ...c, vocab: VOCAB, embed: EMBED };
      const row: Record<string, Result> = {};
      row.fused = await measure(new FusedModel(shape, 1), 2, 2, budget);
      for (const threads of THREADS) row[`engine${threads}t`] = await measure(EngineModel.create(shape, 1, threads), 2, 2, budget);
      for (const threads of [1, 2]) {
        const t = torchCells[threads]?.[key(c)];
        if (t) row[`pytorch${threads}t`] = t;
      }
      cells[key(c)] = row;
      const engines = THREADS.map((threads) => `${label(row[`engine${threads}t`]).padStart(7)} tok/s on ${threads} thread${threads > 1 ? 's' : ''}`).join(', ');
      console.log(`${backend.padEnd(10)} ${key(c).padEnd(9)} SeqLab fused layers ${label(row.fused).padStart(7)} tok/s, engine model ${engines}`);
      for (const threads of THREADS) {
        const result = row[`engine${threads}t`];
        if ('skipped' in result) console.log(`           engine model on ${threads} threads: ${result.skipped}`);
      }
    }
    const preview = await previewLatency(options.quick ? 10 : 40);
    console.log(
      `${backend.padEnd(10)} preview (lstm-128, ${PROMPT}-token prompt + ${CONTINUATION} greedy): p50 ${preview.p50.toFixed(1)} ms, p95 ${preview.p95.toFixed(1)} ms`,
    );
    const crossCheck = noTorch ? { skipped: noTorch } : pytorchCrossCheck();
    if ('passed' in crossCheck) {
      const errors = crossCheck.cases.map((c) => `${c.cell} ${c.maxRelError.toExponential(1)}`).join(', ');
      console.log(`${backend.padEnd(10)} PyTorch cross-check (same weights in torch.nn.RNN/LSTM/GRU): ${crossCheck.passed ? 'PASSED' : 'FAILED'} (${errors})`);
    }
    backends[backend] = { cells, preview, crossCheck };
  }
  results.seqlabPeakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`peak RSS of SeqLab's runs: ${results.seqlabPeakRssMB} MB`);

  console.log('\nbackend    cell      fused  engine1t engine2t  tfjs-layers  PyTorch(1t)  best/layers  best/PyTorch(1t)  best/PyTorch(best)');
  for (const backend of loaded) {
    await initBackend(backend);
    const { cells } = backends[backend] as { cells: Record<string, Record<string, Result>> };
    for (const c of CELLS) {
      const row = cells[key(c)];
      // tfjs-layers steps take seconds (minutes on cpu at H ≥ 256): one warm-up, at least one timed step.
      const tooSlow = backend === 'cpu' && c.hidden > 128;
      row.tfjsLayers = !options.layers
        ? { skipped: 'disabled (--no-layers)' }
        : tooSlow
          ? { skipped: 'too slow on cpu (minutes per step)' }
          : await measure(new LayersModel({ ...c, vocab: VOCAB, embed: EMBED }, 1), 1, 1, budget);
      row.seqlabBest = fastest([row.fused, ...THREADS.map((threads) => row[`engine${threads}t`])]) ?? { skipped: 'no SeqLab measurement' };
      row.pytorchBest = fastest([row.pytorch1t, row.pytorch2t]) ?? { skipped: 'no PyTorch measurement' };
      const ratio = (a: Result | undefined, b: Result | undefined) => {
        const x = tokensPerSec(a);
        const y = tokensPerSec(b);
        return x && y ? `${(x / y).toFixed(2)}x` : '-';
      };
      console.log(
        `${backend.padEnd(10)} ${key(c).padEnd(9)} ${label(row.fused).padStart(7)} ${label(row.engine1t).padStart(8)} ${label(row.engine2t).padStart(8)} ${label(row.tfjsLayers).padStart(12)} ` +
          `${label(row.pytorch1t).padStart(12)} ${ratio(row.seqlabBest, row.tfjsLayers).padStart(12)} ${ratio(row.seqlabBest, row.pytorch1t).padStart(17)} ${ratio(row.seqlabBest, row.pytorchBest).padStart(19)}`,
      );
    }
  }
  results.backends = backends;

  const best: Record<string, unknown> = {};
  for (const backend of loaded) {
    const { cells } = backends[backend] as { cells: Record<string, Record<string, Result>> };
    best[`seqlab-${backend}`] = Object.fromEntries(CELLS.map((c) => [key(c), bestThreadCount(cells[key(c)])]));
  }
  if (torchCells[1] && torchCells[2]) {
    best.pytorch = Object.fromEntries(
      CELLS.map((c) => [key(c), (tokensPerSec(torchCells[2][key(c)]) ?? 0) > (tokensPerSec(torchCells[1][key(c)]) ?? 0) ? 2 : 1]),
    );
  }
  results.bestThreads = best;

  results.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`peak RSS of the whole benchmark (tfjs-layers included): ${results.peakRssMB} MB`);
  if (options.out) {
    fs.writeFileSync(options.out, JSON.stringify(results, null, 2) + '\n');
    console.log(`wrote ${path.relative(process.cwd(), options.out)}`);
  } else {
    console.log('partial run: results not written (pass --out FILE to keep them)');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
