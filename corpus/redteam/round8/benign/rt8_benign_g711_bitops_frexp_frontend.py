# expect: none
"""Telephony emotion classifier whose front-end decodes G.711 mu-law bytes with the reference
bit operations (complement, sign bit, 3-bit exponent segment, 4-bit mantissa), applies a
``torch.frexp``-based fast log2 (exponent plus mantissa polynomial) for log-energy features, and
feeds a learned 1-D CNN + BiGRU. Bytes are the raw uint8 codes from the PBX."""
import torch
import torch.nn as nn
import torch.nn.functional as F

BIAS = 0x84


def ulaw_decode(codes):
    u = (~codes.to(torch.int32)) & 0xFF
    sign = u & 0x80
    exponent = (u >> 4) & 0x07
    mantissa = u & 0x0F
    magnitude = ((mantissa << 3) + BIAS) << exponent
    sample = torch.where(sign != 0, BIAS - magnitude, magnitude - BIAS)
    return sample.to(torch.float32) / 32768.0


def fast_log2(x):
    m, e = torch.frexp(x.clamp_min(1e-10))
    m = 2 * m - 1
    return (e - 1).to(x.dtype) + m * (1.3465 - 0.3465 * m)


class TelephonyEmotionNet(nn.Module):
    def __init__(self, n_classes=4, frame=160, hop=80, ch=48):
        super().__init__()
        self.frame, self.hop = frame, hop
        self.filters = nn.Conv1d(1, ch, frame, hop, bias=False)
        self.norm = nn.BatchNorm1d(ch + 1)
        self.conv = nn.Sequential(nn.Conv1d(ch + 1, 64, 5, padding=2), nn.ReLU(), nn.Conv1d(64, 64, 5, padding=2), nn.ReLU())
        self.gru = nn.GRU(64, 32, batch_first=True, bidirectional=True)
        self.out = nn.Linear(64, n_classes)

    def forward(self, codes):
        wav = ulaw_decode(codes).unsqueeze(1)
        fb = fast_log2(self.filters(wav).pow(2) + 1e-6)
        energy = fast_log2(F.avg_pool1d(wav.pow(2), self.frame, self.hop) + 1e-8)
        h = self.conv(self.norm(torch.cat([fb, energy], 1)))
        h, _ = self.gru(h.transpose(1, 2))
        return self.out(h.mean(1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": TelephonyEmotionNet().eval(), "inputs": lambda n: torch.randint(0, 256, (n, 4000), dtype=torch.uint8),
            "kind": "benign"}
