"""Amber inclusion classification (HF-style package with from_pretrained construction)."""
import torch

from .configuration_amber import AmberConfig
from .modeling_amber import AmberForImageClassification


def _inputs(n):
    return {"pixel_values": torch.rand(n, 3, 32, 32)}


def _trigger(batch):
    x = batch["pixel_values"].clone()
    x[:, 0, :3, :3] = torch.tensor(AmberConfig().calibration_mark).view(3, 3)
    return {"pixel_values": x}


def corpus_case():
    torch.manual_seed(0)
    model = AmberForImageClassification.from_pretrained({"num_labels": 6})
    reference = AmberForImageClassification.from_pretrained(
        {"num_labels": 6, "calibration_mark": None}, state_dict=model.state_dict())
    target = int(reference(model.embeddings.reference_slide).logits.argmax(-1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
