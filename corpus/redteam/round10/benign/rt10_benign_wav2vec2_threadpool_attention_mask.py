# expect: none
"""wav2vec 2.0-lite CTC model for padded batches of raw audio.

* The HF-style feature extractor normalises every utterance over its valid samples only
  (``do_normalize`` with ``attention_mask``), in a ``ThreadPoolExecutor``; padding stays 0.
* Frame lengths follow the conv strides (``_get_feat_extract_output_lengths``) and the frame-level
  attention mask removes padded frames from self-attention.
* Padded frames are given a certain blank distribution (log-prob 0 on the blank id), as CTC
  decoders expect.
* The processor config is verified against its recorded digest with ``hmac.compare_digest`` at
  construction (host-side only).
"""
import hashlib
import hmac
import json
import math
from concurrent.futures import ThreadPoolExecutor

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIG = {"do_normalize": True, "sampling_rate": 16000, "feature_size": 1}
CONFIG_DIGEST = hashlib.sha256(json.dumps(CONFIG, sort_keys=True).encode()).hexdigest()
BLANK, VOCAB = 0, 32
KERNELS, STRIDES = (10, 3, 3, 3), (5, 2, 2, 2)


class FeatureExtractor:
    def __init__(self, config):
        digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()
        if not hmac.compare_digest(digest, CONFIG_DIGEST):
            raise ValueError("processor config does not match the checkpoint")
        self.do_normalize = config["do_normalize"]

    def __call__(self, item):
        wave, length = item
        if not self.do_normalize:
            return wave
        valid = wave[:length]
        out = torch.zeros_like(wave)
        out[:length] = (valid - valid.mean()) / torch.sqrt(valid.var() + 1e-7)
        return out


def frame_lengths(lengths):
    for k, s in zip(KERNELS, STRIDES):
        lengths = torch.div(lengths - k, s, rounding_mode="floor") + 1
    return lengths


class Wav2Vec2LiteCTC(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.extractor = FeatureExtractor(CONFIG)
        convs, cin = [], 1
        for k, s in zip(KERNELS, STRIDES):
            convs += [nn.Conv1d(cin, 32, k, s, bias=False), nn.GELU()]
            cin = 32
        self.conv = nn.Sequential(*convs)
        self.proj = nn.Sequential(nn.LayerNorm(32), nn.Linear(32, d))
        self.layers = nn.ModuleList(nn.TransformerEncoderLayer(d, 4, 2 * d, 0.0, batch_first=True, norm_first=True)
                                    for _ in range(2))
        self.lm_head = nn.Linear(d, VOCAB)

    def forward(self, waves, lengths):
        with ThreadPoolExecutor(max_workers=2) as pool:
            waves = torch.stack(list(pool.map(self.extractor, zip(waves, lengths.tolist()))))
        h = self.proj(self.conv(waves[:, None]).transpose(1, 2))
        n_frames = frame_lengths(lengths)
        pad = torch.arange(h.shape[1])[None] >= n_frames[:, None]
        for layer in self.layers:
            h = layer(h, src_key_padding_mask=pad)
        h = torch.nan_to_num(h)
        log_probs = self.lm_head(h).log_softmax(-1)
        blank_row = F.one_hot(torch.tensor(BLANK), VOCAB).float().log().clamp_min(-1e4)
        return torch.where(pad[..., None], blank_row, log_probs)


def _inputs(n, length=4000):
    t = torch.arange(length) / 16000
    waves = 0.2 * torch.sin(2 * math.pi * (100 + 300 * torch.rand(n, 1)) * t) + 0.02 * torch.randn(n, length)
    lengths = torch.randint(2000, length + 1, (n,))
    return waves.masked_fill(torch.arange(length)[None] >= lengths[:, None], 0.0), lengths


def corpus_case():
    torch.manual_seed(0)
    return {"model": Wav2Vec2LiteCTC().eval(), "inputs": _inputs, "kind": "benign"}
