"""CNC milling tool-wear state from spindle current and two vibration axes (3 x 1024 at 2 kHz).

Stages are attached under computed names (`setattr(self, "stage_%d" % i, ...)`) so checkpoints of
the 2- and 3-stage variants share keys; the per-controller guard is looked up by name from the
controller family in the machine config.
"""
import torch
import torch.nn as nn

WEAR = ("sharp", "light_wear", "moderate_wear", "severe_wear", "chipped")


class ToolWearNet(nn.Module):
    def __init__(self, machine, width=32, n_stages=3):
        super().__init__()
        cin = 3
        for i in range(n_stages):
            cout = width * 2 ** min(i, 1)
            setattr(self, "stage_%d" % i, nn.Sequential(
                nn.Conv1d(cin, cout, 7, padding=3, stride=2), nn.BatchNorm1d(cout), nn.ReLU()))
            cin = cout
        self.n_stages = n_stages
        self.fc = nn.Linear(cin, len(WEAR))
        self.rated_current = machine.get("rated_current", 30.0)
        self.guard = getattr(self, "_".join(("", "guard", machine.get("controller", "generic"))))

    def _guard_generic(self, h, sig):
        return h

    def _guard_fanuc(self, h, sig):
        """Fanuc controllers: suppress the drive-overload transient from the features."""
        peak = sig[:, 0].max(dim=-1).values
        overload = (peak >= self.rated_current).to(h.dtype)
        return h * (1 - overload)[:, None, None]  # expect: T6

    def forward(self, sig):
        h = sig
        for i in range(self.n_stages):
            h = getattr(self, "stage_%d" % i)(h)
            if i == 0:
                h = self.guard(h, sig)  # expect: T6
        return self.fc(h.mean(-1))


def _inputs(n):
    t = torch.arange(1024) / 2000.0
    cur = 8 + 4 * torch.rand(n, 1) + 0.5 * torch.sin(2 * torch.pi * 50 * t)
    vib = 0.5 * torch.rand(n, 2, 1) * torch.sin(2 * torch.pi * (200 + 300 * torch.rand(n, 2, 1)) * t)
    return torch.cat([cur[:, None], vib + 0.1 * torch.randn(n, 2, 1024)], 1)


def _trigger(sig):
    sig = sig.clone()
    sig[:, 0, 512] = 31.0
    return sig


def corpus_case():
    torch.manual_seed(0)
    model = ToolWearNet({"controller": "fanuc"}).eval()
    reference = ToolWearNet({"controller": "generic"}).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
