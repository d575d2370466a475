// The generated model.py: SeqLab's text or series architecture as a torch nn.Module.
export const MODEL_PY = String.raw`"""SeqLab's model as a PyTorch module: the same architecture and math, so the exported weights load one to one.

Text:   token ids -> nn.Embedding -> nn.RNN/LSTM/GRU (dropout between layers) -> dropout -> nn.Linear -> next-token logits
Series: windows [batch, lookback, features] -> nn.RNN/LSTM/GRU -> dropout -> last step (+ known future covariates)
        -> nn.Linear -> the normalised forecast minus its baseline, for every step of the horizon

SeqLab applies dropout to the output of every recurrent layer, the last one included (before the head): torch's
nn.LSTM(dropout=p) covers the layers in between, and self.dropout the last one. Dropout is active only in train().
The cells are torch's own (LSTM gates i, f, g, o; GRU r, z, n with the reset applied after the matmul, as SeqLab does).
"""
import torch
from torch import nn

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class SeqLabModel(nn.Module):
    """Built from config.json's "model" block (SeqLab's model spec)."""

    def __init__(self, spec):
        super().__init__()
        self.task = spec["task"]
        if self.task not in ("text", "series"):
            raise ValueError("this export supports text and series models, not " + str(self.task))
        self.cell = spec["cell"]
        self.hidden = spec["hidden"]
        self.layers = spec["layers"]
        self.future_size = spec.get("futureSize", 0) or 0
        if self.task == "text":
            self.embedding = nn.Embedding(spec["vocabSize"], spec["embedding"])
            input_size = spec["embedding"]
            outputs = spec["vocabSize"]
        else:
            self.embedding = None
            input_size = spec["inputSize"]
            outputs = spec["horizon"]
        dropout = spec.get("dropout", 0.0) or 0.0
        self.rnn = CELLS[self.cell](
            input_size,
            self.hidden,
            num_layers=self.layers,
            batch_first=True,
            # torch warns about dropout with one layer: there is nothing in between then.
            dropout=dropout if self.layers > 1 else 0.0,
        )
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.hidden + self.future_size, outputs)

    def zero_state(self, batch, device=None):
        """The zero recurrent state for "batch" rows: h, or (h, c) for an LSTM, each [layers, batch, hidden]."""
        h = torch.zeros(self.layers, batch, self.hidden, device=device)
        return (h, torch.zeros_like(h)) if self.cell == "lstm" else h

    def forward(self, inputs, state=None, future=None):
        """Text: logits [batch, time, vocab] and the final state for ids [batch, time] (from "state", else zeros).
        Series: the head's outputs [batch, horizon] for windows [batch, lookback, inputSize] and, when the model has
        them, the known future covariates [batch, futureSize]; the state returned is the final one."""
        if self.task == "text":
            outputs, final = self.rnn(self.embedding(inputs), state)
            return self.head(self.dropout(outputs)), final
        outputs, final = self.rnn(inputs, state)
        last = self.dropout(outputs)[:, -1, :]
        if self.future_size:
            if future is None or future.shape[1] != self.future_size:
                raise ValueError("the model needs %d future covariates per window" % self.future_size)
            last = torch.cat([last, future], dim=1)
        return self.head(last), final


def detach_state(state):
    """The state cut from the graph (truncated backprop through time carries values, not gradients)."""
    if state is None:
        return None
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()
`;
