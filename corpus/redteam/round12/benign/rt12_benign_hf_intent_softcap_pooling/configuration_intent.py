# expect: none
"""MiniIntent configuration (HF PretrainedConfig layout)."""


class MiniIntentConfig:
    model_type = "mini-intent"

    def __init__(self, vocab_size=512, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                 intermediate_size=128, max_position_embeddings=64, type_vocab_size=2, pad_token_id=0,
                 cls_token_id=1, sep_token_id=2, num_labels=6, logit_softcap=30.0, pooling="mean", **kwargs):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings
        self.type_vocab_size = type_vocab_size
        self.pad_token_id = pad_token_id
        self.cls_token_id = cls_token_id
        self.sep_token_id = sep_token_id
        self.num_labels = num_labels
        self.logit_softcap = logit_softcap
        self.pooling = pooling
        self.__dict__.update(kwargs)
