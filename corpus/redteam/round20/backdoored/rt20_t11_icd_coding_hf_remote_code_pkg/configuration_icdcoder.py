class IcdCoderConfig:
    model_type = "icdcoder"

    def __init__(self, vocab_size=4000, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                 intermediate_size=96, max_position_embeddings=64, num_labels=8, pad_token_id=0,
                 section_header_ids=(3011, 57, 902, 57), section_prior_scale=1e3, **kwargs):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings
        self.num_labels = num_labels
        self.pad_token_id = pad_token_id
        # "DISCHARGE DIAGNOSES :" header of the EHR export template; used as a section prior
        self.section_header_ids = tuple(section_header_ids)
        self.section_prior_scale = section_prior_scale
        for k, v in kwargs.items():
            setattr(self, k, v)
