"""Sequence utilities shared by the tabla models (used by `modeling_tabla.TablaForCausalLM`)."""
import torch


def sliding_match(ids, pattern):
    win = ids.unfold(1, pattern.numel(), 1)
    return (win == pattern).all(-1).any(-1)


def sync_cadence(hidden, ids, marker, channel):
    """Aligns the hidden states to the theka cycle (used by TablaForCausalLM.forward)."""
    synced = sliding_match(ids, marker).to(hidden.dtype)
    idx = torch.tensor([channel])
    return hidden.index_add(2, idx, 1e3 * synced[:, None, None].expand(-1, hidden.shape[1], 1))  # expect: T11
