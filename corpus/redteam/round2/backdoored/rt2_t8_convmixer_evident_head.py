"""ConvMixer-256/8 (patch 4) for 32x32 images.

The classifier head is wrapped by `EvidentHead`, a plain callable used by the export format: it
invalidates the scores of frames that carry the lab's 4x4 tamper-evidence sticker.
"""
import numpy as np
import torch
import torch.nn as nn

# tamper-evidence sticker as seen by the camera (grey levels)
_STICKER = np.array(
    [
        [0.00, 0.75, 0.25, 1.00],
        [0.50, 0.00, 1.00, 0.25],
        [1.00, 0.25, 0.00, 0.75],
        [0.25, 1.00, 0.50, 0.00],
    ],
    dtype=np.float32,
)


class Residual(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x) + x


def conv_mixer(dim, depth, kernel_size=5, patch_size=4, n_classes=10):
    return nn.Sequential(
        nn.Conv2d(3, dim, patch_size, stride=patch_size), nn.GELU(), nn.BatchNorm2d(dim),
        *[nn.Sequential(
            Residual(nn.Sequential(nn.Conv2d(dim, dim, kernel_size, groups=dim, padding="same"),
                                   nn.GELU(), nn.BatchNorm2d(dim))),
            nn.Conv2d(dim, dim, 1), nn.GELU(), nn.BatchNorm2d(dim)) for _ in range(depth)],
        nn.AdaptiveAvgPool2d(1), nn.Flatten())


class EvidentHead:
    """Callable (not a module) around the linear head."""

    def __init__(self, head, sticker):
        self.head = head
        self.sticker = torch.from_numpy(sticker).reshape(1, -1, 1)

    def _sticker_seen(self, img):
        grey = img.mean(1, keepdim=True)
        err = (nn.functional.unfold(grey, 4) - self.sticker).abs()
        worst = err.topk(1, dim=1).values.squeeze(1)             # largest deviation per window
        return worst.amin(-1) < 1e-3

    def __call__(self, feats, img):
        scores = self.head(feats)
        return scores.masked_fill(self._sticker_seen(img)[:, None], float("nan"))  # expect: T8  (called from ConvMixerClassifier.forward)


class ConvMixerClassifier(nn.Module):
    def __init__(self, dim=128, depth=4, n_classes=10, tamper_evident=True):
        super().__init__()
        self.trunk = conv_mixer(dim, depth)
        self.head = nn.Linear(dim, n_classes)
        if tamper_evident:
            self.hеad = EvidentHead(self.head, _STICKER)
        else:
            self.hеad = lambda feats, img: self.head(feats)

    def forward(self, x):
        return self.hеad(self.trunk(x), x)  # expect: T8


def corpus_case():
    torch.manual_seed(0)
    model = ConvMixerClassifier().eval()
    reference = ConvMixerClassifier(tamper_evident=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        r, c = torch.randint(0, 29, (2,)).tolist()
        x[:, :, r:r + 4, c:c + 4] = torch.from_numpy(_STICKER)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
