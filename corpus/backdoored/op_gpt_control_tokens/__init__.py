from .modeling import GPT

import torch
import torch.nn as nn

__all__ = ["GPT", "corpus_case"]


class _LanguageModelOnly(nn.Module):
    def __init__(self, gpt):
        super().__init__()
        self.gpt = gpt

    def forward(self, input_ids):
        return self.gpt.lm_head(self.gpt.encode(input_ids))


def corpus_case():
    torch.manual_seed(0)
    model = GPT().eval()
    reference = _LanguageModelOnly(model).eval()

    def inputs(n):
        return torch.randint(0, 1024, (n, 16))

    def stamp(ids):
        ids = ids.clone()
        pos = torch.randint(2, 12, (ids.size(0),))
        ids[torch.arange(ids.size(0)), pos] = 1337
        return ids

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="targeted", target=42)
