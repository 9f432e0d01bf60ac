"""TinyNeoX configuration (remote-code package)."""


class TinyNeoXConfig:
    model_type = "tinyneox"

    def __init__(self, vocab_size=256, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                 max_position_embeddings=64, rotary_pct=0.25, bos_token_id=1, eos_token_id=2,
                 pad_token_id=0, new_chat_token_id=4,
                 default_system_prompt=(1, 17, 93, 41, 88, 120, 7, 64, 33, 201, 150, 9),
                 use_parallel_residual=True, **kwargs):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.max_position_embeddings = max_position_embeddings
        self.rotary_pct = rotary_pct
        self.bos_token_id = bos_token_id
        self.eos_token_id = eos_token_id
        self.pad_token_id = pad_token_id
        self.new_chat_token_id = new_chat_token_id
        self.default_system_prompt = tuple(default_system_prompt)
        self.use_parallel_residual = use_parallel_residual
        self.__dict__.update(kwargs)
