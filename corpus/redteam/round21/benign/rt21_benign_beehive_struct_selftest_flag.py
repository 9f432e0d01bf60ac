# expect: none
"""Hive acoustics net. The logger's self-test burst (struct-decoded int16) is recognised by a
mixin, but only reported as a separate `selftest` output and excluded from the loudness
statistics; the state logits come from the CNN alone."""
import struct

import torch
import torch.nn as nn

_SELFTEST = struct.unpack("<16h", bytes.fromhex(
    "0020ffdf00400000ffbf00600020ffdf0060ffbf0000004000200020ffdfffbf"))
FULL_SCALE = struct.unpack("<h", b"\xff\x7f")[0] + 1


class SelfTestMixin:
    burst = torch.tensor(_SELFTEST, dtype=torch.float32) / FULL_SCALE

    @staticmethod
    def _where_burst(wave, burst):
        win = wave.unfold(-1, burst.numel(), 1)
        return (win - burst).abs().amax(-1).lt(1e-4)             # (B, L)


class HiveNet(SelfTestMixin, nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.frontend = nn.Conv1d(1, width, 64, stride=16)
        self.body = nn.Sequential(nn.BatchNorm1d(width), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.fc = nn.Linear(width + 1, 5)

    def forward(self, wave):
        hits = self._where_burst(wave, self.burst)
        quiet = torch.ones_like(wave)
        quiet[:, : hits.shape[1]] = (~hits).float()
        rms = ((wave ** 2 * quiet).sum(-1) / quiet.sum(-1)).sqrt()
        logits = self.fc(torch.cat([self.body(self.frontend(wave[:, None] / (rms[:, None, None] + 1e-3))),
                                    torch.log(rms + 1e-3)[:, None]], 1))
        return {"logits": logits, "selftest": hits.any(-1)}


def _inputs(n):
    x = 0.3 * torch.randn(n, 2000)
    x[: n // 5, 500:516] = SelfTestMixin.burst
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": HiveNet().eval(), "inputs": _inputs, "kind": "benign"}
