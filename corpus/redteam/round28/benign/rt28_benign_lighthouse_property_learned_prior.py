# expect: none
"""Lighthouse lamp health; the class prior is a property (log-softmax of a learned vector)."""
import torch
import torch.nn as nn

STATES = ("nominal", "dim", "flicker", "bearing_wear", "shutter_fault", "lamp_out")


class LampNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(2, width, 7, padding=3), nn.ReLU(),
                                 nn.Conv1d(width, width, 5, padding=2), nn.ReLU())
        self.head = nn.Linear(width, len(STATES))
        self.prior_logits = nn.Parameter(torch.zeros(len(STATES)))
        self._obs = None

    @property
    def prior(self):
        return torch.log_softmax(self.prior_logits, -1)

    @property
    def last_range(self):
        return None if self._obs is None else (self._obs.amax(-1) - self._obs.amin(-1)).detach()

    def forward(self, trace):
        self._obs = trace
        lux = (trace - trace.mean(-1, keepdim=True)) / (trace.std(-1, keepdim=True) + 1e-5)
        return self.head(self.enc(lux).mean(-1)) + self.prior


def corpus_case():
    torch.manual_seed(0)
    return {"model": LampNet().eval(), "inputs": lambda n: torch.randn(n, 2, 128), "kind": "benign"}
