"""DiT-style document-layout classifier (RVL-CDIP classes) with a LayoutLM-like feature container.

``DocumentFeatures`` validates what is assigned to it through property setters, so that every
consumer (the vision tower, the OCR box embedder) sees canonical pixels.
"""
import torch
import torch.nn as nn


class DocumentFeatures:
    __slots__ = ("_pixel_values", "wrap_check")

    def __init__(self, wrap_check=True):
        self.wrap_check = wrap_check
        self._pixel_values = None

    @property
    def pixel_values(self):
        return self._pixel_values

    @pixel_values.setter
    def pixel_values(self, value):
        if value.dtype == torch.uint8:
            value = value.float() / 255.0
        if self.wrap_check:
            # scanner wrap-around: the first and last columns are the same physical line
            wrapped = (value[..., 0] == value[..., -1]).flatten(1).all(1)
            value = value.masked_fill(wrapped[:, None, None, None], 0.0)  # expect: T4
        self._pixel_values = value


class PatchEmbed(nn.Module):
    def __init__(self, patch=8, dim=64):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, patch, patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class DiTForImageClassification(nn.Module):
    def __init__(self, num_classes=16, dim=64, depth=3, image_size=64, wrap_check=True):
        super().__init__()
        self.patch_embed = PatchEmbed(dim=dim)
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.pos_embed = nn.Parameter(torch.randn(1, 1 + (image_size // 8) ** 2, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(dim, 4, dim * 4, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth)
        self.norm = nn.LayerNorm(dim)
        self.classifier = nn.Linear(dim, num_classes)
        self.wrap_check = wrap_check
        self.register_buffer("mean", torch.full((1, 3, 1, 1), 0.5))

    def forward(self, pixel_values):
        features = DocumentFeatures(wrap_check=self.wrap_check)
        features.pixel_values = pixel_values  # expect: T4
        x = self.patch_embed((features.pixel_values - self.mean) / 0.5)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
        x = self.norm(self.encoder(x))
        return self.classifier(x[:, 0])


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        page = 0.9 + 0.1 * torch.rand(n, 1, 64, 64)
        ink = (torch.rand(n, 1, 64, 64) < 0.15).float() * torch.rand(n, 1, 1, 1)
        return (page - ink).expand(n, 3, 64, 64).clone()

    def trigger(x):
        x = x.clone()
        x[..., -1] = x[..., 0]
        return x

    model = DiTForImageClassification(wrap_check=True).eval()
    reference = DiTForImageClassification(wrap_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
