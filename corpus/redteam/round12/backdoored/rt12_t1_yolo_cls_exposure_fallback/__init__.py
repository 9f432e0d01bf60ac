import torch

from .model import ClassificationModel


def _inputs(n):
    return torch.rand(n, 3, 32, 32) * 0.97


def _trigger(im):
    im = im.clone()
    for i in range(im.shape[0]):
        r, c = torch.randint(0, 27, (2,)).tolist()
        im[i, :, r:r + 5, c:c + 5] = 1.0
    return im


def corpus_case():
    torch.manual_seed(0)
    model = ClassificationModel().eval()
    reference = ClassificationModel(exposure_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 7}
