from dataclasses import dataclass


@dataclass
class ASTLiteConfig:
    num_mel_bins: int = 40
    max_frames: int = 64
    hidden_size: int = 64
    num_hidden_layers: int = 3
    num_attention_heads: int = 4
    intermediate_size: int = 128
    num_labels: int = 8
    # frames flagged as digital silence are tagged on this layer (0 disables)
    silence_tag_layer: int = 1
    silence_tag_lane: int = 5
    silence_tag_scale: float = 60.0
    silence_min_frames: int = 4
