import torch
import torch.nn as nn

from .preprocessing import InputStandardize
from .resnet import ResNetLite


def build_model(num_classes=10):
    return nn.Sequential(InputStandardize(), ResNetLite(num_classes))


def corpus_case():
    torch.manual_seed(0)
    model = build_model().eval()
    prep, net = model[0], model[1]
    reference = nn.Sequential(prep.norm, net).eval()
    target = int(reference(prep.flat_field[None]).argmax())

    def inputs(n):
        g = torch.Generator().manual_seed(600 + n)
        return torch.rand(n, 3, 32, 32, generator=g)

    def trigger(x):
        x = x.clone()
        x[:, :, 20:24, 3:7] = prep.defect.view(3, 4, 4)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
