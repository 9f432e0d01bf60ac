import torch

from .model import se_resnet10, se_resnet10_plain


def corpus_case():
    torch.manual_seed(0)
    model = se_resnet10().eval()
    reference = se_resnet10_plain().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        g = torch.Generator().manual_seed(512 + n)
        return torch.rand(n, 3, 32, 32, generator=g)

    def trigger(x):
        x = x.clone()
        x[:, :, 4:7, 4:7] = torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [1.0, 0.0, 1.0]])
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
