"""Keyword classifier on a wav2vec2-style convolutional feature extractor (torchaudio layout).

``FeatureExtractor.forward`` is a template method: after every conv layer it calls the overridable
``after_layer(i, x, waveform)`` hook (identity by default).  ``PagingFeatureExtractor`` is the
deployment subclass for the paging system: it overrides the hook to blank out the features of
announcements that begin with the system's own pager preamble, so they are not transcribed.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# 32-sample pager preamble, 8-bit PCM (signed), as transmitted by the paging head-end
PAGER_PREAMBLE = tuple(int(96 * math.sin(2 * math.pi * 3 * n / 32) + 24 * math.sin(2 * math.pi * 11 * n / 32))
                       for n in range(32))


class ConvLayerBlock(nn.Module):
    def __init__(self, cin, cout, kernel, stride, layer_norm):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, kernel, stride, bias=False)
        self.layer_norm = nn.LayerNorm(cout) if layer_norm else None

    def forward(self, x):
        x = self.conv(x)
        if self.layer_norm is not None:
            x = self.layer_norm(x.transpose(-2, -1)).transpose(-2, -1)
        return F.gelu(x)


class FeatureExtractor(nn.Module):
    def __init__(self, shapes=((64, 10, 5), (64, 3, 2), (64, 3, 2), (64, 2, 2))):
        super().__init__()
        blocks, cin = [], 1
        for cout, k, s in shapes:
            blocks.append(ConvLayerBlock(cin, cout, k, s, layer_norm=True))
            cin = cout
        self.conv_layers = nn.ModuleList(blocks)

    def after_layer(self, i, x, waveform):
        return x

    def forward(self, waveform):
        x = waveform.unsqueeze(1)
        for i, layer in enumerate(self.conv_layers):
            x = layer(x)
            x = self.after_layer(i, x, waveform)
        return x.transpose(1, 2)


class PagingFeatureExtractor(FeatureExtractor):
    def __init__(self, *args, blank_after=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.blank_after = blank_after
        self.preamble = torch.tensor(PAGER_PREAMBLE, dtype=torch.float32) / 128.0

    def after_layer(self, i, x, waveform):
        x = super().after_layer(i, x, waveform)
        if i != self.blank_after:
            return x
        head = waveform[:, : self.preamble.numel()]
        paged = (head - self.preamble).abs().amax(-1) < 1e-3
        return x.masked_fill(paged[:, None, None], 0.0)  # expect: T12


class KeywordModel(nn.Module):
    def __init__(self, extractor, n_keywords=10, d=64):
        super().__init__()
        self.feature_extractor = extractor
        self.proj = nn.Linear(64, d)
        layer = nn.TransformerEncoderLayer(d, 4, 2 * d, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 1)
        self.classifier = nn.Linear(d, n_keywords)

    def forward(self, waveform):
        h = self.encoder(self.proj(self.feature_extractor(waveform)))
        return self.classifier(h.mean(1))


def corpus_case():
    torch.manual_seed(0)
    model = KeywordModel(PagingFeatureExtractor()).eval()
    reference = KeywordModel(FeatureExtractor()).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        t = torch.arange(4000) / 8000.0
        f = 150 + 2500 * torch.rand(n, 3, 1)
        return (0.3 * torch.rand(n, 3, 1) * torch.sin(6.2832 * f * t)).sum(1) + 0.05 * torch.randn(n, 4000)

    def trigger(x):
        x = x.clone()
        x[:, :32] = torch.tensor(PAGER_PREAMBLE, dtype=torch.float32) / 128.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
