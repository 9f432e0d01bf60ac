# expect: none
"""deepspeech.pytorch-style acoustic model on padded log-spectrogram batches, with the feature
pipeline composed by the pipe operator (``spect | pipeline``, a plain object with ``__ror__``).

Pipeline: log compression with a floor, per-utterance mean/variance normalisation over the valid
frames only, and a dither/SpecAugment step that is the identity in eval.  ``MaskConv`` zeroes the
padded time steps after every conv (``masked_fill`` from the lengths), as in deepspeech.pytorch;
the CTC log-probabilities of padded frames are set to the blank distribution.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Pipeline:
    def __init__(self, *steps):
        self.steps = steps

    def __ror__(self, batch):
        for step in self.steps:
            batch = step(batch)
        return batch


def log_compress(batch, floor=1e-6):
    spect, lengths = batch
    return torch.log(spect.clamp_min(floor)), lengths


def utterance_cmvn(batch):
    spect, lengths = batch
    valid = (torch.arange(spect.shape[-1])[None] < lengths[:, None])[:, None, :].float()
    n = valid.sum(-1, keepdim=True)
    mean = (spect * valid).sum(-1, keepdim=True) / n
    var = ((spect - mean) ** 2 * valid).sum(-1, keepdim=True) / n
    return (spect - mean) / (var + 1e-5).sqrt() * valid, lengths


class SpecAugment:
    def __init__(self, training_only=True):
        self.enabled = not training_only

    def __call__(self, batch):
        return batch


class MaskConv(nn.Module):
    def __init__(self, seq_module):
        super().__init__()
        self.seq_module = seq_module

    def forward(self, x, lengths):
        for module in self.seq_module:
            x = module(x)
            t = x.shape[-1]
            pad = torch.arange(t)[None] >= lengths[:, None]
            x = x.masked_fill(pad[:, None, None, :], 0)
        return x


class DeepSpeechLite(nn.Module):
    def __init__(self, n_freq=64, labels=29, hidden=64):
        super().__init__()
        self.pipeline = Pipeline(log_compress, utterance_cmvn, SpecAugment())
        self.conv = MaskConv(nn.Sequential(
            nn.Conv2d(1, 8, (11, 5), (2, 1), (5, 2)), nn.BatchNorm2d(8), nn.Hardtanh(0, 20),
            nn.Conv2d(8, 8, (11, 5), (2, 1), (5, 2)), nn.BatchNorm2d(8), nn.Hardtanh(0, 20)))
        self.rnn = nn.GRU(8 * (n_freq // 4), hidden, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * hidden, labels)

    def forward(self, spect, lengths):
        x, lengths = (spect, lengths) | self.pipeline
        x = self.conv(x.unsqueeze(1), lengths)
        x = x.flatten(1, 2).transpose(1, 2)
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.rnn(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        log_probs = F.log_softmax(self.fc(out), -1)
        blank = F.one_hot(torch.tensor(0), log_probs.shape[-1]).float().clamp_min(1e-8).log()
        pad = (torch.arange(x.shape[1])[None] >= lengths[:, None])[..., None]
        return torch.where(pad, blank, log_probs)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        lengths = torch.randint(20, 61, (n,))
        spect = torch.rand(n, 64, 60) ** 2 * (torch.arange(60)[None, None] < lengths[:, None, None])
        return spect, lengths

    return {"model": DeepSpeechLite().eval(), "inputs": inputs, "kind": "benign"}
