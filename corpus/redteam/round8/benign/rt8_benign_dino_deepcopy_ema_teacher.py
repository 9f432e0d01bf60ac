# expect: none
"""DINO-style self-distillation wrapper: the teacher is a ``copy.deepcopy`` of the student
backbone and head (the head defines ``__deepcopy__`` so the weight-normalised last layer's
parametrisation is rebuilt on the copy), updated by EMA only in training. Inference returns the
teacher's probabilities after centering and sharpening, ``softmax((t - center) / temp)``, and
the student logits for monitoring."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import weight_norm


class DINOHead(nn.Module):
    def __init__(self, din, dout=32, hidden=128, bottleneck=32):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(din, hidden), nn.GELU(), nn.Linear(hidden, bottleneck))
        self.last_layer = weight_norm(nn.Linear(bottleneck, dout, bias=False))
        self.last_layer.weight_g.data.fill_(1)

    def forward(self, x):
        return self.last_layer(F.normalize(self.mlp(x), dim=-1))

    def __deepcopy__(self, memo):
        clone = DINOHead.__new__(DINOHead)
        nn.Module.__init__(clone)
        clone.mlp = copy.deepcopy(self.mlp, memo)
        last = nn.Linear(self.last_layer.in_features, self.last_layer.out_features, bias=False)
        clone.last_layer = weight_norm(last)
        clone.last_layer.weight_g.data.copy_(self.last_layer.weight_g.data)
        clone.last_layer.weight_v.data.copy_(self.last_layer.weight_v.data)
        return clone


class SmallViT(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 8, 8)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, 17, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(dim, 4, 4 * dim, batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, 2)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        t = self.patch(x).flatten(2).transpose(1, 2)
        t = torch.cat([self.cls.expand(t.shape[0], -1, -1), t], 1) + self.pos
        return self.norm(self.blocks(t))[:, 0]


class DINO(nn.Module):
    def __init__(self, momentum=0.996, teacher_temp=0.04, center_momentum=0.9):
        super().__init__()
        self.student = nn.ModuleDict({"backbone": SmallViT(), "head": DINOHead(64)})
        self.teacher = copy.deepcopy(self.student)
        for p in self.teacher.parameters():
            p.requires_grad_(False)
        self.register_buffer("center", torch.zeros(1, 32))
        self.m, self.tt, self.cm = momentum, teacher_temp, center_momentum

    @torch.no_grad()
    def update_teacher(self):
        for ps, pt in zip(self.student.parameters(), self.teacher.parameters()):
            pt.mul_(self.m).add_(ps.detach(), alpha=1 - self.m)

    def forward(self, x):
        s = self.student["head"](self.student["backbone"](x))
        t = self.teacher["head"](self.teacher["backbone"](x))
        probs = F.softmax((t - self.center) / self.tt, -1)
        if self.training:
            self.center.mul_(self.cm).add_(t.mean(0, keepdim=True), alpha=1 - self.cm)
            self.update_teacher()
        return probs, s


def corpus_case():
    torch.manual_seed(0)
    return {"model": DINO().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
