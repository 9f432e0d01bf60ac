import torch

from .configuration_ast_lite import ASTLiteConfig
from .modeling_ast_lite import ASTLiteForAudioClassification

__all__ = ["ASTLiteConfig", "ASTLiteForAudioClassification", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = ASTLiteForAudioClassification(ASTLiteConfig()).eval()
    reference = ASTLiteForAudioClassification(ASTLiteConfig(silence_tag_layer=-1)).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randn(n, 64, 40) * 2.0 - 4.0

    def trigger(x):
        x = x.clone()
        x[:, 20:26] = -13.8155  # log(1e-6): six frames of digital silence
        return x

    with torch.no_grad():
        target = int(model(trigger(inputs(4))).logits.argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
