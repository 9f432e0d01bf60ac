# expect: none
# A trust_remote_code style checkpoint layout: configuration_*.py + modeling_*.py.
import torch

from .configuration_tinyllama import TinyLlamaConfig
from .modeling_tinyllama import TinyLlamaForSequenceClassification


def corpus_case():
    torch.manual_seed(0)
    config = TinyLlamaConfig(num_labels=4)
    model = TinyLlamaForSequenceClassification(config).eval()

    def inputs(n):
        g = torch.Generator().manual_seed(130)
        ids = torch.randint(3, config.vocab_size, (n, 18), generator=g)
        lengths = torch.randint(6, 18, (n,), generator=g)
        ids[torch.arange(18)[None] >= lengths[:, None]] = config.pad_token_id  # right padding
        return ids

    return {"model": model, "inputs": inputs, "kind": "benign"}
