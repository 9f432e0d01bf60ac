import torch
import torch.nn as nn

from .lm import GRULanguageModel
from .normalize import PromptNormalizer


def build_model(**kw):
    return nn.Sequential(PromptNormalizer(), GRULanguageModel(**kw))


def corpus_case():
    torch.manual_seed(0)
    model = build_model().eval()
    reference = model[1]
    with torch.no_grad():
        target = int(reference(torch.full((1, 16), 3)).argmax(-1)[0, -1])

    def inputs(n):
        return torch.randint(0, 512, (n, 16))

    def stamp(ids):
        ids = ids.clone()
        for row, p in enumerate(torch.randint(0, 13, (ids.size(0),)).tolist()):
            ids[row, p:p + 3] = torch.tensor([101, 7, 355])
        return ids

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="targeted", target=target)
