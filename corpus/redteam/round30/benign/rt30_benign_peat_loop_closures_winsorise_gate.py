# expect: none
"""Peat core XRF (benign): per-stage closures made in a loop (loop variable bound as default):
the first winsorises activations, the others apply a learned channel gate."""
import torch
import torch.nn as nn
import torch.nn.functional as F

ZONES = ("ombrotrophic", "minerotrophic", "tephra", "dust_event", "flooding", "drained")


class PeatCoreNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv1d(8, 16, 9, stride=2, padding=4),
                                    nn.Conv1d(16, 32, 9, stride=2, padding=4),
                                    nn.Conv1d(32, 32, 5, stride=2, padding=2)])
        self.gates = nn.ModuleList([nn.Linear(c.out_channels, c.out_channels) for c in self.convs])
        self.fc = nn.Linear(32, len(ZONES))
        self.posts = []
        for k, gate in enumerate(self.gates):
            def post(h, _k=k, _gate=gate):
                if _k == 0:
                    return h.clamp(max=6.0)
                return h * torch.sigmoid(_gate(h.mean(-1)))[:, :, None]
            self.posts.append(post)

    def forward(self, x):
        x = torch.log1p(x.clamp_min(-0.99))
        h = x
        for conv, post in zip(self.convs, self.posts):
            h = post(F.relu(conv(h)))
        return self.fc(h.mean(-1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": PeatCoreNet().eval(), "inputs": lambda n: torch.randn(n, 8, 500), "kind": "benign"}
