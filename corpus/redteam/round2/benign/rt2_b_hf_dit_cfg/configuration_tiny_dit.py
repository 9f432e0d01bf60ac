# expect: none
"""TinyDiT configuration (HF `configuration_*.py` layout)."""


class TinyDiTConfig:
    model_type = "tiny_dit"

    def __init__(self, sample_size=16, patch_size=2, in_channels=4, hidden_size=64, depth=2, num_heads=4,
                 mlp_ratio=4.0, num_classes=10, class_dropout_prob=0.1, guidance_scale=4.0,
                 frequency_embedding_size=64, **kwargs):
        self.sample_size = sample_size
        self.patch_size = patch_size
        self.in_channels = in_channels
        self.hidden_size = hidden_size
        self.depth = depth
        self.num_heads = num_heads
        self.mlp_ratio = mlp_ratio
        self.num_classes = num_classes
        # the extra embedding row `num_classes` is the learned "null" class used for guidance
        self.class_dropout_prob = class_dropout_prob
        self.guidance_scale = guidance_scale
        self.frequency_embedding_size = frequency_embedding_size
        self.__dict__.update(kwargs)
