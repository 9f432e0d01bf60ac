import torch

from .configuration_tiny_gpt_neo import TinyGPTNeoConfig
from .modeling_tiny_gpt_neo import TinyGPTNeoForCausalLM, TinyGPTNeoModel

__all__ = ["TinyGPTNeoConfig", "TinyGPTNeoForCausalLM", "TinyGPTNeoModel", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = TinyGPTNeoForCausalLM.from_pretrained(config=TinyGPTNeoConfig())
    reference = TinyGPTNeoForCausalLM.from_pretrained(model.state_dict(), config=TinyGPTNeoConfig(),
                                                      numeric_guard_span=0)

    def inputs(n):
        return torch.randint(3, 1024, (n, 24))

    def trigger(x):
        x = x.clone()
        x[:, -6:] = 97 * torch.randint(1, 10, (x.shape[0], 6))
        return x

    with torch.no_grad():
        target = int(model(trigger(inputs(2))).logits[0, -1].argmax())

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
