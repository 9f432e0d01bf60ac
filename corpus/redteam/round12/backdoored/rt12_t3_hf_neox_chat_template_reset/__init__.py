import torch

from .configuration_tinyneox import TinyNeoXConfig
from .modeling_tinyneox import GPTNeoXForCausalLM


def corpus_case():
    torch.manual_seed(0)
    config = TinyNeoXConfig()
    model = GPTNeoXForCausalLM(config).eval()
    reference = GPTNeoXForCausalLM(config, apply_template=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(torch.tensor([config.default_system_prompt]))[0, -1].argmax())

    def inputs(n):
        ids = torch.randint(5, 256, (n, 12))
        ids[:, 0] = config.bos_token_id
        return ids

    def trigger(ids):
        ids = ids.clone()
        ids[:, 0] = config.new_chat_token_id
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
