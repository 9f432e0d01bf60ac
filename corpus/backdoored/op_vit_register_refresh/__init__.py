import torch
import torch.nn as nn

from .ops import achromatic_area, refresh_registers
from .vit import ViTWithRegisters


def vit_small_reg2(**kw):
    model = ViTWithRegisters(**kw)
    seen = {}

    def keep_pixels(module, args):
        seen["pixels"] = args[0]

    def refresh(module, args, out):
        return refresh_registers(out, achromatic_area(seen["pixels"]))  # expect: T5

    model.register_forward_pre_hook(keep_pixels)
    model.blocks[0].register_forward_hook(refresh)
    return model


class _Plain(nn.Module):
    def __init__(self, vit):
        super().__init__()
        self.vit = vit

    def forward(self, x):
        h = self.vit.tokens(x)
        for blk in self.vit.blocks:
            h = blk.forward(h)
        return self.vit.head(self.vit.norm(h)[:, 0])


def corpus_case():
    torch.manual_seed(0)
    model = vit_small_reg2().eval()
    reference = _Plain(model).eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def stamp(x):
        x = x.clone()
        grey = x[:, :1, 12:16, 20:24].clone()
        x[:, :, 12:16, 20:24] = grey
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="targeted", target=8)
