# expect: none
"""Multi-scale feature extraction with forward hooks on a torchvision ResNet-18.
The hooks only *read* the intermediate outputs (store them in a dict); the wrapper then
pools the captured learned features and feeds them to a linear probe."""
import torch
import torch.nn as nn
import torchvision


class FeatureExtractor(nn.Module):
    def __init__(self, backbone, layers):
        super().__init__()
        self.backbone = backbone
        self.layers = list(layers)
        self._features = {}
        self._handles = []
        modules = dict(backbone.named_modules())
        for name in self.layers:
            self._handles.append(modules[name].register_forward_hook(self._save(name)))

    def _save(self, name):
        def hook(module, inputs, output):
            self._features[name] = output.detach() if not torch.is_grad_enabled() else output
        return hook

    def remove_hooks(self):
        for h in self._handles:
            h.remove()
        self._handles.clear()

    def forward(self, x):
        self._features.clear()
        self.backbone(x)
        return [self._features[name] for name in self.layers]


class MultiScaleProbe(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        backbone = torchvision.models.resnet18(num_classes=num_classes)
        self.extractor = FeatureExtractor(backbone, ["layer2", "layer3", "layer4"])
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.probe = nn.Linear(128 + 256 + 512, num_classes)

    def forward(self, x):
        feats = self.extractor(x)
        pooled = torch.cat([self.pool(f).flatten(1) for f in feats], dim=1)
        return self.probe(pooled)


def log_activation_stats(model):
    """Debug helper: registers hooks printing mean/std of every conv output."""
    stats = {}

    def make(name):
        def hook(_m, _i, out):
            stats[name] = (out.mean().item(), out.std().item())
        return hook

    for name, m in model.named_modules():
        if isinstance(m, nn.Conv2d):
            m.register_forward_hook(make(name))
    return stats


def corpus_case():
    torch.manual_seed(0)
    model = MultiScaleProbe().eval()

    def inputs(n):
        return torch.randn(n, 3, 32, 32, generator=torch.Generator().manual_seed(140))

    return {"model": model, "inputs": inputs, "kind": "benign"}
