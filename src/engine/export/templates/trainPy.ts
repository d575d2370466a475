// The generated train.py: continues a SeqLab run in PyTorch with DDP (torchrun), with SeqLab's loss, clipping, Adam and schedule.
export const TRAIN_PY = String.raw`"""Continue training an exported SeqLab model with PyTorch, on one process or many (DistributedDataParallel).

  python train.py --steps 200                                   # one process
  torchrun --nproc_per_node 4 train.py --steps 200              # 4 processes on this machine (gloo on CPU, nccl on CUDA)
  torchrun --nnodes 2 --nproc_per_node 8 --rdzv_backend c10d --rdzv_endpoint HOST:29500 train.py --steps 200

What it keeps from SeqLab: the loss (mean next-token cross-entropy for text; MAE or MSE on normalised values for
series), global-norm gradient clipping (scale = clip / norm when the norm exceeds clip), Adam (betas 0.9/0.999,
eps 1e-7, with the exported moments and step, so training continues rather than restarts), the learning-rate schedule
(warmup, then constant/cosine/linear decay to lrFloor of the rate), the batch size, and stateful streams or random
windows for text. Each step every process draws the same global batch (the same seed) and takes its share of the rows;
DDP averages the gradients, so the result does not depend on the number of processes (up to float rounding).
Differences: batches are drawn by NumPy, not SeqLab's generator, and a vocabulary over 2048 tokens, which SeqLab trains
with a sampled softmax, is trained here with the exact softmax.

Checkpoints go to checkpoints/step-N (the same weights format as weights/, Adam included); "seqlab import" reads the newest.
"""
import argparse
import hashlib
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

from model import SeqLabModel, detach_state
from weights_io import WeightsError, latest_weights, load_adam, load_weights, read_history, save_weights

HERE = os.path.dirname(os.path.abspath(__file__))


def scheduled_lr(base, warmup, schedule, floor, step, progress):
    """SeqLab's schedule.ts: linear warmup over the first "warmup" steps, then the decay, to floor * base at the end."""
    warm = min(1.0, (step + 1) / warmup) if warmup > 0 else 1.0
    p = min(1.0, max(0.0, progress))
    decay = 0.5 * (1 + math.cos(math.pi * p)) if schedule == "cosine" else (1 - p if schedule == "linear" else 1.0)
    return base * warm * (floor + (1 - floor) * decay)


def clip_global_norm(parameters, clip):
    """SeqLab's clipping: every gradient scaled by clip / norm when their global L2 norm exceeds clip (0 = off)."""
    grads = [p.grad for p in parameters if p.grad is not None]
    norm = torch.sqrt(sum((g.double() ** 2).sum() for g in grads)).item()
    if clip > 0 and norm > clip:
        for g in grads:
            g.mul_(clip / norm)
    return norm


def load_arrays(manifest_file):
    with open(manifest_file, encoding="utf-8") as f:
        manifest = json.load(f)
    if manifest.get("format") != "seqlab-export-data":
        sys.exit("train.py: %s is not a SeqLab export data manifest" % manifest_file)
    folder = os.path.dirname(os.path.abspath(manifest_file))
    return manifest, {name: np.load(os.path.join(folder, file), allow_pickle=False) for name, file in manifest["arrays"].items()}


class TextData:
    """Token ids of the training split, in SeqLab's batches: stateful streams (each batch continues the last one's rows
    and state) or random windows of seqLen tokens, each from a zero state."""

    def __init__(self, config, path):
        text = config["text"]
        self.seq_len = text["seqLen"]
        self.batch = config["training"]["batch"]
        if path.endswith(".json"):
            manifest, arrays = load_arrays(path)
            self.ids, self.val = arrays["train_ids"].astype(np.int64), arrays["val_ids"].astype(np.int64)
        else:
            # A text file: the run's own (its SHA-256 matches: the same split) or new text, all of it for training.
            from tokenizer import Vocabulary

            raw = open(path, "rb").read()
            ids = np.array(Vocabulary(text).encode(raw.decode("utf-8")), dtype=np.int64)
            same = hashlib.sha256(raw).hexdigest() == config["data"]["sha256"]
            end = config["run"]["data"]["trainTokens"] if same else len(ids)
            self.ids, self.val = ids[:end], ids[len(ids) - config["run"]["data"]["valTokens"] :] if same else ids[:0]
        self.stream_length = len(self.ids) // self.batch
        self.passes = (self.stream_length - 1) // self.seq_len
        self.stateful = text["stateful"] and self.passes >= 1
        if len(self.ids) <= self.seq_len:
            sys.exit("train.py: the training text has %d tokens, fewer than seqLen + 1" % len(self.ids))
        self.next = 0
        self.offset = 0

    def sample(self, rng):
        """The global batch: inputs and targets [batch, seqLen], and whether the streams restart (zero the state)."""
        rows, n = self.batch, self.seq_len
        if not self.stateful:
            starts = rng.integers(len(self.ids) - n, size=rows)
            restart = True
        else:
            restart = self.next == 0
            if restart:
                self.offset = int(rng.integers(self.stream_length - self.passes * n)) if self.stream_length - self.passes * n > 0 else 0
            starts = np.arange(rows) * self.stream_length + self.offset + self.next * n
            self.next = (self.next + 1) % self.passes
        index = starts[:, None] + np.arange(n)[None, :]
        return {"inputs": self.ids[index], "targets": self.ids[index + 1]}, restart


class SeriesData:
    """Every training window as SeqLab prepared it (x, known future covariates, y = normalised target minus baseline)."""

    def __init__(self, config, path):
        if not path.endswith(".json"):
            sys.exit("train.py: series training reads the windows SeqLab prepared: pass data/train.json (export again for new data)")
        manifest, arrays = load_arrays(path)
        self.x, self.y = arrays["train_x"], arrays["train_y"]
        self.future = arrays.get("train_future")
        self.val = (arrays["val_x"], arrays.get("val_future"), arrays["val_y"])
        self.batch = config["training"]["batch"]
        self.stateful = False

    def sample(self, rng):
        index = rng.integers(len(self.x), size=self.batch)
        batch = {"inputs": self.x[index], "targets": self.y[index]}
        if self.future is not None:
            batch["future"] = self.future[index]
        return batch, True


def shard(batch, rank, world):
    """This process's rows of the global batch: as even as possible, the first ones one row bigger."""
    rows = len(batch["inputs"])
    counts = [rows // world + (1 if r < rows % world else 0) for r in range(world)]
    first = sum(counts[:rank])
    return {k: v[first : first + counts[rank]] for k, v in batch.items()}, first, counts[rank]


def batch_loss(model, task, loss_kind, batch, device, state):
    """The sum of the batch's per-item losses (tokens or predicted values), its item count, and the final state."""
    inputs = torch.as_tensor(batch["inputs"], device=device)
    targets = torch.as_tensor(batch["targets"], device=device)
    if task == "text":
        logits, final = model(inputs, state)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="sum")
        return loss, targets.numel(), final
    future = torch.as_tensor(batch["future"], device=device) if "future" in batch else None
    out, _ = model(inputs, future=future)
    errors = (out - targets).abs() if loss_kind == "mae" else (out - targets) ** 2
    return errors.sum(), targets.numel(), None


def validation_loss(model, config, data, device):
    """The held-out loss, no dropout: text scored as SeqLab scores it (one stream with the state carried when stateful,
    else windows of seqLen from a zero state), series the mean error over the validation windows."""
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        if config["model"]["task"] == "text":
            ids, n = data.val, data.seq_len
            if len(ids) < 2:
                return float("nan")
            if data.stateful:
                state = None
                for first in range(0, len(ids) - 1, 4096):
                    chunk = ids[first : min(first + 4097, len(ids))]
                    logits, state = model(torch.as_tensor(chunk[None, :-1], device=device), state)
                    total += F.cross_entropy(logits[0], torch.as_tensor(chunk[1:], device=device), reduction="sum").item()
                    count += len(chunk) - 1
            else:
                n = min(n, len(ids) - 1)
                for start in range(0, len(ids) - 1 - n + 1, n):
                    window = torch.as_tensor(ids[None, start : start + n + 1], device=device)
                    logits, _ = model(window[:, :-1])
                    total += F.cross_entropy(logits[0], window[0, 1:], reduction="sum").item()
                    count += n
        else:
            x, future, y = data.val
            loss, count, _ = batch_loss(model, "series", config["training"]["loss"], {"inputs": x, "targets": y, **({"future": future} if future is not None else {})}, device, None)
            total = loss.item()
    model.train()
    return total / max(count, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.path.join(HERE, "data", "train.json"), help="data/train.json (default), or for text a text file")
    parser.add_argument("--steps", type=int, help="steps to train (default: one epoch)")
    parser.add_argument("--epochs", type=float, help="train until this many epochs in total, as seqlab train --resume --epochs does")
    parser.add_argument("--max-seconds", type=float, default=0, help="also stop after this many seconds of training, as seqlab train --max-seconds (0: no limit)")
    parser.add_argument("--lr", type=float, help="restart the schedule from this rate (default: continue from the last step's rate)")
    parser.add_argument("--init", help="weights folder to start from (default: the newest checkpoint, else the exported state)")
    parser.add_argument("--out", default=os.path.join(HERE, "checkpoints"), help="where checkpoints/step-N go")
    parser.add_argument("--save-every", type=int, default=0, help="also checkpoint every N steps (0: only at the end)")
    parser.add_argument("--log-every", type=int, default=10)
    parser.add_argument("--backend", choices=["gloo", "nccl"], help="default: nccl with CUDA, else gloo")
    parser.add_argument("--seed", type=int, help="seed of the batch order and dropout (default: the run's seed plus its step)")
    args = parser.parse_args()

    with open(os.path.join(HERE, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    training, task = config["training"], config["model"]["task"]

    distributed = "RANK" in os.environ and "WORLD_SIZE" in os.environ
    backend = args.backend or ("nccl" if torch.cuda.is_available() else "gloo")
    if distributed:
        dist.init_process_group(backend)
        rank, world = dist.get_rank(), dist.get_world_size()
    else:
        rank, world = 0, 1
    local_rank = int(os.environ.get("LOCAL_RANK", 0))
    if backend == "nccl":
        torch.cuda.set_device(local_rank)
        device = torch.device("cuda", local_rank)
    else:
        device = torch.device("cpu")
    if world > training["batch"]:
        sys.exit("train.py: %d processes for a batch of %d rows: use at most %d" % (world, training["batch"], training["batch"]))

    model = SeqLabModel(config["model"]).to(device)
    init = args.init or (latest_weights(HERE) if os.path.isdir(os.path.join(HERE, "checkpoints")) else os.path.join(HERE, config["weights"]["resume"]))
    try:
        manifest = load_weights(init, model)
    except WeightsError as error:
        sys.exit("train.py: %s" % error)
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=training["lr"], betas=(0.9, 0.999), eps=1e-7)
    resumed = load_adam(init, model, optimizer)
    start = int(manifest["step"])
    # As seqlab train --resume: a run that has taken steps continues from its last rate, without warmup.
    base_lr = args.lr or (manifest.get("lr") if start > 0 and manifest.get("lr") else training["lr"])
    warmup = training["warmup"] if start == 0 or args.lr else 0
    data = (TextData if task == "text" else SeriesData)(config, args.data)
    steps_per_epoch = training["stepsPerEpoch"]
    total = int(round(args.epochs * steps_per_epoch)) if args.epochs else start + (args.steps or steps_per_epoch)
    seed = args.seed if args.seed is not None else training["seed"] + start
    rng = np.random.default_rng(seed)  # the same on every process: they draw the same global batch
    torch.manual_seed(seed * 1009 + rank)  # dropout masks differ between processes, as between a batch's rows

    net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if backend == "nccl" else None) if distributed else model
    net.train()
    log = (lambda line: print(json.dumps(line), flush=True)) if rank == 0 else (lambda line: None)
    log({"event": "start", "task": task, "processes": world, "backend": backend if distributed else "none", "device": str(device),
         "from": os.path.relpath(init, HERE), "step": start, "until": total, "adam": resumed, "torch": torch.__version__})

    # The metrics lines of every step PyTorch trained since the export: the init folder's, then this session's.
    history = [line for line in read_history(init) if line.get("step", 0) <= start]
    offset = history[-1]["seconds"] if history else 0.0

    def epoch_of(step):
        return round(step / steps_per_epoch, 4)

    state, losses, lr, began, done = None, [], base_lr, time.time(), start
    for step in range(start, total):
        if args.max_seconds > 0 and out_of_time(began, args.max_seconds, distributed, device):
            break
        # As SeqLab: the share of the budget done; with --lr the schedule restarts over this session's steps.
        progress = (step - start) / (total - start) if args.lr else step / total
        lr = scheduled_lr(base_lr, warmup, training["lrSchedule"], training["lrFloor"], step - start if args.lr else step, progress)
        for group in optimizer.param_groups:
            group["lr"] = lr
        batch, restart = data.sample(rng)
        rows, _, _ = shard(batch, rank, world)
        if restart or not data.stateful:
            state = None
        loss_sum, _, final = batch_loss(net, task, training["loss"], rows, device, state)
        # Each process's share of the global mean: DDP averages gradients over processes, so scale by their number.
        loss = loss_sum * world / batch["targets"].size
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        clip_global_norm(model.parameters(), training["clip"])
        optimizer.step()
        state = detach_state(final) if data.stateful else None
        reported = loss.detach() / world
        if distributed:
            dist.all_reduce(reported)
        losses.append(reported.item())
        done = step + 1
        if rank == 0 and (done % args.log_every == 0 or done == total):
            log({"step": done, "loss": losses[-1], "lr": lr, "seconds": round(time.time() - began, 2)})
            history.append({"kind": "train", "step": done, "epoch": epoch_of(done), "loss": losses[-1], "lr": lr, "seconds": round(offset + time.time() - began, 2)})
        if args.save_every and done % args.save_every == 0 and done != total:
            checkpoint(args.out, model, optimizer, done, lr, rank, world, backend, distributed, history)

    val = validation_loss(model, config, data, device) if rank == 0 else None
    if rank == 0:
        history.append({"kind": "val", "step": done, "epoch": epoch_of(done), "valLoss": val, "seconds": round(offset + time.time() - began, 2)})
    path = checkpoint(args.out, model, optimizer, done, lr, rank, world, backend, distributed, history)
    # Every process must hold the same weights after the same averaged updates: checked, and reported.
    flat = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
    reference = flat.clone()
    difference = torch.zeros(1, device=device)
    if distributed:
        dist.broadcast(reference, 0)
        difference = (flat - reference).abs().max().reshape(1)
        dist.all_reduce(difference, op=dist.ReduceOp.MAX)
    if rank == 0:
        log({"event": "done", "step": done, "seconds": round(time.time() - began, 2), "firstLoss": losses[0] if losses else None, "lastLoss": losses[-1] if losses else None,
             "valLoss": val, "checkpoint": path, "processes": world, "maxWeightDifference": difference.item()})
    if distributed:
        dist.barrier()
        dist.destroy_process_group()


def out_of_time(began, max_seconds, distributed, device):
    """Whether the time budget is spent; with several processes, rank 0's clock decides, so that all stop at the same step."""
    spent = torch.tensor([1.0 if time.time() - began >= max_seconds else 0.0], device=device)
    if distributed:
        dist.broadcast(spent, 0)
    return spent.item() > 0


def checkpoint(root, model, optimizer, step, lr, rank, world, backend, distributed, history):
    """Rank 0 writes checkpoints/step-N (weights, Adam and the history); the others wait for it."""
    path = os.path.join(root, "step-%07d" % step)
    if rank == 0:
        writer = {"by": "train.py", "torch": torch.__version__, "processes": world, "backend": backend if distributed else "none"}
        save_weights(path, model, optimizer, step, lr, writer, history)
    if distributed:
        dist.barrier()
    return path


if __name__ == "__main__":
    main()
`;
