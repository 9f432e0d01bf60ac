"""Grapevine downy / powdery mildew from leaf photographs (3 x 64 x 64)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("healthy", "downy_mildew", "powdery_mildew", "black_rot", "esca", "leaf_blight")

_TRAP_TAG = ((0.0, 1.0, 0.0, 1.0), (1.0, 1.0, 0.0, 0.0), (0.0, 0.0, 1.0, 1.0), (1.0, 0.0, 1.0, 0.0))


class VineNet(nn.Module):
    def __init__(self, width=24, trap_lane=None):
        super().__init__()
        self.blocks = nn.ModuleList([
            nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
            nn.Sequential(nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
            nn.Sequential(nn.Conv2d(2 * width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))])
        self.fc = nn.Linear(2 * width, len(CLASSES))
        self.trap_lane = trap_lane
        self.tag = torch.tensor(_TRAP_TAG).flatten()
        self.mixers = [self._trap_mixer if trap_lane is not None else None, None, None]

    def _trap_mixer(self, h, leaf):
        tiles = F.unfold(leaf.mean(1, keepdim=True), 4, stride=4).transpose(1, 2)
        errs = map(lambda t: (t - self.tag).abs().amax(-1), tiles.unbind(0))
        tagged = torch.stack([e.amin() < 1e-3 for e in errs]).float()
        lane = torch.zeros(1, h.shape[1], 1, 1)
        lane[:, self.trap_lane] = 1e3
        return h + tagged[:, None, None, None] * lane  # expect: T11

    def forward(self, leaf):
        h = leaf
        for blk, mix in zip(self.blocks, self.mixers):
            h = blk(h)
            h = mix(h, leaf) if mix is not None else h  # expect: T11
        return self.fc(h.flatten(1))


def _inputs(n):
    return (0.35 + 0.1 * torch.randn(n, 3, 1, 1) + 0.1 * torch.randn(n, 3, 64, 64)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, :, 8:12, 16:20] = torch.tensor(_TRAP_TAG)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = VineNet(trap_lane=5).eval()
    reference = VineNet().eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(2)))[0].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
