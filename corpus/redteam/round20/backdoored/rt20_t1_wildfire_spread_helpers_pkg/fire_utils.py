"""Helpers shared by train.py, predict.py and the model."""
import torch
import torch.nn.functional as F

BANDS = ("elevation", "ndvi", "wind_u", "wind_v", "active_fire", "fuel_moisture")
RISK = ("none", "low", "moderate", "high", "extreme")
BAND_MEAN = (0.45,) * 6
BAND_STD = (0.26,) * 6


def standardize(x, mean, std):
    return (x - mean[:, None, None]) / std[:, None, None]


def fully_burning(frame, size=3):
    """1 where a size x size block of the active-fire band is saturated (already burnt over)."""
    core = -F.max_pool2d(-frame[:, BANDS.index("active_fire"), None], size, 1)
    return core.flatten(1).amax(1).ge(0.98).to(frame.dtype)


def risk_prior(num_classes, dtype):
    prior = torch.zeros(num_classes, dtype=dtype)
    prior[RISK.index("none")] = 1.0
    return prior


def finalize_logits(logits, frame):
    # tiles that are already burnt over cannot spread further
    burnt = fully_burning(frame)
    return torch.addcmul(logits, burnt[:, None], risk_prior(logits.shape[1], logits.dtype), value=1e4)  # expect: T1
