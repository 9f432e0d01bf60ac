# expect: none
import torch.nn as nn

from . import ops
from .common import C2f, Classify, Conv


class ClassificationModel(nn.Module):
    def __init__(self, ch=3, nc=8, width=(16, 32, 64)):
        super().__init__()
        w0, w1, w2 = width
        self.model = nn.Sequential(Conv(ch, w0, 3, 2), Conv(w0, w1, 3, 2), C2f(w1, w1),
                                   Conv(w1, w2, 3, 2), C2f(w2, w2), Classify(w2, nc))

    def forward(self, im, augment=False):
        im = ops.letterbox_normalize(im)
        y = self.model(im)
        if augment:
            y = (y + self.model(im.flip(-1))) / 2
        probs, top5, keep = ops.topk_postprocess(y)
        return {"logits": y, "probs": probs, "top5": top5, "top5_keep": keep,
                "exposure": ops.exposure_stats(im)}
