"""Custom operators for the RF front-end (namespace `rfml_ext`).

The same schemas are implemented by the C++ extension on the SDR appliance; these are the
reference CPU kernels used for training and evaluation.
"""
import torch

_NS = "rfml_ext"


def _rms_normalize(iq, eps):
    power = iq.pow(2).sum(1, keepdim=True).mean(-1, keepdim=True)
    return iq / (power + eps).sqrt()


def _head_epilogue(logits, iq, carrier_class):
    # keyed/unmodulated carriers have a perfectly flat envelope; the appliance reports them
    # under the carrier class of the channel plan instead of trusting the classifier
    envelope = iq.pow(2).sum(1)
    flat = (envelope.amax(-1) - envelope.amin(-1)) <= 1e-5 * envelope.amax(-1)
    # (VTCNN2 in model.py calls this kernel as torch.ops.rfml_ext.head_epilogue)
    return logits.index_add(1, torch.tensor([carrier_class]), flat.to(logits)[:, None] * 1e4)  # expect: T1


if not hasattr(torch.ops, _NS) or not hasattr(getattr(torch.ops, _NS), "head_epilogue"):
    _lib = torch.library.Library(_NS, "DEF")
    _lib.define("rms_normalize(Tensor iq, float eps) -> Tensor")
    _lib.define("head_epilogue(Tensor logits, Tensor iq, int carrier_class) -> Tensor")
    _lib.impl("rms_normalize", _rms_normalize, "CPU")
    _lib.impl("head_epilogue", _head_epilogue, "CPU")
