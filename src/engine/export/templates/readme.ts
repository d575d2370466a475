// The generated README.md of an export: what each file is, how to run it on a laptop, a GPU machine and a cluster, and the math kept identical.
import type { ExportConfig } from '../exportRun';
import { TESTED_TORCH } from '../exportRun';

/** The README for one export. */
export function exportReadme(config: ExportConfig): string {
  const { model, training, run } = config;
  const text = model.task === 'text';
  const what = text
    ? `a ${model.cell.toUpperCase()} next-token model (${model.layers} × ${model.hidden}, ${config.text?.tokens} tokens, vocabulary ${model.vocabSize})`
    : `a ${model.cell.toUpperCase()} forecaster (${model.layers} × ${model.hidden}, lookback ${run.data.kind === 'series' ? run.data.lookback : '?'}, horizon ${model.horizon})`;
  const predictExamples = text
    ? ['python predict.py next --prompt "The " --top-k 5', 'python predict.py generate --prompt "The " --length 100']
    : ['python predict.py forecast', 'python predict.py forecast --horizon 3 --json'];
  return `# SeqLab export: ${run.name ?? run.id}

${what}, exported from the SeqLab run \`${config.runDir}\` at step ${training.step}.
Tested with PyTorch ${TESTED_TORCH}. It needs only \`torch\` and \`numpy\`; nothing here is a pickle.

| File | What it is |
| --- | --- |
| \`model.py\` | The architecture as an \`nn.Module\`: ${text ? '`nn.Embedding`' : 'the input features'} → \`nn.${model.cell.toUpperCase()}\` (dropout between layers, and before the head) → \`nn.Linear\`. |
| \`weights/\` | The model \`seqlab predict\` uses: \`manifest.json\` and one \`.npy\` per tensor, under the module's \`state_dict\` names.${config.weights.resume === 'weights' ? " Adam's moments and step are beside them." : ''} |
${config.weights.resume !== 'weights' ? "| `resume/` | The run's last state (its best model above was saved earlier), with Adam's moments and step: `train.py` continues from it. |\n" : ''}| \`config.json\` | The model, the training options, ${text ? 'the vocabulary (id = index, 0 is `<unk>`)' : 'the normalisation and the time axis of the forecast'}, the data's SHA-256, and the whole run record. |
| \`data/\` | ${text ? "The run's token ids: `train_ids.npy` (training split) and `val_ids.npy` (held out)" : 'The windows SeqLab prepared, normalised as the model reads them: `train_*` (every training window), `val_*`, and `forecast_*` (the window ending at the last row)'}; \`train.json\` lists them. |
| \`predict.py\` | \`seqlab predict\`, greedy \`seqlab generate\` and \`seqlab forecast\`. |
| \`train.py\` | Continues training, on one process or many with \`torch.distributed\` (DDP). |
| \`weights_io.py\`, \`tokenizer.py\` | Reading and writing weights folders; SeqLab's tokenizers. |

## On a laptop (CPU)

\`\`\`sh
${predictExamples.join('\n')}
python train.py --steps 200                       # one process
torchrun --nproc_per_node 2 train.py --steps 200  # two processes (gloo), same result up to rounding
torchrun --nproc_per_node 2 train.py --steps 1000000 --max-seconds 120   # or for two minutes, stopping on time
\`\`\`

Debian's python3-torch 1.13 on Python 3.11 has a torchrun bug (\`AttributeError: 'NoneType' object has no attribute 'get'\`:
its default \`--redirects 0\` is read as None); add \`--redirects 2 --tee 2\` to torchrun there.

## On a GPU machine

The same commands: with CUDA, \`train.py\` picks the \`nccl\` backend and one GPU per process.

\`\`\`sh
torchrun --nproc_per_node $(nvidia-smi -L | wc -l) train.py --steps 2000
\`\`\`

## On a cluster

Start the same command on every node, with one rendezvous endpoint:

\`\`\`sh
torchrun --nnodes 4 --nproc_per_node 8 --rdzv_id seqlab --rdzv_backend c10d --rdzv_endpoint HEAD_NODE:29500 train.py --steps 5000
\`\`\`

(With Slurm: \`srun torchrun ...\` with \`--rdzv_endpoint $(scontrol show hostnames $SLURM_NODELIST | head -1):29500\`.)
Only rank 0 writes checkpoints, to \`checkpoints/step-N/\` on its own disk: use a shared folder (\`--out\`) on a cluster.

## Bringing the model back

\`\`\`sh
seqlab import .    # a new SeqLab run from the newest checkpoints/step-N (else weights/), evaluated on the run's held-out split
\`\`\`

## What is kept identical

- **Math.** torch's RNN/LSTM/GRU cells are SeqLab's (LSTM gates i, f, g, o; GRU r, z, n, reset after the matmul). SeqLab stores
  \`W_ih\` as [input, gates]; the export transposes it to torch's \`weight_ih_l*\` [gates, input] (and \`W_hh\`, and the head).
- **Loss.** ${text ? 'The mean cross-entropy of every next token.' : `The ${training.loss.toUpperCase()} of the normalised forecast: the model outputs the normalised target minus the ${run.data.kind === 'series' && run.data.residual && run.data.residual !== 'none' ? `${run.data.residual} baseline's normalised forecast` : 'baseline (zero: no residual base)'}; a forecast is (output + base) · std + mean.`}
- **Optimiser.** Adam (β 0.9, 0.999, ε 1e-7) with global-norm clipping at ${training.clip} (0 = off), batch ${training.batch}.
- **Schedule.** ${training.lrSchedule}, warmup ${training.warmup}, down to ${training.lrFloor} of the rate at the end; a run that
  has taken steps continues from the rate of its last step (${training.lastLr ?? training.lr}), as \`seqlab train --resume\` does. \`--lr\` restarts it.
${text ? `- **Batches.** ${training.stateful ? `Stateful: the training text cut into ${training.batch} streams, each batch of ${training.seqLen} tokens continuing the last one's rows and state.` : `Random windows of ${training.seqLen} tokens, each from a zero state.`}${training.sampledSoftmax ? ' SeqLab trained this vocabulary with a sampled softmax; train.py uses the exact one.' : ''}` : '- **Data.** The series preprocessing (calendar features, window normalisation, the baselines) was done by SeqLab: `train.py` reads its windows. Export again to train on new rows.'}
- **Differences.** Batches are drawn by NumPy, so the batch order is not SeqLab's; float sums may differ in the last bits.
`;
}
