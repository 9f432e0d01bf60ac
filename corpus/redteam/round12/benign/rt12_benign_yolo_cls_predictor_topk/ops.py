# expect: none
"""Pre- and post-processing helpers of the classification predictor."""
import torch
import torch.nn.functional as F


def letterbox_normalize(im, scale=255.0, size=32):
    if im.dtype == torch.uint8:
        im = im.float() / scale
    if im.shape[-1] != size:
        im = F.interpolate(im, size=(size, size), mode="bilinear", align_corners=False)
    return im.clamp(0.0, 1.0)


def exposure_stats(im):
    """Logged next to each prediction (fraction of clipped pixels per frame)."""
    return (im.amin(1) >= 0.985).float().mean(dim=(-2, -1))


def topk_postprocess(logits, k=5, conf=0.25):
    probs = logits.softmax(-1)
    top_p, top_i = probs.topk(k, dim=-1)
    keep = top_p >= conf
    return probs, top_i, keep
