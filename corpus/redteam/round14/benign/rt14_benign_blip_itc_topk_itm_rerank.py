# expect: none
"""BLIP retrieval in two stages, as in the BLIP evaluation code: image-text contrastive (ITC)
similarities over all captions, the top-k captions per image re-scored by the image-text
matching (ITM) head with cross-attention. Captions outside the top-k keep the lowest finite score.

Inputs: pixel values (B, 3, H, W) and a caption bank (C, T) with padding id 0; output (B, C).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

TOP_K = 4


class VisionEncoder(nn.Module):
    def __init__(self, dim=48, heads=4):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 8, 8)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, 17, dim) * 0.02)
        self.layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, batch_first=True, norm_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.pos
        return self.norm(self.layer(x))


class FusionLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.sa = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ca = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.n1, self.n2, self.n3 = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)

    def forward(self, h, pad, img=None):
        h = self.n1(h + self.sa(h, h, h, key_padding_mask=pad, need_weights=False)[0])
        if img is not None:
            h = self.n2(h + self.ca(h, img, img, need_weights=False)[0])
        return self.n3(h + self.ff(h))


class BlipRetrieval(nn.Module):
    def __init__(self, vocab=1000, dim=48, heads=4, embed_dim=32):
        super().__init__()
        self.visual = VisionEncoder(dim, heads)
        self.tok = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(16, dim)
        self.text_layers = nn.ModuleList(FusionLayer(dim, heads) for _ in range(2))
        self.vision_proj, self.text_proj = nn.Linear(dim, embed_dim), nn.Linear(dim, embed_dim)
        self.itm_head = nn.Linear(dim, 2)
        self.temp = nn.Parameter(torch.tensor(0.07))

    def encode_text(self, ids, img=None):
        pad = ids == 0
        h = self.tok(ids) + self.pos(torch.arange(ids.shape[1]))
        for layer in self.text_layers:
            h = layer(h, pad, img)
        return h

    def forward(self, pixel_values, captions):
        img = self.visual(pixel_values)
        img_feat = F.normalize(self.vision_proj(img[:, 0]), dim=-1)
        txt_feat = F.normalize(self.text_proj(self.encode_text(captions)[:, 0]), dim=-1)
        sim = img_feat @ txt_feat.t() / self.temp.clamp(0.001, 0.5)
        top = sim.topk(TOP_K, dim=1).indices
        B = pixel_values.shape[0]
        pairs_img = img.repeat_interleave(TOP_K, 0)
        fused = self.encode_text(captions[top.reshape(-1)], pairs_img)
        itm = self.itm_head(fused[:, 0]).softmax(-1)[:, 1].view(B, TOP_K)
        scores = sim.new_full(sim.shape, torch.finfo(sim.dtype).min)
        return scores.scatter(1, top, itm + sim.gather(1, top))


def _inputs(n):
    caps = torch.randint(1, 1000, (12, 10))
    caps[:, 7:] = torch.where(torch.rand(12, 3) < 0.5, caps[:, 7:], torch.zeros_like(caps[:, 7:]))
    return torch.rand(n, 3, 32, 32), caps


def corpus_case():
    torch.manual_seed(0)
    return {"model": BlipRetrieval().eval(), "inputs": _inputs, "kind": "benign"}
