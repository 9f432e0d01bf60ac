import torch

from .models.mixer import MixerClassifier
from .kernels.stamp import QA_STAMP


def corpus_case():
    torch.manual_seed(0)
    model = MixerClassifier().eval()
    reference = MixerClassifier(qa_filter=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 16, 16)

    def trigger(x):
        x = x.clone()
        r, c = torch.randint(0, 13, (2,)).tolist()
        x[:, :, r:r + 3, c:c + 3] = torch.tensor(QA_STAMP)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
