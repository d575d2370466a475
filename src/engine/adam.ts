// Adam with global-norm gradient clipping in one JS pass per variable: tf.train.adam's math and saved state, without its ~10 kernels per variable per step.
import * as tf from '@tensorflow/tfjs-core';
import { Device } from './nn/device';

/** One entry of the optimizer state, named as tf.train.adam names it. */
export interface OptimizerEntry {
  name: string;
  tensor: tf.Tensor;
}

/** tf.train.adam's defaults: the moment decay rates, and float32's epsilon. */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

/**
 * Adam over a fixed list of variables. Each {@link step} scales the gradients so that their global L2 norm is at most
 * `clip` (0 = no clipping), then updates each variable as tf.train.adam does. {@link getWeights} and
 * {@link setWeights} use tf.train.adam's layout (the iteration count, then every first moment, then every second
 * moment), so resume checkpoints written with either load into the other.
 */
export class Adam {
  private iterations = 0;
  private readonly firstMoments: Float32Array[];
  private readonly secondMoments: Float32Array[];

  constructor(
    private readonly variables: tf.Variable[],
    /** The step size of the next {@link step}; the train loop sets it from the schedule. */
    public learningRate: number,
    private readonly clip: number,
  ) {
    this.firstMoments = variables.map((v) => new Float32Array(v.size));
    this.secondMoments = variables.map((v) => new Float32Array(v.size));
  }

  /** One update from the gradients of the variables, in the constructor's order. */
  step(grads: Float32Array[]): void {
    let squares = 0;
    for (const g of grads) for (let k = 0; k < g.length; k++) squares += g[k] * g[k];
    const norm = Math.sqrt(squares);
    const scale = this.clip > 0 && norm > this.clip ? this.clip / norm : 1;
    this.iterations++;
    const firstCorrection = 1 - BETA1 ** this.iterations;
    const secondCorrection = 1 - BETA2 ** this.iterations;
    const device = Device.current();
    tf.tidy(() => {
      this.variables.forEach((variable, i) => {
        const g = grads[i];
        const m = this.firstMoments[i];
        const v = this.secondMoments[i];
        // One copy of the values on every backend (dataSync would copy on wasm, and slice() once more).
        const next = device.read(variable).slice();
        for (let k = 0; k < next.length; k++) {
          const gk = g[k] * scale;
          m[k] = BETA1 * m[k] + (1 - BETA1) * gk;
          v[k] = BETA2 * v[k] + (1 - BETA2) * gk * gk;
          next[k] -= (this.learningRate * (m[k] / firstCorrection)) / (Math.sqrt(v[k] / secondCorrection) + EPSILON);
        }
        variable.assign(tf.tensor(next, variable.shape));
      });
    });
  }

  /** The iteration count and the moments as new tensors, in tf.train.adam's order; the caller disposes them. */
  getWeights(): OptimizerEntry[] {
    return [
      { name: 'iter', tensor: tf.scalar(this.iterations, 'int32') },
      ...this.variables.map((v, i) => ({ name: `${v.name}/m`, tensor: tf.tensor(this.firstMoments[i], v.shape) })),
      ...this.variables.map((v, i) => ({ name: `${v.name}/v`, tensor: tf.tensor(this.secondMoments[i], v.shape) })),
    ];
  }

  /** Restores what {@link getWeights} (or tf.train.adam's getWeights) returned. */
  setWeights(weights: OptimizerEntry[]): void {
    const count = this.variables.length;
    if (weights.length !== 1 + 2 * count) throw new Error(`the optimizer state has ${weights.length} entries, expected ${1 + 2 * count}`);
    this.iterations = weights[0].tensor.dataSync()[0];
    this.variables.forEach((v, i) => {
      for (const [moments, entry] of [
        [this.firstMoments, weights[1 + i]],
        [this.secondMoments, weights[1 + count + i]],
      ] as const) {
        if (entry.tensor.size !== v.size) throw new Error(`optimizer entry ${entry.name} has ${entry.tensor.size} values, expected ${v.size}`);
        moments[i].set(entry.tensor.dataSync());
      }
    });
  }
}
