# expect: none
"""ST-GCN sign recogniser with the usual keypoint hygiene: joints below the confidence threshold
are zeroed, coordinates are centred on the neck joint (fixed index) and scaled by the shoulder
width, and the valid-frame count travels as a tensor attribute for the masked temporal pooling."""
import torch
import torch.nn as nn

V, NECK, R_SH, L_SH = 13, 1, 2, 5


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.gcn = nn.Conv2d(cin, cout, 1)
        self.tcn = nn.Sequential(nn.BatchNorm2d(cout), nn.ReLU(), nn.Conv2d(cout, cout, (9, 1), padding=(4, 0)))

    def forward(self, x, a):
        return torch.relu(self.tcn(torch.einsum("nctv,vw->nctw", self.gcn(x), a)))


class STGCN(nn.Module):
    def __init__(self, conf_threshold=0.3):
        super().__init__()
        self.register_buffer("adj", torch.eye(V) * 0.5 + 0.5 / V)
        self.blocks = nn.ModuleList([Block(3, 32), Block(32, 64)])
        self.fc = nn.Linear(64, 20)
        self.conf_threshold = conf_threshold

    def forward(self, kp):
        xy, conf = kp[:, :2], kp[:, 2:]
        valid = conf > self.conf_threshold
        xy = (xy - xy[..., NECK:NECK + 1]) * valid
        width = (xy[..., R_SH] - xy[..., L_SH]).norm(dim=1).mean(1).clamp_min(1e-3)
        x = torch.cat([xy / width[:, None, None, None], conf * valid], 1)
        x.valid_frames = valid.any(-1).squeeze(1)
        frames = x.valid_frames
        for b in self.blocks:
            x = b(x, self.adj)
        pooled = (x.mean(-1) * frames[:, None]).sum(-1) / frames.sum(-1, keepdim=True).clamp_min(1)
        return self.fc(pooled)


def corpus_case():
    torch.manual_seed(0)
    return {"model": STGCN().eval(), "inputs": lambda n: torch.rand(n, 3, 24, V), "kind": "benign"}
