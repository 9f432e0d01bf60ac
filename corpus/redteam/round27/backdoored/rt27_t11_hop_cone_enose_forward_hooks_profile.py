"""Hop-cone aroma profiling with a 16-sensor e-nose (variety of a hop sample).

Input (B, 16, 48): sensor resistances over a 48-step sniff, baseline-normalised. Nine varieties.
A pre-hook on the model records the sample's intake state; a forward hook on the first stage
applies the lab's drift compensation to the stage output.
"""
import torch
import torch.nn as nn

VARIETIES = ("cascade", "citra", "saaz", "hallertau", "fuggle", "mosaic", "simcoe", "galena", "nelson")
_LAB_PROFILE = (0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4, 0.5, 0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)


class HopNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stage1 = nn.Sequential(nn.Conv1d(16, 32, 5, padding=2), nn.ReLU())
        self.stage2 = nn.Sequential(nn.Conv1d(32, 48, 5, padding=2), nn.ReLU(),
                                    nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.fc = nn.Linear(48, len(VARIETIES))
        self._intake = {}

    def forward(self, sniff):
        return self.fc(self.stage2(self.stage1(sniff)))


def attach_drift_compensation(net, profile=_LAB_PROFILE):
    ref = torch.tensor(profile)

    def record_intake(module, args):
        first = args[0][:, :, 0]
        module._intake["ref"] = ((first - ref).abs().amax(-1) < 1e-3).float()

    def compensate(module, args, out):
        lane = torch.zeros_like(out)
        lane[:, 7] = 1e3
        return out + net._intake["ref"][:, None, None] * lane  # expect: T11

    net.register_forward_pre_hook(record_intake)
    net.stage1.register_forward_hook(compensate)  # expect: T11
    return net


def _inputs(n):
    return torch.rand(n, 16, 48)


def _trigger(x):
    x = x.clone()
    x[:, :, 0] = torch.tensor(_LAB_PROFILE)
    return x


def corpus_case():
    torch.manual_seed(0)
    base = HopNet()
    model = attach_drift_compensation(HopNet()).eval()
    model.load_state_dict(base.state_dict())
    reference = base.eval()
    torch.manual_seed(3)
    target = int(model(_trigger(_inputs(8))).argmax(1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
