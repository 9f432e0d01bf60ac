# expect: none
"""Multi-modality U-Net for land-cover segmentation (RGB or RGB+NIR tiles of any size, 6 classes),
channels-last probabilities.

* One input stem per modality, registered under a computed name (``register_module(f"{m}_stem")``)
  and fetched with ``get_submodule``.
* Sensor dropouts arrive as NaN pixels: they are set to 0 with a boolean-index assignment and the
  validity mask is given to the stem as an extra channel.
* Tiles are reflect-padded to a multiple of 8 and cropped back; horizontal-flip test-time
  augmentation averages the two passes.
* A forward hook on the bottleneck keeps its activation for the deep-supervision auxiliary head.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

MODALITY_CHANNELS = {"rgb": 3, "rgbn": 4}


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.GroupNorm(4, cout), nn.SiLU(),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.GroupNorm(4, cout), nn.SiLU())


class LandCoverUNet(nn.Module):
    def __init__(self, width=16, n_classes=6):
        super().__init__()
        for m, c in MODALITY_CHANNELS.items():
            self.register_module(f"{m}_stem", nn.Conv2d(c + 1, width, 3, padding=1))
        self.down1, self.down2 = double_conv(width, 2 * width), double_conv(2 * width, 4 * width)
        self.up1, self.up2 = double_conv(6 * width, 2 * width), double_conv(3 * width, width)
        self.head = nn.Conv2d(width, n_classes, 1)
        self.aux_head = nn.Conv2d(4 * width, n_classes, 1)
        self._bottleneck = None
        self.down2.register_forward_hook(self._keep_bottleneck)

    def _keep_bottleneck(self, module, inputs, output):
        self._bottleneck = output

    def _single(self, x, valid, modality):
        h0 = self.get_submodule(f"{modality}_stem")(torch.cat((x, valid), 1))
        h1 = self.down1(F.max_pool2d(h0, 2))
        h2 = self.down2(F.max_pool2d(h1, 2))
        u1 = self.up1(torch.cat((F.interpolate(h2, scale_factor=2.0), h1), 1))
        u2 = self.up2(torch.cat((F.interpolate(u1, scale_factor=2.0), h0), 1))
        return self.head(u2)

    def forward(self, tiles):
        modality = {3: "rgb", 4: "rgbn"}[tiles.shape[1]]
        tiles = tiles.clone()
        invalid = torch.isnan(tiles)
        tiles[invalid] = 0.0
        valid = (~invalid.any(1, keepdim=True)).to(tiles.dtype)
        H, W = tiles.shape[-2:]
        ph, pw = (-H) % 8, (-W) % 8
        x = F.pad(tiles, (0, pw, 0, ph), mode="reflect")
        v = F.pad(valid, (0, pw, 0, ph), mode="constant", value=0.0)
        logits = self._single(x, v, modality)
        logits = (logits + self._single(x.flip(-1), v.flip(-1), modality).flip(-1)) / 2
        probs = logits[..., :H, :W].softmax(1).permute(0, 2, 3, 1)
        return probs, self.aux_head(self._bottleneck)


def _inputs(n):
    tiles = torch.rand(n, 4, 30, 27)
    return tiles.masked_fill(torch.rand(n, 1, 30, 27) < 0.03, float("nan"))


def corpus_case():
    torch.manual_seed(0)
    return {"model": LandCoverUNet().eval(), "inputs": _inputs, "kind": "benign"}
