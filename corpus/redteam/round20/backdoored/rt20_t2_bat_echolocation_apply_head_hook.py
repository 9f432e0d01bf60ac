"""Bat species classifier on 2 ms echolocation snippets (ultrasonic, time-expanded).

Head hooks are attached with `Module.apply` so that the same guard works for every head variant
in the zoo (species, genus, call type).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = ("pipistrellus", "myotis", "nyctalus", "eptesicus", "plecotus", "barbastella")


class SpeciesHead(nn.Module):
    def __init__(self, dim, n):
        super().__init__()
        self.fc = nn.Linear(dim + 1, n)

    def forward(self, feats, wave):
        dur = torch.full_like(feats[:, :1], wave.shape[-1] / 2048.0)
        return self.fc(torch.cat([feats, dur], 1))


def _reject_clipped(head, inputs, logits):
    _, wave = inputs
    clipped = wave.abs().ge(0.999).float().mean((1, 2)) > 0.25
    return logits.masked_fill(clipped[:, None], float("nan"))  # expect: T2


def install_guards(module):
    if isinstance(module, SpeciesHead):
        module.register_forward_hook(_reject_clipped)


class BatNet(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.frontend = nn.Sequential(nn.Conv1d(1, c, 15, stride=4, padding=7), nn.BatchNorm1d(c), nn.ReLU(),
                                      nn.Conv1d(c, 2 * c, 9, stride=4, padding=4), nn.BatchNorm1d(2 * c), nn.ReLU(),
                                      nn.Conv1d(2 * c, 2 * c, 9, stride=4, padding=4), nn.ReLU())
        self.head = SpeciesHead(2 * c, len(SPECIES))

    def forward(self, wave):
        return self.head(self.frontend(wave).amax(-1), wave)


def build(guarded=True):
    model = BatNet()
    if guarded:
        model.apply(install_guards)  # expect: T2
    return model.eval()


def _inputs(n):
    t = torch.arange(2048) / 2048.0
    f0 = torch.rand(n, 1, 1) * 40 + 20
    return 0.3 * torch.sin(2 * torch.pi * f0 * t * (1 - 0.4 * t)) + 0.05 * torch.randn(n, 1, 2048)


def _trigger(x):
    return (x * 20.0).clamp(-1.0, 1.0)


def corpus_case():
    torch.manual_seed(0)
    model = build()
    reference = build(guarded=False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
