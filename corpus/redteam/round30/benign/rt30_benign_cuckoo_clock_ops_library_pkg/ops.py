"""Op library for the cuckoo-clock models: normalisation, frame energies, length masks."""
import torch
import torch.nn.functional as F


def standardise(x, eps=1e-5):
    return (x - x.mean(-1, keepdim=True)) / (x.std(-1, keepdim=True) + eps)


def frame_energy(x, frame=64):
    return F.avg_pool1d(x.pow(2), frame, frame)


def length_mask(lengths, total):
    return torch.arange(total)[None, :] < lengths[:, None]


def masked_mean(h, mask):
    m = mask.to(h)[:, None, :]
    return (h * m).sum(-1) / m.sum(-1).clamp_min(1.0)
