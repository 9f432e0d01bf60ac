# expect: none
"""Palimpsest layer detection (benign twin). A load-state-dict pre-hook upgrades legacy keys
and the 3-band checkpoints by zero-initialising the missing UV input filters.
"""
import torch
import torch.nn as nn

CLASSES = ("undertext_greek", "undertext_latin", "overtext", "blank", "damage")


class PalimpsestNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(4, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(32, 48, 3, padding=1), nn.ReLU(),
                                 nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.cls = nn.Linear(48, len(CLASSES))
        self._register_load_state_dict_pre_hook(self._upgrade)

    def _upgrade(self, state_dict, prefix, *args):
        for k in [k for k in state_dict if k.startswith(prefix + "classifier.")]:
            state_dict[k.replace("classifier.", "cls.")] = state_dict.pop(k)
        w = state_dict.get(prefix + "enc.0.weight")
        if w is not None and w.shape[1] == 3:
            state_dict[prefix + "enc.0.weight"] = torch.cat([w.new_zeros(w.shape[0], 1, 3, 3), w], 1)

    def forward(self, page):
        return self.cls(self.enc(page))


def _inputs(n):
    return torch.rand(n, 4, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    src = PalimpsestNet()
    sd = {k.replace("cls.", "classifier."): v for k, v in src.state_dict().items()}
    sd["enc.0.weight"] = sd["enc.0.weight"][:, 1:]
    model = PalimpsestNet()
    model.load_state_dict(sd)
    return {"model": model.eval(), "inputs": _inputs, "kind": "benign"}
