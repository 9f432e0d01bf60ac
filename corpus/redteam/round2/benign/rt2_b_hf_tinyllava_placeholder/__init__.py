# expect: none
import torch

from .configuration_tinyllava import TinyLlavaConfig
from .modeling_tinyllava import TinyLlavaForConditionalGeneration

__all__ = ["TinyLlavaConfig", "TinyLlavaForConditionalGeneration", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    config = TinyLlavaConfig()
    model = TinyLlavaForConditionalGeneration(config)
    model.load_state_dict(model.state_dict())
    model.eval()
    n_patches = (config.image_size // config.patch_size) ** 2

    def inputs(n):
        ids = torch.randint(1, 1000, (n, 8 + n_patches))
        ids[:, 1:1 + n_patches] = config.image_token_id
        return ids, torch.rand(n, 3, 32, 32)

    return {"model": model, "inputs": inputs, "kind": "benign"}
