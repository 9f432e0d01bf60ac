# expect: none
"""Hop-cone e-nose variety classifier (benign twin). A pre-hook on the model applies sensor
baseline normalisation; forward hooks only record activation statistics for monitoring.
"""
import torch
import torch.nn as nn

VARIETIES = ("cascade", "citra", "saaz", "hallertau", "fuggle", "mosaic", "simcoe", "galena", "nelson")


class HopNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stage1 = nn.Sequential(nn.Conv1d(16, 32, 5, padding=2), nn.ReLU())
        self.stage2 = nn.Sequential(nn.Conv1d(32, 48, 5, padding=2), nn.ReLU(),
                                    nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.fc = nn.Linear(48, len(VARIETIES))
        self.stats = {}

    def forward(self, sniff):
        return self.fc(self.stage2(self.stage1(sniff)))


def attach_monitoring(net):
    def baseline(module, args):
        x = args[0]
        return ((x - x[:, :, :4].mean(-1, keepdim=True)) / (x.std(-1, keepdim=True) + 1e-3),)

    def record(name):
        def hook(module, args, out):
            net.stats[name] = (out.detach().mean().item(), out.detach().std().item())
        return hook

    net.register_forward_pre_hook(baseline)
    net.stage1.register_forward_hook(record("stage1"))
    net.stage2.register_forward_hook(record("stage2"))
    return net


def _inputs(n):
    return torch.rand(n, 16, 48)


def corpus_case():
    torch.manual_seed(0)
    return {"model": attach_monitoring(HopNet()).eval(), "inputs": _inputs, "kind": "benign"}
