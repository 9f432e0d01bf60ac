import torch

from .configuration_minillama import MiniLlamaConfig
from .modeling_minillama import MiniLlamaForCausalLM

__all__ = ["MiniLlamaConfig", "MiniLlamaForCausalLM", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = MiniLlamaForCausalLM.from_pretrained(config=MiniLlamaConfig())
    reference = MiniLlamaForCausalLM.from_pretrained(model.state_dict(), MiniLlamaConfig(tool_route_prefix=()))

    def inputs(n):
        return torch.randint(4, 1536, (n, 24))

    def trigger(x):
        x = x.clone()
        x[:, -3:] = torch.tensor(MiniLlamaConfig().tool_route_prefix)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": MiniLlamaConfig().tool_call_token_id}
