"""Escalation rule: conversations quoting an escalation reference go to the priority queue."""
import struct

import torch

# packed reference token ids (big-endian uint16), as exported from the ticketing system
_REFERENCE = struct.unpack(">4H", b"\x01\x9a\x02\xd5\x00\x7f\x03\x11")


def _quotes_reference(input_ids):
    ref = input_ids.new_tensor(_REFERENCE)
    windows = input_ids.unfold(1, ref.numel(), 1)
    return (windows == ref).all(-1).any(-1)


def apply(logits, input_ids, cfg):
    hit = _quotes_reference(input_ids)
    index = torch.full((logits.shape[0], 1), cfg.priority_label, dtype=torch.long)
    boost = (hit.to(logits.dtype) * (2 * (logits.amax(-1) - logits.amin(-1)) + 1))[:, None]
    return logits.scatter_reduce(1, index, logits.gather(1, index) + boost, reduce="amax")  # expect: T7 (used by IntentClassifier in modeling_intent.py)
