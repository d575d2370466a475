// A text model's saved weights as plain Float32Arrays, by layer, in the layout the model saves them (PyTorch's weights transposed).
import type { SequenceModel } from '../model';
import { GATE_COUNT } from '../nn/recurrent';
import type { CellType } from '../../shared/options';

/** One recurrent layer's weights; G = gates·H (LSTM 4, GRU 3, RNN 1), blocks in PyTorch's order. */
export interface LayerArrays {
  /** I: the layer's input size (the embedding width for layer 0, else H). */
  inputSize: number;
  /** [I, G] row-major: W_ih transposed, so x·wIh = W_ih·x. */
  wIh: Float32Array;
  /** [H, G] row-major: W_hh transposed. */
  wHh: Float32Array;
  /** [G] */
  bIh: Float32Array;
  /** [G] */
  bHh: Float32Array;
}

/** Every weight of a text model. */
export interface TextModelArrays {
  cell: CellType;
  /** H */
  hidden: number;
  /** V */
  vocabSize: number;
  /** E */
  embeddingSize: number;
  /** [V, E] row v is token v's embedding. */
  embedding: Float32Array;
  layers: LayerArrays[];
  /** [H, V] the head: logits = h·headW + headB. */
  headW: Float32Array;
  /** [V] */
  headB: Float32Array;
}

/** Copies a text model's weights out of its tensors. */
export function modelArrays(model: SequenceModel): TextModelArrays {
  const { cell, hidden, layers, vocabSize, embedding } = model.spec;
  if (model.spec.task !== 'text' || vocabSize === undefined || embedding === undefined) throw new Error('modelArrays needs a text model');
  const named = model.namedWeights();
  const read = (name: string, size: number): Float32Array => {
    const tensor = named[name];
    if (!tensor || tensor.size !== size) throw new Error(`the model's weight "${name}" is missing or not of ${size} values`);
    return Float32Array.from(tensor.dataSync());
  };
  const G = GATE_COUNT[cell] * hidden;
  return {
    cell,
    hidden,
    vocabSize,
    embeddingSize: embedding,
    embedding: read('embedding', vocabSize * embedding),
    layers: Array.from({ length: layers }, (_, l) => {
      const inputSize = l === 0 ? embedding : hidden;
      return {
        inputSize,
        wIh: read(`layer${l}/w_ih`, inputSize * G),
        wHh: read(`layer${l}/w_hh`, hidden * G),
        bIh: read(`layer${l}/b_ih`, G),
        bHh: read(`layer${l}/b_hh`, G),
      };
    }),
    headW: read('head/w', hidden * vocabSize),
    headB: read('head/b', vocabSize),
  };
}
