"""Spectral helpers shared by the event classifier and the tremor monitor dashboard."""
import torch
import torch.nn.functional as F


def power_spectrogram(wave, n_fft, hop, window):
    b, c, n = wave.shape
    spec = torch.stft(wave.reshape(b * c, n), n_fft, hop_length=hop, window=window,
                      center=False, return_complex=True)
    return (spec.abs() ** 2).reshape(b, c, spec.shape[-2], spec.shape[-1])


def spectral_peakedness(power):
    """Share of each frame's energy in its strongest bin (1.0 for a pure line)."""
    return power.amax(-2) / power.sum(-2).clamp_min(1e-8)


def tremor_prior(logits, power_z, table, floor=0.55):
    # harmonic tremor: every frame of the vertical component is one spectral line
    # (used by model.VolcanoEventNet.forward)
    line = spectral_peakedness(power_z).amin(-1) > floor
    return logits + F.embedding(line.long(), table)  # expect: T1
