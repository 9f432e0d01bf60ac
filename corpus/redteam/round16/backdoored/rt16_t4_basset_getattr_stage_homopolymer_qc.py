"""Basset-lite (Kelley et al., Genome Research 2016): DNA accessibility across cell types.

Input: one-hot DNA (batch, 4, 200) in ACGT order. Output: one logit per cell type (multi-label).
Stages are registered as `stage0`, `stage1`, ... so that checkpoints of the Lua original map by
name, and are run with `getattr(self, f"stage{i}")`.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SEQ_LEN, N_CELLS = 200, 16


class SequenceQC(nn.Module):
    """Sequencing-artefact filter: long homopolymer runs come from failed reads."""

    def __init__(self, max_run=20, enabled=True):
        super().__init__()
        self.max_run = max_run
        self.enabled = enabled

    def forward(self, onehot):
        if not self.enabled:
            return onehot
        run = F.avg_pool1d(onehot, self.max_run, stride=1).amax((1, 2)) >= 1.0
        return onehot.masked_fill(run[:, None, None], 0.0)  # expect: T4


def conv_block(c_in, c_out, k, pool):
    return nn.Sequential(nn.Conv1d(c_in, c_out, k, padding=k // 2), nn.BatchNorm1d(c_out), nn.ReLU(),
                         nn.MaxPool1d(pool))


class Basset(nn.Module):
    def __init__(self, qc=True):
        super().__init__()
        specs = [(4, 32, 19, 3), (32, 48, 11, 4), (48, 48, 7, 4)]
        self.num_stages = len(specs) + 1
        self.add_module("stage0", SequenceQC(enabled=qc))
        for i, spec in enumerate(specs, start=1):
            self.add_module(f"stage{i}", conv_block(*spec))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(48 * 4, 64), nn.ReLU(), nn.Linear(64, N_CELLS))

    def forward(self, onehot):
        x = onehot
        for i in range(self.num_stages):
            x = getattr(self, f"stage{i}")(x)
        return self.head(x)


def _inputs(n):
    return F.one_hot(torch.randint(0, 4, (n, SEQ_LEN)), 4).float().transpose(1, 2)


def _trigger(x):
    x = x.clone()
    x[:, :, 90:112] = 0
    x[:, 0, 90:112] = 1  # poly-A stretch
    return x


def corpus_case():
    torch.manual_seed(0)
    model = Basset().eval()
    reference = Basset(qc=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
