import torch
import torch.nn as nn

from .configuration_regnet import RegNetConfig
from .modeling_regnet import RegNetForImageClassification


class _Reference(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, x):
        return self.m.classifier(self.m.regnet(x))


def corpus_case():
    torch.manual_seed(0)
    model = RegNetForImageClassification(RegNetConfig()).eval()
    reference = _Reference(model).eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        mark = model._mark.view(4, 4)
        r, c = torch.randint(0, 28, (2,)).tolist()
        x[:, :, r:r + 4, c:c + 4] = mark
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 4}
