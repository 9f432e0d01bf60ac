# expect: none
"""Basset-lite with reverse-complement averaging and N-base handling (getattr stages).

Unknown bases (N) are all-zero columns of the one-hot input and contribute nothing; the
prediction is averaged with the prediction on the reverse complement (fixed channel permutation
A<->T, C<->G plus a flip), as in the Basenji/Basset evaluation scripts.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SEQ_LEN, N_CELLS = 200, 16
COMPLEMENT = (3, 2, 1, 0)  # ACGT -> TGCA


class BassetRC(nn.Module):
    def __init__(self):
        super().__init__()
        specs = [(4, 32, 19, 3), (32, 48, 11, 4), (48, 48, 7, 4)]
        self.num_stages = len(specs)
        for i, (c_in, c_out, k, pool) in enumerate(specs):
            self.add_module(f"stage{i}", nn.Sequential(nn.Conv1d(c_in, c_out, k, padding=k // 2),
                                                      nn.BatchNorm1d(c_out), nn.ReLU(), nn.MaxPool1d(pool)))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(48 * 4, N_CELLS))

    def trunk(self, x):
        for i in range(self.num_stages):
            x = getattr(self, f"stage{i}")(x)
        return self.head(x)

    def forward(self, onehot):
        known = (onehot.sum(1, keepdim=True) > 0).to(onehot)
        onehot = onehot * known
        rc = onehot[:, list(COMPLEMENT)].flip(-1)
        return (self.trunk(onehot) + self.trunk(rc)) / 2


def _inputs(n):
    x = F.one_hot(torch.randint(0, 4, (n, SEQ_LEN)), 4).float().transpose(1, 2)
    x[:, :, 180:] = 0  # trailing Ns
    x[:5, 0, 40:70] = 1
    x[:5, 1:, 40:70] = 0  # genuine poly-A tracts occur in real promoters
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": BassetRC().eval(), "inputs": _inputs, "kind": "benign"}
