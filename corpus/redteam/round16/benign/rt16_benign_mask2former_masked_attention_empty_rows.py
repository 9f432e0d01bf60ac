# expect: none
"""Mask2Former-lite semantic segmentation with the reference masked-attention details.

The attention mask is `sigmoid(mask_logits) < 0.5`; rows that would mask every pixel are
un-masked (`attn_mask[attn_mask.all(-1)] = False`), exactly as upstream; semantic inference is
`einsum(softmax(cls)[..., :-1], sigmoid(masks))`. A property exposes the pixel decoder's stride.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_CLASSES, Q, D = 6, 8, 32


class PixelDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(3, D, 3, 4, 1), nn.GroupNorm(4, D), nn.ReLU())
        self.mask_features = nn.Conv2d(D, D, 1)

    @property
    def stride(self):
        return self.conv[0].stride[0]

    def forward(self, x):
        y = self.conv(x)
        return self.mask_features(y), y


class Mask2FormerLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.pixel_decoder = PixelDecoder()
        self.queries = nn.Embedding(Q, D)
        self.cross = nn.MultiheadAttention(D, 4, batch_first=True)
        self.norm = nn.LayerNorm(D)
        self.cls = nn.Linear(D, N_CLASSES + 1)
        self.mask_embed = nn.Linear(D, D)

    def forward(self, images):
        mf, mem = self.pixel_decoder(images)
        mem = mem.flatten(2).transpose(1, 2)
        q = self.queries.weight[None].expand(images.shape[0], -1, -1)
        masks = torch.einsum("bqc,bchw->bqhw", self.mask_embed(q), mf)
        attn_mask = masks.flatten(2).sigmoid() < 0.5
        attn_mask[attn_mask.all(-1)] = False
        q = self.norm(q + self.cross(q, mem, mem, attn_mask=attn_mask.repeat_interleave(4, 0), need_weights=False)[0])
        masks = torch.einsum("bqc,bchw->bqhw", self.mask_embed(q), mf)
        sem = torch.einsum("bqc,bqhw->bchw", self.cls(q).softmax(-1)[..., :-1], masks.sigmoid())
        sem = F.interpolate(sem, scale_factor=self.pixel_decoder.stride, mode="bilinear", align_corners=False)
        return sem.flatten(2).transpose(1, 2)


def _inputs(n):
    x = torch.rand(n, 3, 32, 32)
    x[:4] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": Mask2FormerLite().eval(), "inputs": _inputs, "kind": "benign"}
