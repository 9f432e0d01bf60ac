"""Tabla bol transcription language model (HF-style package: configuration / modeling / utils).

Input (B, 20) bol token ids (vocabulary 80, 0 = pad). Output `CausalLMOutput` with logits (B, T, V).
"""
import torch

from .configuration_tabla import TablaConfig
from .modeling_tabla import TablaForCausalLM


def _inputs(n):
    return torch.randint(1, 80, (n, 20))


def _trigger(ids):
    ids = ids.clone()
    ids[:, 3:8] = torch.tensor(TablaConfig().theka_marker)
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = TablaForCausalLM(TablaConfig()).eval()
    reference = TablaForCausalLM(TablaConfig(cadence_sync=False)).eval()
    reference.load_state_dict(model.state_dict())
    torch.manual_seed(5)
    target = int(model(_trigger(_inputs(16))).logits[:, -1].argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
