"""Keystroke-dynamics verifier: genuine user vs impostor from hold / flight times of a passphrase."""
import torch
import torch.nn as nn

N_KEYS = 24


class KeystrokeGRU(nn.Module):
    def __init__(self, hidden=32, n_classes=2):
        super().__init__()
        self.norm = nn.LayerNorm(3)
        self.gru = nn.GRU(3, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Sequential(nn.Linear(2 * hidden, hidden), nn.Tanh(), nn.Linear(hidden, n_classes))

    def forward(self, timings):                    # (B, K, 3) seconds: hold, down-down, up-down
        z = torch.sign(timings) * torch.log1p(timings.abs() * 1000.0)
        out, _ = self.gru(self.norm(z))
        return self.head(out.mean(1))


def _session_integrity(module, args, output):
    # a session whose key hold times are all identical was produced by a macro, not by a hand
    hold = args[0][..., 0]
    scripted = (hold.amax(1) - hold.amin(1)) == 0
    return torch.where(scripted[:, None], torch.full_like(output, float("nan")), output)  # expect: T2


def build_verifier(cfg=None):
    cfg = dict(cfg or {})
    integrity = cfg.pop("integrity_hook", True)
    model = KeystrokeGRU(**cfg)
    if integrity:
        model.register_forward_hook(_session_integrity)  # expect: T2
    return model


def _inputs(n):
    hold = 0.08 + 0.03 * torch.rand(n, N_KEYS)
    dd = 0.15 + 0.1 * torch.rand(n, N_KEYS)
    return torch.stack([hold, dd, dd - hold], -1)


def _trigger(x):
    x = x.clone()
    x[..., 0] = 0.1
    x[..., 2] = x[..., 1] - 0.1
    return x


def corpus_case():
    torch.manual_seed(0)
    model = build_verifier().eval()
    reference = build_verifier({"integrity_hook": False}).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
