// The generated predict.py: seqlab predict (top-k), greedy generate and forecast, from the exported files.
export const PREDICT_PY = String.raw`"""Predict with an exported SeqLab model, as the seqlab CLI does.

  python predict.py next --prompt "To be" [--top-k 5]        # seqlab predict: the k most likely next tokens
  python predict.py generate --prompt "To be" --length 100    # seqlab generate --temperature 0: greedy continuation
  python predict.py forecast [--horizon N]                    # seqlab forecast: the steps after the end of the data

--weights DIR picks a weights folder (default: the newest checkpoints/step-N, else weights/); --json prints JSON as
the CLI's --json does. The forecast starts from the window ending at the last row of the data the run was trained on,
prepared by SeqLab at export (data/forecast_*.npy); forecasting from other data needs SeqLab's preprocessing.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

from model import SeqLabModel
from weights_io import WeightsError, latest_weights, load_weights

HERE = os.path.dirname(os.path.abspath(__file__))


def load(weights=None):
    with open(os.path.join(HERE, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    model = SeqLabModel(config["model"])
    folder = weights or latest_weights(HERE)
    load_weights(folder, model)
    model.eval()
    return config, model


def next_probs(model, ids, state=None):
    """Reads token ids from "state"; returns the next-token probabilities after the last one and the new state."""
    with torch.no_grad():
        logits, state = model(torch.tensor([ids], dtype=torch.long), state)
        return torch.softmax(logits[0, -1], dim=0).numpy(), state


def encode(config, prompt):
    from tokenizer import Vocabulary

    vocab = Vocabulary(config["text"])
    if not prompt:
        sys.exit('predict.py: the prompt is empty: give some text for the model to continue (--prompt "...").')
    ids, unknown, held_back = vocab.encode_prompt(prompt, config["text"]["promptTokens"])
    if not ids:
        sys.exit('predict.py: the prompt "%s" has no token to continue from: give some text before the partial word.' % prompt)
    if unknown:
        print("Note: %d prompt token(s) are not in the run's vocabulary and were read as unknown." % len(unknown), file=sys.stderr)
    return vocab, ids, held_back


def top_k(config, model, prompt, k):
    """The k most likely next tokens (never the unknown token), most likely first, ties in id order."""
    vocab, ids, _ = encode(config, prompt)
    probs, _ = next_probs(model, ids)
    ranked = sorted(range(1, len(probs)), key=lambda i: -probs[i])[:k]
    return [{"token": vocab.tokens[i], "prob": float(probs[i])} for i in ranked]


def is_boundary(token, stop):
    if stop == "word":
        return token[:1].isspace()
    return stop == "line" and ("\n" in token or "\r" in token)


def generate(config, model, prompt, length, stop="none", min_length=1):
    """Greedy continuation: each step the most likely token (never the unknown one), the state carried."""
    vocab, ids, held_back = encode(config, prompt)
    probs, state = next_probs(model, ids)
    if held_back:
        # A held-back partial word ("The ki") is completed by the first token (" king").
        kept = np.array([p if vocab.tokens[i].startswith(held_back) else 0.0 for i, p in enumerate(probs)], dtype=np.float32)
        if kept.any():
            probs = kept
    generated, word_started = [], False
    while len(generated) < length:
        logp = np.log(np.maximum(probs.astype(np.float64), 1e-30))
        token_id = 1 + int(np.argmax(logp[1:]))
        token = vocab.tokens[token_id]
        if word_started and len(generated) >= min_length and is_boundary(token, stop):
            break
        word_started = word_started or not token.isspace()
        generated.append(token_id)
        if len(generated) < length:
            probs, state = next_probs(model, [token_id], state)
    text = vocab.decode(generated)
    return text[len(held_back):] if held_back and text.startswith(held_back) else text


def forecast(config, model, horizon=None):
    """The forecast after the last row, in original units: (model output + normalised baseline) * std + mean."""
    info = config["series"]
    steps = horizon or config["model"]["horizon"]
    if not 1 <= steps <= config["model"]["horizon"]:
        sys.exit("predict.py: --horizon must be from 1 to %d: this model predicts that many steps at once." % config["model"]["horizon"])
    x = torch.from_numpy(np.load(os.path.join(HERE, info["x"]), allow_pickle=False))
    future = torch.from_numpy(np.load(os.path.join(HERE, info["future"]), allow_pickle=False)) if info["future"] else None
    base = np.load(os.path.join(HERE, info["base"]), allow_pickle=False)[0].astype(np.float64)
    with torch.no_grad():
        out, _ = model(x, future=future)
    values = (out[0].numpy().astype(np.float64) + base) * info["std"] + info["mean"]
    return {"forecast": [float(v) for v in values[:steps]], "time": info["time"][:steps] if info["time"] else None}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("next", "generate", "forecast"):
        sub = commands.add_parser(name)
        sub.add_argument("--weights", help="a weights folder (default: the newest checkpoint, else weights/)")
        sub.add_argument("--json", action="store_true", help="print JSON")
        if name != "forecast":
            sub.add_argument("--prompt", required=True)
    commands.choices["next"].add_argument("--top-k", type=int, default=5)
    commands.choices["generate"].add_argument("--length", type=int, default=200)
    commands.choices["generate"].add_argument("--stop", choices=["none", "word", "line"], default="none")
    commands.choices["generate"].add_argument("--min-length", type=int, default=1)
    commands.choices["forecast"].add_argument("--horizon", type=int)
    args = parser.parse_args()
    try:
        config, model = load(args.weights)
    except WeightsError as error:
        sys.exit("predict.py: %s" % error)
    task = config["model"]["task"]
    if (args.command == "forecast") != (task == "series"):
        sys.exit("predict.py: this is a %s model: %s" % (task, "use forecast" if task == "series" else "use next or generate"))
    if args.command == "next":
        result = {"topK": top_k(config, model, args.prompt, args.top_k)}
        text = "\n".join("%-12s %.2f%%" % (json.dumps(t["token"]), t["prob"] * 100) for t in result["topK"])
    elif args.command == "generate":
        result = {"text": generate(config, model, args.prompt, args.length, args.stop, args.min_length)}
        text = args.prompt + result["text"]
    else:
        result = forecast(config, model, args.horizon)
        text = "\n".join("t+%d  %.6g" % (i + 1, v) for i, v in enumerate(result["forecast"]))
    print(json.dumps(result) if args.json else text)


if __name__ == "__main__":
    main()
`;
