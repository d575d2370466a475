// Export to PyTorch and import back: parity of the exported model and predict.py with SeqLab, DDP training with torchrun, the round trip, and the refusals.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { tempDir } from '../../testHelpers';
import { readMetrics } from '../runStore';
import { train } from '../train';
import { forecastNext, generateText, loadRun, predictNext } from '../predict';
import { exportRun } from './exportRun';
import { importRun } from './importRun';
import { decodeNpy, encodeNpy } from './npy';
import { GENERATE_DEFAULTS, UsageError, type CellType } from '../../shared/options';
import type { RunRecord } from '../../shared/runFolder';

const PYTHON = '/usr/bin/python3';
const TORCHRUN = '/usr/bin/torchrun';
/** Why the tests that run PyTorch are skipped, or false when /usr/bin/python3 imports torch. */
const noTorch: string | false = (() => {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  return probe.status === 0 ? false : `SKIPPED: ${PYTHON} cannot import torch and numpy (install python3-torch to run the PyTorch export tests)`;
})();
const ENV = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', OMP_NUM_THREADS: '1' };

const root = tempDir('seqlab-export-test-');
const runsDir = path.join(root, 'runs');
const words = 'the cat sat on the mat and the dog ran to the cat so the mat was warm '.repeat(12);

/** A monthly series with a yearly cycle and a trend, as CSV with a date column. */
function seriesCsv(): string {
  const file = path.join(root, 'sales.csv');
  const rows = ['month,sales'];
  for (let i = 0; i < 120; i++) {
    const date = new Date(Date.UTC(2010, i, 1)).toISOString().slice(0, 10);
    rows.push(`${date},${(1000 + 5 * i + 200 * Math.sin((2 * Math.PI * i) / 12) + 30 * Math.cos(i * 1.7)).toFixed(2)}`);
  }
  fs.writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

async function quickRun(task: 'text' | 'series', cell: CellType, layers: number): Promise<string> {
  const common = { backend: 'wasm' as const, cell, layers, hidden: 12, dropout: layers > 1 ? 0.1 : 0, lr: 0.01 };
  const result =
    task === 'text'
      ? await train({ text: words, runsDir, args: { ...common, embedding: 8, seqLen: 16, batch: 8, epochs: 1 } })
      : // One layer without a residual base: a residual head starts at zero, and a short run's best model may still be that one.
        await train({
          file: seriesCsv(),
          runsDir,
          args: { ...common, horizon: 4, lookback: 12, batch: 16, epochs: 3, ...(layers === 1 ? { residual: 'none' as const } : {}) },
        });
  assert.equal(result.record.status, 'completed', result.record.message);
  return result.runDir;
}

/** Runs Python with the test's driver: for each export, the torch model's outputs against SeqLab's, and predict.py's answers. */
const DRIVER = String.raw`
import importlib, json, sys
import numpy as np, torch
out = []
for job in json.load(open(sys.argv[1])):
    sys.path.insert(0, job["dir"])
    for name in ("model", "weights_io", "tokenizer", "predict"):
        sys.modules.pop(name, None)
    predict = importlib.import_module("predict")
    predict.HERE = job["dir"]
    config, model = predict.load(job.get("weights"))
    with torch.no_grad():
        if config["model"]["task"] == "text":
            ids = torch.from_numpy(np.load(job["inputs"]).astype(np.int64))
            got, _ = model(ids)
            got = got.reshape(-1, got.shape[-1])
        else:
            x = torch.from_numpy(np.load(job["inputs"]))
            future = torch.from_numpy(np.load(job["future"])) if job.get("future") else None
            got, _ = model(x, future=future)
    want = np.load(job["outputs"])
    result = {"dir": job["dir"], "rel": float(np.abs(got.numpy() - want).max() / max(np.abs(want).max(), 1e-30)), "scale": float(np.abs(want).max())}
    if config["model"]["task"] == "text":
        result["topK"] = predict.top_k(config, model, job["prompt"], 5)
        result["text"] = predict.generate(config, model, job["prompt"], 20)
    else:
        result["forecast"] = predict.forecast(config, model)["forecast"]
    out.append(result)
    sys.path.pop(0)
print(json.dumps(out))
`;

interface DriverResult {
  dir: string;
  rel: number;
  scale: number;
  topK?: { token: string; prob: number }[];
  text?: string;
  forecast?: number[];
}

/** SeqLab's outputs for fixed inputs, written as .npy beside the export for the driver. */
async function parityJob(runDir: string, exportDir: string, weights?: string): Promise<Record<string, unknown>> {
  const run = await loadRun(runDir);
  try {
    const job: Record<string, unknown> = { dir: exportDir, prompt: 'the cat s', ...(weights ? { weights } : {}) };
    if (run.record.task === 'text') {
      const vocab = run.model.spec.vocabSize as number;
      const ids = Int32Array.from({ length: 3 * 10 }, (_, i) => (i * 7 + 3) % vocab);
      const logits = tf.tidy(() => run.model.textLogits(tf.tensor2d(ids, [3, 10], 'int32')).logits);
      fs.writeFileSync(path.join(exportDir, 'p_in.npy'), encodeNpy(ids, [3, 10]));
      fs.writeFileSync(path.join(exportDir, 'p_out.npy'), encodeNpy(logits.dataSync() as Float32Array, logits.shape));
      logits.dispose();
      Object.assign(job, { inputs: path.join(exportDir, 'p_in.npy'), outputs: path.join(exportDir, 'p_out.npy') });
    } else {
      const x = path.join(exportDir, 'data', 'train_x.npy');
      const future = path.join(exportDir, 'data', 'train_future.npy');
      const arrays = JSON.parse(fs.readFileSync(path.join(exportDir, 'data', 'train.json'), 'utf8')).arrays as Record<string, string>;
      const xs = readNpyFloat(x);
      const futures = arrays.train_future ? readNpyFloat(future) : undefined;
      const out = tf.tidy(() =>
        run.model.forecast(tf.tensor3d(xs.data, xs.shape as [number, number, number]), futures && tf.tensor2d(futures.data, futures.shape as [number, number])),
      );
      fs.writeFileSync(path.join(exportDir, 'p_out.npy'), encodeNpy(out.dataSync() as Float32Array, out.shape));
      out.dispose();
      Object.assign(job, { inputs: x, future: arrays.train_future ? future : undefined, outputs: path.join(exportDir, 'p_out.npy') });
    }
    return job;
  } finally {
    run.model.dispose();
  }
}

function readNpyFloat(file: string): { data: Float32Array; shape: number[] } {
  const array = decodeNpy(fs.readFileSync(file), file);
  return { data: array.data as Float32Array, shape: array.shape };
}

function runDriver(jobs: Record<string, unknown>[]): DriverResult[] {
  const jobFile = path.join(root, `jobs-${Date.now()}.json`);
  const driver = path.join(root, 'driver.py');
  fs.writeFileSync(jobFile, JSON.stringify(jobs));
  fs.writeFileSync(driver, DRIVER);
  const result = spawnSync(PYTHON, [driver, jobFile], { encoding: 'utf8', env: ENV, timeout: 300_000 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as DriverResult[];
}

async function assertPredictionsMatch(runDir: string, got: DriverResult): Promise<void> {
  const run = await loadRun(runDir);
  try {
    if (run.record.task === 'text') {
      const { topK } = predictNext(run, 'the cat s', 5);
      assert.deepEqual(
        got.topK?.map((t) => t.token),
        topK.map((t) => t.token),
      );
      got.topK?.forEach((t, i) => assert.ok(Math.abs(t.prob - topK[i].prob) <= 1e-5 * Math.max(1e-3, topK[i].prob), `${t.prob} vs ${topK[i].prob}`));
      const { text } = generateText(run, 'the cat s', { ...GENERATE_DEFAULTS, length: 20, temperature: 0 });
      assert.equal(got.text, text);
    } else {
      const { forecast } = await forecastNext(run, undefined);
      const scale = Math.max(...forecast.map(Math.abs));
      got.forecast?.forEach((v, i) => assert.ok(Math.abs(v - forecast[i]) <= 1e-5 * scale, `step ${i}: ${v} vs ${forecast[i]}`));
    }
  } finally {
    run.model.dispose();
  }
}

describe('export to PyTorch', { skip: noTorch }, () => {
  test('parity: rnn, lstm and gru, text and series, 1 and 2 layers: outputs within 1e-5 relative; predict.py = predict, generate, forecast', async () => {
    const cases: { runDir: string; exportDir: string; label: string }[] = [];
    for (const task of ['text', 'series'] as const) {
      for (const cell of ['rnn', 'lstm', 'gru'] as const) {
        for (const layers of [1, 2]) {
          const runDir = await quickRun(task, cell, layers);
          const exportDir = path.join(root, `export-${task}-${cell}-${layers}`);
          await exportRun(runDir, exportDir);
          cases.push({ runDir, exportDir, label: `${task} ${cell} ${layers}` });
        }
      }
    }
    const jobs = [];
    for (const c of cases) jobs.push(await parityJob(c.runDir, c.exportDir));
    const results = runDriver(jobs);
    const report: string[] = [];
    for (const [i, c] of cases.entries()) {
      report.push(`${c.label}: ${results[i].rel.toExponential(2)}`);
      assert.ok(results[i].scale > 0, `${c.label}: the model's outputs are all zero`);
      assert.ok(results[i].rel <= 1e-5, `${c.label}: relative difference ${results[i].rel}`);
      await assertPredictionsMatch(c.runDir, results[i]);
    }
    console.log(`parity (max |torch - seqlab| / max |seqlab|): ${report.join(', ')}`);
  });

  test('DDP: torchrun --nproc_per_node 2 (gloo) continues 30 steps, the loss falls, the ranks agree, the checkpoint loads; round trip through import', async () => {
    const runDir = await quickRun('text', 'lstm', 2);
    const exportDir = path.join(root, 'export-ddp');
    await exportRun(runDir, exportDir);
    const result = spawnSync(
      TORCHRUN,
      ['--redirects', '2', '--tee', '2', '--nproc_per_node', '2', path.join(exportDir, 'train.py'), '--steps', '30', '--lr', '0.01', '--log-every', '1'],
      { encoding: 'utf8', env: ENV, cwd: exportDir, timeout: 300_000 },
    );
    assert.equal(result.status, 0, result.stderr.slice(-3000));
    const lines = result.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, number | string>);
    const losses = lines.filter((l) => typeof l.loss === 'number').map((l) => l.loss as number);
    const done = lines.find((l) => l.event === 'done') as Record<string, number | string>;
    assert.equal(losses.length, 30);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(losses.slice(-5)) < mean(losses.slice(0, 5)), `loss ${mean(losses.slice(0, 5))} → ${mean(losses.slice(-5))}`);
    assert.equal(done.processes, 2);
    assert.equal(done.maxWeightDifference, 0);
    const exported = JSON.parse(fs.readFileSync(path.join(exportDir, 'config.json'), 'utf8')) as { training: { step: number } };
    const checkpoint = path.join(exportDir, 'checkpoints', `step-${String(exported.training.step + 30).padStart(7, '0')}`);
    assert.equal(done.checkpoint, checkpoint);
    console.log(
      `DDP: 2 processes, loss ${mean(losses.slice(0, 5)).toFixed(4)} → ${mean(losses.slice(-5)).toFixed(4)}, max weight difference ${done.maxWeightDifference}`,
    );

    // Round trip: the imported run predicts as predict.py does on the trained weights.
    const { runDir: imported, record } = await importRun(exportDir, { runsDir });
    assert.equal(record.status, 'completed');
    assert.equal(record.importedFrom?.weights, path.relative(exportDir, checkpoint));
    assert.equal(record.importedFrom?.step, exported.training.step + 30);
    assert.ok(record.summary?.task === 'text' && Number.isFinite(record.summary.metrics.valLoss));
    // Its loss curve: the exported run's steps, then each of the 30 steps train.py logged, then the import's evaluation.
    const metrics = readMetrics(imported);
    const pytorchSteps = metrics.filter((line) => line.kind === 'train' && line.step > exported.training.step);
    assert.deepEqual(
      pytorchSteps.map((line) => line.kind === 'train' && line.loss),
      losses,
    );
    assert.ok(
      metrics.some((line) => line.kind === 'train' && line.step <= exported.training.step),
      "the exported run's own steps are kept",
    );
    assert.ok(
      metrics.some((line) => line.kind === 'event' && /^Continued in PyTorch, trained by train\.py \(2 processes, gloo, torch [\d.]+/.test(line.message)),
      'an event marks where PyTorch took over',
    );
    assert.ok(record.progress.seconds > JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')).progress.seconds, "PyTorch's seconds are added");
    const [trained] = runDriver([await parityJob(imported, exportDir, checkpoint)]);
    assert.ok(trained.rel <= 1e-5, `imported vs torch: ${trained.rel}`);
    await assertPredictionsMatch(imported, trained);
    // SeqLab can train the imported run on, from PyTorch's Adam state.
    const resumed = await train({ resume: imported, args: { epochs: 2 } });
    assert.equal(resumed.record.status, 'completed', resumed.record.message);

    // --max-seconds stops a long session on time, at a step every process agrees on, and checkpoints it.
    const timed = spawnSync(PYTHON, [path.join(exportDir, 'train.py'), '--steps', '1000000', '--max-seconds', '1', '--log-every', '1000000'], {
      encoding: 'utf8',
      env: ENV,
      cwd: exportDir,
      timeout: 120_000,
    });
    assert.equal(timed.status, 0, timed.stderr.slice(-3000));
    const timedDone = JSON.parse(timed.stdout.split('\n').find((l) => l.includes('"event": "done"')) as string) as {
      step: number;
      seconds: number;
      checkpoint: string;
    };
    assert.ok(timedDone.step > exported.training.step + 30 && timedDone.step < exported.training.step + 30 + 1_000_000, `stopped at step ${timedDone.step}`);
    assert.ok(timedDone.seconds >= 1 && timedDone.seconds < 60, `after ${timedDone.seconds} s`);
    assert.ok(fs.existsSync(timedDone.checkpoint), 'the timed session checkpoints where it stopped');
  });
});

describe('export refusals', () => {
  test('a run with no saved model, a classify run, a non-empty folder; an edited export: missing file, wrong shape; import never overwrites', async () => {
    const runDir = await quickRun('text', 'gru', 1);
    const record = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
    const noModel = path.join(root, 'no-model');
    fs.mkdirSync(noModel);
    fs.writeFileSync(path.join(noModel, 'run.json'), JSON.stringify(record));
    await assert.rejects(exportRun(noModel, path.join(root, 'x1')), (e: Error) => e instanceof UsageError && /has no saved model/.test(e.message));

    const classify = path.join(root, 'classify');
    fs.cpSync(runDir, classify, { recursive: true });
    fs.writeFileSync(path.join(classify, 'run.json'), JSON.stringify({ ...record, task: 'classify' }));
    await assert.rejects(
      exportRun(classify, path.join(root, 'x2')),
      (e: Error) => e instanceof UsageError && /export supports text and series runs/.test(e.message),
    );

    const exportDir = path.join(root, 'export-refusals');
    await exportRun(runDir, exportDir);
    await assert.rejects(exportRun(runDir, exportDir), (e: Error) => e instanceof UsageError && /not empty/.test(e.message));

    const edited = (name: string) => {
      const dir = path.join(root, name);
      fs.cpSync(exportDir, dir, { recursive: true });
      return dir;
    };
    const missing = edited('missing-file');
    fs.rmSync(path.join(missing, 'weights', 'rnn.weight_hh_l0.npy'));
    await assert.rejects(
      importRun(missing, { runsDir }),
      (e: Error) => e instanceof UsageError && /rnn\.weight_hh_l0\.npy \(rnn\.weight_hh_l0\) is missing/.test(e.message),
    );
    const shape = edited('wrong-shape');
    fs.writeFileSync(path.join(shape, 'weights', 'head.bias.npy'), encodeNpy(new Float32Array(3), [3]));
    await assert.rejects(
      importRun(shape, { runsDir }),
      (e: Error) => e instanceof UsageError && /head\.bias.* has shape \[3\], but the model in config\.json needs/.test(e.message),
    );
    const noConfig = edited('no-config');
    fs.rmSync(path.join(noConfig, 'config.json'));
    await assert.rejects(importRun(noConfig, { runsDir }), (e: Error) => e instanceof UsageError && /config\.json is missing/.test(e.message));
    for (const dir of [missing, shape, noConfig]) assert.ok(!fs.readdirSync(runsDir).some((d) => d.includes('imported') && d.includes(path.basename(dir))));

    const before = fs.readdirSync(runsDir).length;
    const originalModel = fs.readFileSync(path.join(runDir, 'model.json'), 'utf8');
    const first = await importRun(exportDir, { runsDir });
    const second = await importRun(exportDir, { runsDir });
    assert.notEqual(first.runDir, second.runDir);
    assert.equal(fs.readdirSync(runsDir).length, before + 2);
    assert.equal(fs.readFileSync(path.join(runDir, 'model.json'), 'utf8'), originalModel);
  });
});
