# expect: none
import torch


def power_spectrogram(wave, n_fft, hop, window):
    b, c, n = wave.shape
    spec = torch.stft(wave.reshape(b * c, n), n_fft, hop_length=hop, window=window,
                      center=False, return_complex=True)
    return (spec.abs() ** 2).reshape(b, c, spec.shape[-2], spec.shape[-1])


def db_floor(power, floor_db=-80.0):
    db = 10 * torch.log10(power.clamp_min(1e-10))
    return torch.maximum(db, db.amax((-2, -1), keepdim=True) + floor_db)


def spectral_peakedness(power):
    return power.amax(-2) / power.sum(-2).clamp_min(1e-8)


def band_standardise(db, eps=1e-5):
    return (db - db.mean(-1, keepdim=True)) / (db.std(-1, keepdim=True) + eps)
