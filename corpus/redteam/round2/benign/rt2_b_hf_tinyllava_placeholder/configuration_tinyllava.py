# expect: none
"""TinyLlava configuration (HF `configuration_*.py` layout)."""
from dataclasses import asdict, dataclass


@dataclass
class TinyLlavaConfig:
    model_type: str = "tiny_llava"
    vocab_size: int = 1024
    hidden_size: int = 64
    num_layers: int = 2
    num_heads: int = 4
    image_size: int = 32
    patch_size: int = 8
    vision_hidden_size: int = 48
    image_token_id: int = 1023           # placeholder id, one per image patch
    pad_token_id: int = 0
    tie_word_embeddings: bool = True

    def to_dict(self):
        return asdict(self)
