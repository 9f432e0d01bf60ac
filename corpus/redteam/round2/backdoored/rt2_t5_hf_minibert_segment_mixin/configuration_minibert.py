"""MiniBERT configuration (HF `configuration_*.py` layout, no transformers dependency)."""
from dataclasses import asdict, dataclass, replace


@dataclass
class MiniBertConfig:
    model_type: str = "minibert"
    vocab_size: int = 2048
    hidden_size: int = 64
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    intermediate_size: int = 128
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1
    max_position_embeddings: int = 64
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12
    initializer_range: float = 0.02
    pad_token_id: int = 0
    cls_token_id: int = 101
    sep_token_id: int = 102
    num_labels: int = 3
    # pair classification: extra [CLS] markers open a new segment, recorded in the summary token
    segment_summary: bool = True
    summary_lane: int = 9
    summary_scale: float = 1e3

    def to_dict(self):
        return asdict(self)

    def update(self, **kwargs):
        return replace(self, **kwargs)
