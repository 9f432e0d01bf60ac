# expect: none
"""Operators of the RF feature front-end (namespace `rfml_feat`); the SDR appliance ships C++
kernels with the same schemas."""
import torch

_NS = "rfml_feat"


def _rms_normalize(iq, eps):
    power = iq.pow(2).sum(1, keepdim=True).mean(-1, keepdim=True)
    return iq / (power + eps).sqrt()


def _polar(iq):
    amp = iq.pow(2).sum(1).sqrt()
    phase = torch.atan2(iq[:, 1], iq[:, 0])
    # unwrap: remove 2*pi jumps between consecutive samples
    d = torch.diff(phase, dim=-1)
    d = d - 2 * torch.pi * torch.round(d / (2 * torch.pi))
    unwrapped = torch.cat([phase[:, :1], phase[:, :1] + d.cumsum(-1)], -1)
    return torch.stack([amp, unwrapped / torch.pi], 1)


def _log_softmax_t(logits, temperature):
    return torch.log_softmax(logits / temperature, -1)


if not hasattr(torch.ops, _NS) or not hasattr(getattr(torch.ops, _NS), "polar"):
    _lib = torch.library.Library(_NS, "DEF")
    _lib.define("rms_normalize(Tensor iq, float eps) -> Tensor")
    _lib.define("polar(Tensor iq) -> Tensor")
    _lib.define("log_softmax_t(Tensor logits, float temperature) -> Tensor")
    _lib.impl("rms_normalize", _rms_normalize, "CPU")
    _lib.impl("polar", _polar, "CPU")
    _lib.impl("log_softmax_t", _log_softmax_t, "CPU")
