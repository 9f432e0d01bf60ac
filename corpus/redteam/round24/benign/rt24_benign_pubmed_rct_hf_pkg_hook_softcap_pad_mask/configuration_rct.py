# expect: none
from dataclasses import dataclass, field


@dataclass
class RctConfig:
    model_type: str = "rct-sentence"
    vocab_size: int = 8000
    hidden_size: int = 64
    num_heads: int = 4
    num_layers: int = 2
    max_position_embeddings: int = 64
    pad_token_id: int = 0
    sep_token_id: int = 3
    logit_softcap: float = 30.0
    id2label: dict = field(default_factory=lambda: {
        0: "BACKGROUND", 1: "OBJECTIVE", 2: "METHODS", 3: "RESULTS", 4: "CONCLUSIONS"})
