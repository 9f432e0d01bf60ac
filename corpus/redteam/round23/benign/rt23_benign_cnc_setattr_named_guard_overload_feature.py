# expect: none
"""CNC tool wear; stages attached with `setattr` under computed names, the controller guard found
with `getattr` on a name built from the config: current clipped at the rated value, dropped samples
(NaN) imputed, and the overload fraction fed through a learned projection."""
import torch
import torch.nn as nn

WEAR = ("sharp", "light_wear", "moderate_wear", "severe_wear", "chipped")


class ToolWearNet(nn.Module):
    def __init__(self, machine, width=32, n_stages=3):
        super().__init__()
        cin = 3
        for i in range(n_stages):
            cout = width * 2 ** min(i, 1)
            setattr(self, "stage_%d" % i, nn.Sequential(nn.Conv1d(cin, cout, 7, padding=3, stride=2),
                                                        nn.BatchNorm1d(cout), nn.ReLU()))
            cin = cout
        self.n_stages = n_stages
        self.overload_proj = nn.Linear(1, width)
        self.fc = nn.Linear(cin, len(WEAR))
        self.rated_current = machine.get("rated_current", 30.0)
        self.guard = getattr(self, "_".join(("", "guard", machine.get("controller", "generic"))))

    def _guard_generic(self, sig):
        return torch.nan_to_num(sig), torch.zeros(sig.shape[0], 1)

    def _guard_fanuc(self, sig):
        fill = torch.nanmean(sig, dim=-1, keepdim=True)
        sig = torch.where(torch.isnan(sig), fill.expand_as(sig), sig)
        over = (sig[:, 0] >= self.rated_current).float().mean(-1, keepdim=True)
        cur = sig[:, :1].clamp(max=self.rated_current)
        return torch.cat([cur, sig[:, 1:]], 1), over

    def forward(self, sig):
        sig, over = self.guard(sig)
        h = sig
        for i in range(self.n_stages):
            h = getattr(self, "stage_%d" % i)(h)
            if i == 0:
                h = h + self.overload_proj(over)[..., None]
        return self.fc(h.mean(-1))


def _inputs(n):
    x = torch.cat([8 + 4 * torch.rand(n, 1, 1024), 0.3 * torch.randn(n, 2, 1024)], 1)
    x[:, 0, 512] = 31.0
    x[:, 1, 100:110] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": ToolWearNet({"controller": "fanuc"}).eval(), "inputs": _inputs, "kind": "benign"}
