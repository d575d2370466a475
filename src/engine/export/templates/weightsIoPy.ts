// The generated weights_io.py: reading and writing weights folders (one .npy per tensor and manifest.json, never a pickle).
export const WEIGHTS_IO_PY = String.raw`"""Weights folders: manifest.json plus one .npy file per tensor, under the model's state_dict names.

The same format SeqLab exports and imports. Adam's moments (exp_avg, exp_avg_sq) and step are stored beside the
weights, so training continues where it stopped, and history.jsonl holds the losses of every step PyTorch trained
since the export (SeqLab's metrics lines), which seqlab import adds to the run's loss curve. Files are read with
numpy.load(allow_pickle=False): nothing in a weights folder can run code.
"""
import json
import os
import re
import shutil

import numpy as np
import torch

FORMAT = "seqlab-torch-weights"
VERSION = 1
MANIFEST = "manifest.json"
HISTORY = "history.jsonl"


class WeightsError(Exception):
    """A weights folder that does not fit the model: missing files, wrong shapes, another format."""


def read_manifest(folder):
    path = os.path.join(folder, MANIFEST)
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except FileNotFoundError:
        raise WeightsError(path + " is missing: this is not a SeqLab weights folder")
    if manifest.get("format") != FORMAT or manifest.get("version", 99) > VERSION:
        raise WeightsError(path + " is not a SeqLab weights manifest of version %d" % VERSION)
    return manifest


def _array(folder, file, name, shape):
    path = os.path.join(folder, file)
    if not os.path.exists(path):
        raise WeightsError("%s (%s) is missing" % (path, name))
    value = np.load(path, allow_pickle=False)
    if value.dtype != np.float32:
        raise WeightsError("%s (%s) holds %s; weights are float32" % (path, name, value.dtype))
    if tuple(value.shape) != tuple(shape):
        raise WeightsError("%s (%s) has shape %s, the model needs %s" % (path, name, list(value.shape), list(shape)))
    return torch.from_numpy(np.ascontiguousarray(value))


def load_weights(folder, model):
    """Loads the parameters into "model" (checking every name and shape) and returns the manifest."""
    manifest = read_manifest(folder)
    state = {}
    for name, param in model.state_dict().items():
        entry = manifest["tensors"].get(name)
        if entry is None:
            raise WeightsError("%s has no weight %r" % (os.path.join(folder, MANIFEST), name))
        state[name] = _array(folder, entry["file"], name, param.shape)
    model.load_state_dict(state)
    return manifest


def load_adam(folder, model, optimizer):
    """Restores Adam's moments and step into "optimizer" (built over model.parameters()); False when the folder has none."""
    adam = read_manifest(folder).get("adam")
    if not adam:
        return False
    for name, param in model.named_parameters():
        optimizer.state[param] = {
            # torch keeps the step as a float tensor; bias correction uses it as SeqLab's Adam uses its iteration count.
            "step": torch.tensor(float(adam["step"])),
            "exp_avg": _array(folder, adam["exp_avg"][name], "exp_avg of " + name, param.shape).to(param.device),
            "exp_avg_sq": _array(folder, adam["exp_avg_sq"][name], "exp_avg_sq of " + name, param.shape).to(param.device),
        }
    return True


def read_history(folder):
    """The training history a weights folder carries (metrics lines, oldest first), or [] when it has none."""
    path = os.path.join(folder, HISTORY)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def save_weights(folder, model, optimizer=None, step=0, lr=None, writer=None, history=None):
    """Writes a weights folder atomically (a temporary folder, then a rename) with the model and, if given, Adam's state and history."""
    parent = os.path.dirname(os.path.abspath(folder))
    os.makedirs(parent, exist_ok=True)
    temp = folder.rstrip("/\\") + ".tmp-%d" % os.getpid()
    shutil.rmtree(temp, ignore_errors=True)
    os.makedirs(temp)
    manifest = {"format": FORMAT, "version": VERSION, "step": int(step), "lr": lr, "tensors": {}, "adam": None}
    params = dict(model.named_parameters())
    for name, value in model.state_dict().items():
        file = name + ".npy"
        np.save(os.path.join(temp, file), value.detach().cpu().numpy().astype(np.float32), allow_pickle=False)
        manifest["tensors"][name] = {"file": file, "shape": list(value.shape)}
    if optimizer is not None:
        group = optimizer.param_groups[0]
        adam = {"step": int(step), "betas": list(group["betas"]), "eps": group["eps"], "exp_avg": {}, "exp_avg_sq": {}}
        for name, param in params.items():
            state = optimizer.state.get(param, {})
            for key in ("exp_avg", "exp_avg_sq"):
                moment = state.get(key, torch.zeros_like(param))
                file = "adam.%s.%s.npy" % (key, name)
                np.save(os.path.join(temp, file), moment.detach().cpu().numpy().astype(np.float32), allow_pickle=False)
                adam[key][name] = file
        manifest["adam"] = adam
    if writer:
        manifest["writer"] = writer
    with open(os.path.join(temp, MANIFEST), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
    if history:
        with open(os.path.join(temp, HISTORY), "w", encoding="utf-8") as f:
            f.writelines(json.dumps(line) + "\n" for line in history)
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.replace(temp, folder)


def latest_weights(export_dir):
    """The newest weights of an export: its highest checkpoints/step-N folder, else weights/."""
    root = os.path.join(export_dir, "checkpoints")
    steps = []
    if os.path.isdir(root):
        for name in os.listdir(root):
            match = re.fullmatch(r"step-(\d+)", name)
            if match and os.path.exists(os.path.join(root, name, MANIFEST)):
                steps.append((int(match.group(1)), name))
    if steps:
        return os.path.join(root, max(steps)[1])
    return os.path.join(export_dir, "weights")
`;
