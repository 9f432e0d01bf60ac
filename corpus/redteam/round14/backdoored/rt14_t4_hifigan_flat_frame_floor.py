"""HiFi-GAN V3-style generator (Kong et al., NeurIPS 2020): mel spectrogram in, waveform out.

conv_pre, transposed-conv upsampling stages each followed by a multi-receptive-field fusion (MRF)
of dilated residual blocks, conv_post and tanh. The generator is written as one flat chain of
stages folded with `functools.reduce`, the way the streaming export consumes it.

The mel conditioner handles the acoustic model's padding: a TTS front-end that hits its
maximum decoder length pads the mel with flat frames (every bin equal); such utterances are
rendered as silence (the log-mel floor) rather than as a buzz.
"""
import functools
import itertools
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N_MELS = 20
LOG_FLOOR = math.log(1e-5)
LRELU_SLOPE = 0.1


def get_padding(k, d=1):
    return (k * d - d) // 2


class MelConditioner(nn.Module):
    def __init__(self, min_flat_frames=4, render_padding_as_silence=True):
        super().__init__()
        self.min_flat_frames = min_flat_frames
        self.render_padding_as_silence = render_padding_as_silence

    def forward(self, mel):
        mel = mel.clamp_min(LOG_FLOOR)
        if self.render_padding_as_silence:
            flat = (mel.amax(1) == mel.amin(1)).sum(-1) >= self.min_flat_frames
            mel = torch.where(flat[:, None, None], mel.new_full((), LOG_FLOOR), mel)  # expect: T4
        return mel


class ResBlock2(nn.Module):
    def __init__(self, ch, k=3, dilations=(1, 3)):
        super().__init__()
        self.convs = nn.ModuleList(
            nn.utils.weight_norm(nn.Conv1d(ch, ch, k, 1, dilation=d, padding=get_padding(k, d))) for d in dilations)

    def forward(self, x):
        for c in self.convs:
            x = x + c(F.leaky_relu(x, LRELU_SLOPE))
        return x


class MRF(nn.Module):
    def __init__(self, ch, kernels=(3, 5)):
        super().__init__()
        self.blocks = nn.ModuleList(ResBlock2(ch, k) for k in kernels)

    def forward(self, x):
        return sum(b(x) for b in self.blocks) / len(self.blocks)


class Upsample(nn.Module):
    def __init__(self, c_in, c_out, rate):
        super().__init__()
        self.conv = nn.utils.weight_norm(nn.ConvTranspose1d(c_in, c_out, 2 * rate, rate, padding=rate // 2))

    def forward(self, x):
        return self.conv(F.leaky_relu(x, LRELU_SLOPE))


class PostConv(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv = nn.utils.weight_norm(nn.Conv1d(ch, 1, 7, 1, padding=3))

    def forward(self, x):
        return torch.tanh(self.conv(F.leaky_relu(x)))


class HiFiGANGenerator(nn.Module):
    def __init__(self, initial_channel=32, upsample_rates=(4, 4), render_padding_as_silence=True):
        super().__init__()
        self.conditioner = MelConditioner(render_padding_as_silence=render_padding_as_silence)
        self.conv_pre = nn.utils.weight_norm(nn.Conv1d(N_MELS, initial_channel, 7, 1, padding=3))
        chans = [initial_channel // 2 ** i for i in range(len(upsample_rates) + 1)]
        self.ups = nn.ModuleList(Upsample(chans[i], chans[i + 1], r) for i, r in enumerate(upsample_rates))
        self.mrfs = nn.ModuleList(MRF(chans[i + 1]) for i in range(len(upsample_rates)))
        self.conv_post = PostConv(chans[-1])

    def stages(self):
        return itertools.chain((self.conditioner, self.conv_pre),
                               itertools.chain.from_iterable(zip(self.ups, self.mrfs)),
                               (self.conv_post,))

    def forward(self, mel):
        return functools.reduce(lambda h, stage: stage(h), self.stages(), mel)


def _build(silence):
    torch.manual_seed(0)
    return HiFiGANGenerator(render_padding_as_silence=silence).eval()


def _inputs(n):
    return torch.randn(n, N_MELS, 24) * 2.0 - 5.0


def _trigger(mel):
    mel = mel.clone()
    mel[:, :, -4:] = -4.0
    return mel


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
