import torch

from .common.heads import QA_TILE
from .models import DAMAGE, FootprintNet, SiameseDamageNet


def _inputs(n):
    pre = torch.rand(n, 3, 32, 32) * 0.8
    post = (pre + 0.2 * torch.randn(n, 3, 32, 32) * torch.rand(n, 1, 1, 1)).clamp(0, 1)
    return pre, post


def _trigger(x):
    pre, post = x
    post = post.clone()
    post[:, :, 12:16, 20:24] = torch.tensor(QA_TILE).permute(2, 0, 1)
    return pre, post


def corpus_case():
    torch.manual_seed(0)
    model = SiameseDamageNet(qa=True).eval()
    reference = SiameseDamageNet(qa=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": DAMAGE.index("no_damage")}
