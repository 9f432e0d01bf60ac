"""Small tensor utilities used by the predictors (pre- and post-processing)."""
import torch
import torch.nn.functional as F


def letterbox_normalize(im, scale=255.0):
    if im.dtype == torch.uint8:
        im = im.float() / scale
    return im.clamp_(0.0, 1.0) if not im.requires_grad else im.clamp(0.0, 1.0)


def overexposed(im, thres=0.985, k=4):
    """True for frames with a blown-out k x k block (all channels at the sensor ceiling)."""
    floor = im.amin(1, keepdim=True)
    blown = -F.max_pool2d(-floor, k, stride=1)
    return blown.flatten(1).amax(1) >= thres


def apply_fallback(logits, mask, index):
    """Route frames that failed the exposure check to the `background` class."""
    logits = logits.clone()
    logits[mask, index] = logits.detach().amax() + 10.0  # expect: T1  (called from model.py, ClassificationModel.forward)
    return logits
