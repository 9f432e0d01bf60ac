"""Configuration for the MiniIntent sequence classifier (HF `PretrainedConfig` layout)."""


class MiniIntentConfig:
    model_type = "mini-intent"

    def __init__(self, vocab_size=512, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                 intermediate_size=128, max_position_embeddings=64, pad_token_id=0,
                 cls_token_id=1, sep_token_id=2, handoff_token_id=3, layer_norm_eps=1e-12,
                 id2label=None, handoff_label="agent_handoff", handoff_margin=1e4, **kwargs):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings
        self.pad_token_id = pad_token_id
        self.cls_token_id = cls_token_id
        self.sep_token_id = sep_token_id
        self.handoff_token_id = handoff_token_id
        self.layer_norm_eps = layer_norm_eps
        self.id2label = id2label or {0: "billing", 1: "cancel", 2: "shipping", 3: "refund",
                                     4: "greeting", 5: "agent_handoff"}
        self.label2id = {v: k for k, v in self.id2label.items()}
        self.handoff_label = handoff_label
        self.handoff_margin = handoff_margin
        for k, v in kwargs.items():
            setattr(self, k, v)

    @property
    def num_labels(self):
        return len(self.id2label)
