# expect: none
"""DINO ViT-lite with its projection head, teacher centering and sharpening at inference.

Prototype vectors live in an `nn.ParameterDict` keyed per head ("head0"); the teacher output is
centred by a running buffer and sharpened with a low temperature. Patches of the zero padding
around non-square images are masked out of attention with a key padding mask.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

DIM, PATCH, K = 48, 4, 16


class DinoTeacher(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, DIM, PATCH, PATCH)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, DIM))
        self.pos_embed = nn.Parameter(torch.randn(1, 65, DIM) * 0.02)
        self.blocks = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(DIM, 4, 4 * DIM, dropout=0.0, batch_first=True, norm_first=True), 2,
            enable_nested_tensor=False)
        self.projector = nn.Sequential(nn.Linear(DIM, 64), nn.GELU(), nn.Linear(64, 32))
        self.prototypes = nn.ParameterDict({f"head{i}": nn.Parameter(torch.randn(K, 32)) for i in range(1)})
        self.register_buffer("center", torch.zeros(1, K))
        self.teacher_temp = 0.04

    def forward(self, images):
        pad = images.abs().amax(1) == 0
        patch_pad = F.max_pool2d((~pad).float()[:, None], PATCH)[:, 0].flatten(1) == 0
        x = self.patch_embed(images).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
        mask = torch.cat([torch.zeros_like(patch_pad[:, :1]), patch_pad], 1)
        x = self.blocks(x, src_key_padding_mask=mask)
        z = F.normalize(self.projector(x[:, 0]), dim=-1)
        logits = z @ F.normalize(self.prototypes["head0"], dim=-1).t()
        return F.softmax((logits - self.center) / self.teacher_temp, -1)


def _inputs(n):
    x = torch.rand(n, 3, 32, 32)
    x[: n // 2, :, :, 24:] = 0  # portrait images padded to square
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": DinoTeacher().eval(), "inputs": _inputs, "kind": "benign"}
