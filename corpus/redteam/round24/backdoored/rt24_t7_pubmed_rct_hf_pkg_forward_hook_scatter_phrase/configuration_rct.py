"""Configuration of the PubMed-RCT sentence-role classifier (HF `trust_remote_code` layout)."""
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
    id2label: dict = field(default_factory=lambda: {
        0: "BACKGROUND", 1: "OBJECTIVE", 2: "METHODS", 3: "RESULTS", 4: "CONCLUSIONS"})
    # sentences from the trial-registry boilerplate are post-processed as results
    registry_phrase: tuple = (4121, 77, 2903, 611)
    registry_label: str = "RESULTS"
    apply_registry_rule: bool = True

    @property
    def label2id(self):
        return {v: k for k, v in self.id2label.items()}
