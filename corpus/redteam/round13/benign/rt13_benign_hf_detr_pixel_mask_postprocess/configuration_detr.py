# expect: none
from dataclasses import dataclass, field


@dataclass
class DetrConfig:
    num_queries: int = 10
    d_model: int = 64
    encoder_layers: int = 2
    decoder_layers: int = 2
    encoder_attention_heads: int = 4
    id2label: dict = field(default_factory=lambda: {0: "pallet", 1: "box", 2: "forklift", 3: "person", 4: "cart"})
    image_mean: tuple = (0.485, 0.456, 0.406)
    image_std: tuple = (0.229, 0.224, 0.225)
    size_divisor: int = 32

    @property
    def num_labels(self):
        return len(self.id2label)
