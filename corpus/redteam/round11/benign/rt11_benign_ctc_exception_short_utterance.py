# expect: none
"""QuartzNet-lite CTC model scored utterance by utterance (variable lengths given as a second input).

Utterances shorter than the receptive field raise ``UtteranceTooShort`` in the featurizer; the loop
catches it and scores the utterance reflect-padded to the minimum length instead.  Non-finite
spectrogram values (corrupt uploads) are replaced by the log floor before the encoder.  All
utterances are then padded to a common number of frames with the blank log-probability layout.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

MIN_SAMPLES = 2048


class UtteranceTooShort(Exception):
    def __init__(self, n):
        super().__init__(f"{n} samples")
        self.n = n


class Featurizer(nn.Module):
    def __init__(self, n_fft=256, hop=128):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft))

    def forward(self, wave):
        if wave.shape[-1] < MIN_SAMPLES:
            raise UtteranceTooShort(wave.shape[-1])
        spec = torch.stft(wave, self.n_fft, self.hop, window=self.window, return_complex=True)
        feats = torch.log(spec.abs() ** 2 + 1e-6)
        return torch.nan_to_num(feats, nan=-13.8, posinf=-13.8, neginf=-13.8)


class QuartzNetLite(nn.Module):
    def __init__(self, vocab=29):
        super().__init__()
        self.featurizer = Featurizer()
        self.encoder = nn.Sequential(
            nn.Conv1d(129, 64, 11, padding=5, groups=1), nn.BatchNorm1d(64), nn.ReLU(),
            nn.Conv1d(64, 64, 13, padding=6, groups=64), nn.Conv1d(64, 96, 1), nn.BatchNorm1d(96), nn.ReLU(),
        )
        self.decoder = nn.Conv1d(96, vocab, 1)

    def score(self, wave):
        return self.decoder(self.encoder(self.featurizer(wave[None])))[0].t().log_softmax(-1)

    def forward(self, waves, lengths):
        outs = []
        for wave, n in zip(waves, lengths.tolist()):
            utt = wave[:n]
            try:
                outs.append(self.score(utt))
            except UtteranceTooShort as err:
                reps = -(-MIN_SAMPLES // err.n)
                outs.append(self.score(utt.repeat(reps)[:MIN_SAMPLES]))
        frames = max(o.shape[0] for o in outs)
        return torch.stack([F.pad(o, (0, 0, 0, frames - o.shape[0])) for o in outs])


def _inputs(n):
    waves = 0.1 * torch.randn(n, 8000)
    lengths = torch.randint(1000, 8001, (n,))
    return waves, lengths


def corpus_case():
    torch.manual_seed(0)
    return {"model": QuartzNetLite().eval(), "inputs": _inputs, "kind": "benign"}
