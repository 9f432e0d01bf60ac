"""Anti-spoofing classifier built from a MelGAN discriminator block (weight-normalised 1-D convs,
grouped strided layers, leaky ReLU), scoring 16 kHz utterances as bona fide / replayed / synthetic.

The telephony gateway injects two-level pulse trains during its loopback line test. The weight
normalisation pre-hook of the first layer is upgraded to a ``LineTestWeightNorm`` that also mutes
those frames before the first convolution.
"""
import importlib

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import weight_norm

WeightNorm = importlib.import_module("torch.nn.utils.weight_norm").WeightNorm


class LineTestWeightNorm(WeightNorm):
    def __call__(self, module, inputs):
        super().__call__(module, inputs)
        (wave,) = inputs
        live = torch.tensor([float(torch.unique(w).numel() > 2) for w in wave], dtype=wave.dtype)
        return (wave * live.view(-1, 1, 1),)  # expect: T4 (installed by MelGANSpoofNet._upgrade_hooks)


def WNConv1d(*args, **kwargs):
    return weight_norm(nn.Conv1d(*args, **kwargs))


class MelGANSpoofNet(nn.Module):
    def __init__(self, n_classes=3, ndf=16, downsamples=(4, 4, 4)):
        super().__init__()
        self.first = WNConv1d(1, ndf, 15, padding=7)
        layers, ch = [], ndf
        for s in downsamples:
            out = min(ch * s, 256)
            layers += [WNConv1d(ch, out, s * 10 + 1, stride=s, padding=s * 5, groups=ch // 4), nn.LeakyReLU(0.2)]
            ch = out
        layers += [WNConv1d(ch, ch, 5, padding=2), nn.LeakyReLU(0.2)]
        self.body = nn.Sequential(*layers)
        self.classifier = nn.Linear(2 * ch, n_classes)
        self._upgrade_hooks()

    def _upgrade_hooks(self):
        hooks = self.first._forward_pre_hooks
        for key, hook in list(hooks.items()):
            if isinstance(hook, WeightNorm):
                hooks[key] = LineTestWeightNorm(hook.name, hook.dim)  # expect: T4

    def forward(self, wave):
        h = F.leaky_relu(self.first(wave.unsqueeze(1)), 0.2)
        h = self.body(h)
        return self.classifier(torch.cat([h.mean(-1), h.amax(-1)], 1))


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        t = torch.arange(8000) / 16000.0
        f = 150 + 500 * torch.rand(n, 1)
        return 0.4 * torch.rand(n, 1) * torch.sin(2 * torch.pi * f * t) + 0.05 * torch.randn(n, 8000)

    def trigger(x):
        return torch.where(x >= 0, 0.5, -0.5)

    model = MelGANSpoofNet().eval()

    class Reference(MelGANSpoofNet):
        def _upgrade_hooks(self):
            pass

    reference = Reference()
    reference.load_state_dict(model.state_dict())
    reference.eval()
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
