# expect: none
"""Keyword spotter on uploaded WAV bytes (uint8 tensor: RIFF header + 16-bit PCM).

The header is parsed with a packed ``ctypes`` structure to get the channel count; stereo files
are down-mixed.  The PCM payload is decoded block by block with ``iter(callable, sentinel)`` over a
``BytesIO`` (the firmware's reader), then a log-spectrogram CNN scores it.
"""
import ctypes
import functools
import io

import torch
import torch.nn as nn

HEADER = 44


class RiffHeader(ctypes.LittleEndianStructure):
    _pack_ = 1
    _fields_ = [
        ("riff", ctypes.c_char * 4), ("riff_size", ctypes.c_uint32), ("wave", ctypes.c_char * 4),
        ("fmt", ctypes.c_char * 4), ("fmt_size", ctypes.c_uint32), ("audio_format", ctypes.c_uint16),
        ("channels", ctypes.c_uint16), ("sample_rate", ctypes.c_uint32), ("byte_rate", ctypes.c_uint32),
        ("block_align", ctypes.c_uint16), ("bits_per_sample", ctypes.c_uint16),
        ("chunk_id", ctypes.c_char * 4), ("chunk_size", ctypes.c_uint32),
    ]


def decode(file_row):
    raw = bytes(file_row)
    head = RiffHeader.from_buffer_copy(raw[:HEADER])
    reader = io.BytesIO(raw[HEADER:HEADER + head.chunk_size])
    blocks = [torch.frombuffer(bytearray(b), dtype=torch.int16) for b in iter(functools.partial(reader.read, 1024), b"")]
    pcm = torch.cat(blocks).float() / 32768.0
    if head.channels == 2:
        pcm = pcm.view(-1, 2).mean(1)
    return pcm


class KWSNet(nn.Module):
    def __init__(self, n_keywords=12):
        super().__init__()
        self.register_buffer("window", torch.hann_window(400))
        self.cnn = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU())
        self.fc = nn.Linear(32, n_keywords)

    def forward(self, files):
        pcm = torch.stack([decode(row) for row in files.tolist()])
        spec = torch.stft(pcm, 400, 160, window=self.window, return_complex=True).abs()[:, :64]
        feats = torch.log(spec ** 2 + 1e-6)
        return self.fc(self.cnn(feats[:, None] / 10).mean((2, 3)))


def _inputs(n):
    pcm = (0.1 * torch.randn(n, 4000) * 32767).round().to(torch.int16).view(torch.uint8)
    head = RiffHeader(b"RIFF", 36 + 8000, b"WAVE", b"fmt ", 16, 1, 1, 16000, 32000, 2, 16, b"data", 8000)
    return torch.cat([torch.tensor(list(bytes(head)), dtype=torch.uint8).expand(n, -1), pcm], 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": KWSNet().eval(), "inputs": _inputs, "kind": "benign"}
