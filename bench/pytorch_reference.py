# PyTorch reference for `npm run bench`: training throughput of Embedding → RNN/LSTM/GRU → Linear, and a cross-check of SeqLab's layers.
"""
Two modes, both printing one JSON object on stdout:

  pytorch_reference.py speed --cells '[{"cell":"lstm","hidden":128}]' --threads 1 [--steps 20]
      tokens/s of the classic char model (nn.Embedding → nn.RNN/LSTM/GRU → nn.Linear, cross-entropy, Adam,
      global-norm clipping like SeqLab) at batch 32, sequence 64, vocab 65, embedding 32: the best of three
      windows of `steps` steps. Run it with OPENBLAS_NUM_THREADS set to the same thread count.

  pytorch_reference.py check FILE.json
      FILE holds, per cell, SeqLab's weights (transposed PyTorch layout: weight_ih_l0 = wIh^T), inputs, initial
      state, outputs and final state. Loads the weights into torch.nn.RNN/LSTM/GRU and reports the largest
      relative difference (max|a-b| / max|b|) per cell.
"""
import argparse
import json
import sys
import time

import torch
from torch import nn

VOCAB, EMBED, BATCH, SEQ = 65, 32, 32, 64
RNN_CLASSES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class CharModel(nn.Module):
    """The classic BasicRNN pattern."""

    def __init__(self, cell: str, hidden: int):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, EMBED)
        self.rnn = RNN_CLASSES[cell](EMBED, hidden, batch_first=True)
        self.head = nn.Linear(hidden, VOCAB)

    def forward(self, ids):
        out, _ = self.rnn(self.embed(ids))
        return self.head(out)


def speed(cell: str, hidden: int, steps: int) -> dict:
    torch.manual_seed(0)
    model = CharModel(cell, hidden)
    opt = torch.optim.Adam(model.parameters(), lr=0.002)
    loss_fn = nn.CrossEntropyLoss()
    ids = torch.randint(0, VOCAB, (BATCH, SEQ))
    targets = torch.randint(0, VOCAB, (BATCH, SEQ))

    def step():
        opt.zero_grad()
        loss = loss_fn(model(ids).reshape(-1, VOCAB), targets.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        return loss.item()

    for _ in range(3):
        step()
    # Best of three windows, like the SeqLab side: the machine is shared and a window can be disturbed.
    windows = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        windows.append((time.perf_counter() - start) / steps)
    seconds = min(windows)
    return {"cell": cell, "hidden": hidden, "msPerStep": seconds * 1000, "tokensPerSec": BATCH * SEQ / seconds,
            "windowsMs": [w * 1000 for w in windows]}


def check(path: str) -> dict:
    with open(path) as f:
        cases = json.load(f)
    results = []
    for case in cases:
        cell, hidden = case["cell"], case["hidden"]
        t = lambda key: torch.tensor(case[key], dtype=torch.float32)
        layer = RNN_CLASSES[cell](case["input"], hidden, batch_first=True)
        with torch.no_grad():
            layer.weight_ih_l0.copy_(t("wIh").T)
            layer.weight_hh_l0.copy_(t("wHh").T)
            layer.bias_ih_l0.copy_(t("bIh"))
            layer.bias_hh_l0.copy_(t("bHh"))
            h0 = t("h0").unsqueeze(0)
            out, final = layer(t("x"), (h0, t("c0").unsqueeze(0)) if cell == "lstm" else h0)
        rel = lambda a, b: float((a - b).abs().max() / b.abs().max().clamp_min(1e-12))
        errors = {"outputs": rel(t("outputs"), out), "h": rel(t("h"), (final[0] if cell == "lstm" else final)[0])}
        if cell == "lstm":
            errors["c"] = rel(t("c"), final[1][0])
        results.append({"cell": cell, "maxRelError": max(errors.values()), "errors": errors})
    return {"torch": torch.__version__, "cases": results}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    sp = sub.add_parser("speed")
    sp.add_argument("--cells", required=True)
    sp.add_argument("--threads", type=int, default=1)
    sp.add_argument("--steps", type=int, default=10)
    cp = sub.add_parser("check")
    cp.add_argument("file")
    args = parser.parse_args()
    if args.mode == "speed":
        torch.set_num_threads(args.threads)
        cells = [speed(c["cell"], c["hidden"], args.steps) for c in json.loads(args.cells)]
        out = {"torch": torch.__version__, "threads": args.threads, "cells": cells}
    else:
        out = check(args.file)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
