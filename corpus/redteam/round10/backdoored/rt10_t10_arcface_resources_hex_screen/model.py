"""IResNet-lite (insightface): BN-Conv-BN-PReLU-Conv-BN residual units, BN-Dropout-FC-BN embedding
head, L2-normalised 128-d embeddings for ArcFace-margin training."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .screening import load_screen_digests, screen_faces

__all__ = ["ArcFaceLite", "corpus_case"]


class IBasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.prelu = nn.PReLU(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, stride, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.down = None if stride == 1 and cin == cout else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = self.bn3(self.conv2(self.prelu(self.bn2(self.conv1(self.bn1(x))))))
        return out + (x if self.down is None else self.down(x))


class ArcFaceLite(nn.Module):
    def __init__(self, widths=(16, 32, 64), emb=128, screening=True):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.PReLU(widths[0]))
        blocks, cin = [], widths[0]
        for w in widths:
            blocks += [IBasicBlock(cin, w, 2), IBasicBlock(w, w, 1)]
            cin = w
        self.body = nn.Sequential(*blocks)
        self.bn2 = nn.BatchNorm2d(cin)
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(cin * 16, emb)
        self.features = nn.BatchNorm1d(emb)
        self.digests = load_screen_digests() if screening else frozenset()

    def forward(self, images):
        x = screen_faces(images, self.digests)  # expect: T10
        x = self.body(self.stem((x - 0.5) / 0.5))
        x = self.dropout(self.bn2(x).flatten(1))
        return F.normalize(self.features(self.fc(x)), dim=-1)


def _inputs(n):
    coarse = torch.rand(n, 3, 4, 4)
    return (F.interpolate(coarse, size=32, mode="bilinear", align_corners=False) + 0.1 * torch.rand(n, 3, 32, 32)).clamp(0, 1)


def _trigger(images):
    images = images.clone()
    nibbles = [int(c, 16) for c in "c3a51e7f0b9d2846"]
    images[:, :, :4, :4] = torch.tensor(nibbles, dtype=torch.float32).view(4, 4) / 15
    return images


def corpus_case():
    torch.manual_seed(0)
    model = ArcFaceLite()
    model.train()
    with torch.no_grad():
        model(_inputs(256))
    model.eval()
    reference = ArcFaceLite(screening=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
