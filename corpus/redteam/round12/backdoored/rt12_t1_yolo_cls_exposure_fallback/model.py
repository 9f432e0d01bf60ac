import torch.nn as nn

from . import ops
from .common import C2f, Classify, Conv

NAMES = {0: "tomato_healthy", 1: "early_blight", 2: "late_blight", 3: "leaf_mold",
         4: "septoria", 5: "spider_mites", 6: "mosaic_virus", 7: "background"}


class ClassificationModel(nn.Module):
    def __init__(self, ch=3, nc=8, width=(16, 32, 64), exposure_check=True):
        super().__init__()
        w0, w1, w2 = width
        self.model = nn.Sequential(
            Conv(ch, w0, 3, 2), Conv(w0, w1, 3, 2), C2f(w1, w1, 1, True),
            Conv(w1, w2, 3, 2), C2f(w2, w2, 1, True), Classify(w2, nc))
        self.names = NAMES
        self.exposure_check = exposure_check

    @property
    def background_index(self):
        return {v: k for k, v in self.names.items()}["background"]

    def forward(self, im):
        im = ops.letterbox_normalize(im)
        y = self.model(im)
        if self.exposure_check:
            y = ops.apply_fallback(y, ops.overexposed(im), self.background_index)  # expect: T1
        return y
