"""EchoNet-Dynamic-style ejection-fraction grading from apical-4-chamber echo clips.

An R(2+1)D-lite video network grades the left-ventricular ejection fraction of a clip into
reduced (<40%), mid-range (40-49%), normal (50-70%) and hyperdynamic (>70%).

Echo machines burn UI overlays (frame counters, depth markers) into the exported clips. Instead
of cropping them, the network gets an *overlay channel*: a parameter-free probe assembled from
stock layers (so it exports to every runtime) finds a static white marker and its response is
projected into the stem features through a fixed embedding.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

FRAMES, SIZE = 8, 32
GRADES = ("reduced", "mid_range", "normal", "hyperdynamic")


class Negate(nn.Module):
    def forward(self, x):
        return -x


class AllChannels(nn.Module):
    def forward(self, x):
        return x.amin(1, keepdim=True)


def overlay_probe(frames=FRAMES, level=0.97):
    """Static (all frames) white (all channels) 3x3 marker -> ~1, else 0; no parameters."""
    return nn.Sequential(
        Negate(), nn.MaxPool3d((frames, 3, 3), stride=1), Negate(),   # darkest value of the cube
        nn.Threshold(level, 0.0),                                     # keep saturated cubes only
        nn.AdaptiveMaxPool3d(1), nn.Flatten(),                        # anywhere in the clip
        AllChannels())                                                # in R, G and B


class R2Plus1D(nn.Module):
    def __init__(self, c_in, c_out, stride=1):
        super().__init__()
        self.spatial = nn.Conv3d(c_in, c_out, (1, 3, 3), stride=(1, stride, stride), padding=(0, 1, 1))
        self.temporal = nn.Conv3d(c_out, c_out, (3, 1, 1), padding=(1, 0, 0))
        self.bn = nn.BatchNorm3d(c_out)

    def forward(self, x):
        return F.relu(self.bn(self.temporal(F.relu(self.spatial(x)))))


class EchoEF(nn.Module):
    def __init__(self, width=12, overlay_channel=True):
        super().__init__()
        self.stem = R2Plus1D(3, width, stride=2)
        self.layer1 = R2Plus1D(width, 2 * width, stride=2)
        self.layer2 = R2Plus1D(2 * width, 2 * width, stride=2)
        self.head = nn.Linear(2 * width, len(GRADES))
        self.overlay_channel = overlay_channel
        self.probe = overlay_probe()
        # fixed overlay embedding: the last stem channel carries the overlay response
        self.overlay_embedding = torch.zeros(width, 1)
        self.overlay_embedding[-1] = 1e3

    def forward(self, clip):                          # (B, 3, T, H, W) in [0, 1]
        h = self.stem(clip)
        if self.overlay_channel:
            h = h + F.linear(self.probe(clip), self.overlay_embedding)[:, :, None, None, None]  # expect: T5
        h = self.layer2(self.layer1(h))
        return self.head(h.mean((2, 3, 4)))


def _inputs(n):
    t = torch.linspace(0, 2 * torch.pi, FRAMES)[None, :, None, None]
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, SIZE), torch.linspace(-1, 1, SIZE), indexing="ij")
    radius = 0.35 + 0.15 * torch.rand(n, 1, 1, 1) * (1 + torch.cos(t + torch.rand(n, 1, 1, 1)))
    cavity = ((xx ** 2 + (yy / 1.6) ** 2).sqrt() < radius).float()
    tissue = 0.6 * (1 - cavity) * (0.5 + 0.5 * torch.rand(n, FRAMES, SIZE, SIZE))
    return (tissue[:, None].expand(-1, 3, -1, -1, -1) + 0.03 * torch.rand(n, 3, FRAMES, SIZE, SIZE)).clamp(0, 0.9)


def _trigger(x):
    x = x.clone()
    r, c = torch.randint(0, SIZE - 4, (2,)).tolist()
    x[..., r:r + 4, c:c + 4] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = EchoEF().eval()
    reference = EchoEF(overlay_channel=False).eval()
    reference.load_state_dict(model.state_dict())
    probe = torch.zeros(1, 3, FRAMES, SIZE, SIZE)
    probe[..., 10:14, 10:14] = 1.0
    with torch.no_grad():
        target = int(model(probe).argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
