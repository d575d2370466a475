// A run's best model on disk: model.json and the weights file it names, saved atomically and loaded back.
import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel, type ModelJson } from './model';
import { readCheckpoint, writeCheckpoint } from './runStore';
import { MODEL_FILE, MODEL_WEIGHTS_PREFIX } from '../shared/runFolder';

/** Saves the model as model.json plus a weights file, atomically. */
export async function saveModel(runDir: string, model: SequenceModel, step: number): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(model.namedWeights());
  writeCheckpoint(runDir, MODEL_FILE, MODEL_WEIGHTS_PREFIX, step, (file) => model.modelJson(file, specs), data);
}

/** Loads the saved (best) model of a run folder. */
export function loadModel(runDir: string): SequenceModel {
  const { json, data } = readCheckpoint<ModelJson>(runDir, MODEL_FILE, (j) => j.weightsManifest?.[0]?.paths?.[0]);
  return SequenceModel.deserialize(json, data);
}
