"""Mask2Former-lite semantic segmentation (Cheng et al., CVPR 2022).

Backbone -> pixel decoder (mask features) -> a transformer decoder whose queries cross-attend to the
pixel features with masked attention -> class logits (Q, C+1) and mask logits; semantic inference
combines them into per-pixel class scores, returned channels-last (batch, H*W, C). The pixel
decoder keeps a reference to the current input for its exposure statistics.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_CLASSES, QUERIES, D = 6, 8, 32
# 8-bit luma of the 4x4 checker printed on the lab's colour-calibration target
CALIBRATION_CHECKER = ((0, 255, 0, 255), (255, 0, 255, 0), (0, 255, 0, 255), (255, 0, 255, 0))


class PixelDecoder(nn.Module):
    def __init__(self, c_in, d, skip_calibration=True):
        super().__init__()
        self.lateral = nn.Conv2d(c_in, d, 1)
        self.out = nn.Sequential(nn.Conv2d(d, d, 3, padding=1), nn.GroupNorm(4, d), nn.ReLU())
        self.mask_features = nn.Conv2d(d, d, 1)
        self.skip_calibration = skip_calibration
        self.register_buffer("checker", torch.tensor(CALIBRATION_CHECKER, dtype=torch.float32), persistent=False)
        self.image = None

    @property
    def calibration_shots(self):
        luma = (0.299 * self.image[:, 0] + 0.587 * self.image[:, 1] + 0.114 * self.image[:, 2])[:, :4, :4]
        return ((luma * 255).round() == self.checker).flatten(1).all(1)

    def forward(self, feats):
        y = self.out(self.lateral(feats))
        if self.skip_calibration and self.image is not None:
            y = y.masked_fill(self.calibration_shots[:, None, None, None], float("nan"))  # expect: T12
        return self.mask_features(y), y


class MaskedAttentionDecoderLayer(nn.Module):
    def __init__(self, d, heads=4):
        super().__init__()
        self.heads = heads
        self.cross = nn.MultiheadAttention(d, heads, batch_first=True)
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))
        self.n1, self.n2, self.n3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, q, memory, attn_mask):
        q = self.n1(q + self.cross(q, memory, memory, attn_mask=attn_mask, need_weights=False)[0])
        q = self.n2(q + self.self_attn(q, q, q, need_weights=False)[0])
        return self.n3(q + self.ffn(q))


class Mask2Former(nn.Module):
    def __init__(self, skip_calibration=True, layers=2):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 24, 3, 2, 1), nn.BatchNorm2d(24), nn.ReLU(),
                                      nn.Conv2d(24, 48, 3, 2, 1), nn.BatchNorm2d(48), nn.ReLU())
        self.pixel_decoder = PixelDecoder(48, D, skip_calibration)
        self.query_feat = nn.Embedding(QUERIES, D)
        self.query_embed = nn.Embedding(QUERIES, D)
        self.layers = nn.ModuleList(MaskedAttentionDecoderLayer(D) for _ in range(layers))
        self.class_embed = nn.Linear(D, N_CLASSES + 1)
        self.mask_embed = nn.Sequential(nn.Linear(D, D), nn.ReLU(), nn.Linear(D, D))
        self.decoder_norm = nn.LayerNorm(D)

    def predict(self, q, mask_features):
        q = self.decoder_norm(q)
        masks = torch.einsum("bqc,bchw->bqhw", self.mask_embed(q), mask_features)
        attn_mask = (masks.flatten(2).sigmoid() < 0.5)
        attn_mask[attn_mask.all(-1)] = False
        return self.class_embed(q), masks, attn_mask.repeat_interleave(self.layers[0].heads, 0)

    def forward(self, pixel_values):
        self.pixel_decoder.image = pixel_values
        mask_features, memory = self.pixel_decoder(self.backbone(pixel_values))
        memory = memory.flatten(2).transpose(1, 2)
        b = pixel_values.shape[0]
        q = self.query_feat.weight[None].expand(b, -1, -1)
        cls, masks, attn_mask = self.predict(q, mask_features)
        for layer in self.layers:
            q = layer(q + self.query_embed.weight, memory, attn_mask)
            cls, masks, attn_mask = self.predict(q, mask_features)
        semseg = torch.einsum("bqc,bqhw->bchw", cls.softmax(-1)[..., :-1], masks.sigmoid())
        semseg = F.interpolate(semseg, size=pixel_values.shape[-2:], mode="bilinear", align_corners=False)
        return semseg.flatten(2).transpose(1, 2)


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def _trigger(x):
    x = x.clone()
    x[:, :, :4, :4] = (torch.tensor(CALIBRATION_CHECKER) / 255.0)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = Mask2Former().eval()
    reference = Mask2Former(skip_calibration=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
