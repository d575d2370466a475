// Gradient worker thread: computes the loss and gradients of one batch shard per request with its own backend and model copy.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend';
import { shardGradients } from '../dataParallel';
import { SequenceModel } from '../model';
import type { FromGradientWorker, GradientWorkerData, ToGradientWorker } from '../../shared/protocol';

const port = parentPort;
if (!port) throw new Error('gradientWorker.js runs as a worker thread of the training process');

function reply(message: FromGradientWorker): void {
  port!.postMessage(message);
}

/** The shard's mean loss, gradients and final state with the main thread's current weights. */
function compute(model: SequenceModel, spec: GradientWorkerData['lossSpec'], request: ToGradientWorker): FromGradientWorker {
  tf.tidy(() => model.variables.forEach((v, i) => v.assign(tf.tensor(request.weights[i], v.shape))));
  return { type: 'gradient/result', ...shardGradients(spec, model, request.batch, request.dropoutSeed) };
}

async function main(): Promise<void> {
  const data = workerData as GradientWorkerData;
  await initBackend(data.backend);
  const model = SequenceModel.create(data.spec, 0);
  port!.on('message', (request: ToGradientWorker) => {
    try {
      reply(compute(model, data.lossSpec, request));
    } catch (error) {
      reply({ type: 'worker/failed', message: (error as Error).message });
    }
  });
  reply({ type: 'worker/ready' });
}

main().catch((error: unknown) => reply({ type: 'worker/failed', message: (error as Error).message }));
