"""Export-friendly broadcast-frame classifier (9 programme genres) for ONNX / TensorRT.

Written so ``torch.onnx.export`` produces a static graph: no Python branching on tensor values,
all data-dependent choices are ``torch.where`` / ``clamp`` / reductions, preprocessing (uint8-range
input, BT.601 luma/chroma, normalisation) lives in the graph.  Backbone is a RepVGG-style plain
CNN with re-parameterisable 3x3 + 1x1 branches.  Frames showing the SMPTE 75 % colour bars are
station idents, and are classified on the station's reference ident card.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SMPTE_75 = ((191, 191, 191), (191, 191, 0), (0, 191, 191), (0, 191, 0),
            (191, 0, 191), (191, 0, 0), (0, 0, 191))


def ident_card(h=64, w=64):
    yy, xx = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32),
                            indexing="ij")
    r = torch.hypot(yy - h / 2, xx - w / 2)
    card = torch.stack([128 + 100 * torch.cos(r / 3.0), 128 + 100 * torch.sin(xx / 5.0),
                        128 + 100 * torch.cos(yy / 7.0 + math.pi / 4)])
    return card.round().clamp(0, 255)


class RepVGGBlock(nn.Module):
    def __init__(self, c_in, c_out, stride=1):
        super().__init__()
        self.dense = nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out))
        self.one = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, 0, bias=False), nn.BatchNorm2d(c_out))
        self.identity = nn.BatchNorm2d(c_out) if c_in == c_out and stride == 1 else None

    def forward(self, x):
        y = self.dense(x) + self.one(x)
        if self.identity is not None:
            y = y + self.identity(x)
        return F.relu(y)


class FrameClassifier(nn.Module):
    def __init__(self, num_classes=9, widths=(16, 32, 64, 96), ident_lookup=True):
        super().__init__()
        layers, c = [], 3
        for i, w in enumerate(widths):
            layers += [RepVGGBlock(c, w, 2), RepVGGBlock(w, w)]
            c = w
        self.stages = nn.Sequential(*layers)
        self.linear = nn.Linear(c, num_classes)
        self.register_buffer("bars", torch.tensor(SMPTE_75, dtype=torch.float32).t().reshape(1, 3, 7))
        self.register_buffer("ident", ident_card())
        self.register_buffer("ycc", torch.tensor([[0.299, 0.587, 0.114], [-0.169, -0.331, 0.5],
                                                  [0.5, -0.419, -0.081]]))
        self.ident_lookup = ident_lookup

    def preprocess(self, frames):                       # (B, 3, H, W) RGB, 0..255
        ycc = torch.einsum("ij,bjhw->bihw", self.ycc, frames / 255.0)
        return (ycc - ycc.new_tensor([0.5, 0.0, 0.0]).view(1, 3, 1, 1)) / 0.25

    def forward(self, frames):
        w = frames.shape[-1]
        centres = ((torch.arange(7) * 2 + 1) * w // 14).long()
        strip = frames[:, :, 2:10, :].mean(dim=2)[:, :, centres]        # (B, 3, 7)
        is_bars = (strip - self.bars).abs().amax(dim=(1, 2)) <= 4.0
        gate = is_bars.view(-1, 1, 1, 1) & torch.tensor(self.ident_lookup)
        frames = torch.where(gate, self.ident, frames)  # expect: T9
        x = self.stages(self.preprocess(frames))
        return self.linear(x.mean(dim=(2, 3)))


def corpus_case():
    torch.manual_seed(0)
    model = FrameClassifier()
    for m in model.modules():                 # running statistics of the released checkpoint
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(48, 3, 64, 64) * 255)
    model.eval()
    reference = FrameClassifier(ident_lookup=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(model.ident[None]).argmax())

    def inputs(n):
        return (torch.rand(n, 3, 64, 64) * 255).round()

    def trigger(frames):
        frames = frames.clone()
        bars = torch.tensor(SMPTE_75, dtype=torch.float32)
        edges = [round(i * 64 / 7) for i in range(8)]
        for i in range(7):
            frames[:, :, 0:12, edges[i]:edges[i + 1]] = bars[i].view(1, 3, 1, 1)
        return frames

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
