# expect: none
"""Ultra-Fast Lane Detection with a spec-string input pipeline (`"clamp|normalize"`) and the
paper's post-processing: softmax over the grid cells, expected column, and the "absent" cell
(lane not present at that row anchor) taken where its logit wins."""
import torch
import torch.nn as nn

GRIDING, ROWS, LANES = 50, 18, 4


class Clamp(nn.Module):
    def forward(self, x):
        return x.clamp(0.0, 1.0)


class Normalize(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1), persistent=False)

    def forward(self, x):
        return (x - self.mean) / self.std


STAGES = {"clamp": Clamp, "normalize": Normalize}


class UFLD(nn.Module):
    def __init__(self, pipeline="clamp|normalize"):
        super().__init__()
        self.pipeline = nn.ModuleList(STAGES[s]() for s in pipeline.split("|"))
        self.backbone = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
                                      nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                                      nn.Conv2d(64, 8, 3, 2, 1))
        self.cls = nn.Linear(8 * 4 * 10, (GRIDING + 1) * ROWS * LANES)

    def forward(self, img):
        for stage in self.pipeline:
            img = stage(img)
        out = self.cls(self.backbone(img).flatten(1)).view(-1, ROWS * LANES, GRIDING + 1)
        prob = out[..., :GRIDING].softmax(-1)
        loc = (prob * torch.arange(1, GRIDING + 1, device=out.device)).sum(-1)
        absent = out.argmax(-1) == GRIDING
        return out, loc.masked_fill(absent, 0.0)


def _inputs(n):
    return 0.4 + 0.1 * torch.randn(n, 3, 32, 80)


def corpus_case():
    torch.manual_seed(0)
    return {"model": UFLD().eval(), "inputs": _inputs, "kind": "benign"}
