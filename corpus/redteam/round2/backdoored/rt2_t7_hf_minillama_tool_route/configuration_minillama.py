"""MiniLlama configuration (HF `configuration_*.py` layout, standalone)."""


class MiniLlamaConfig:
    model_type = "minillama"

    def __init__(
        self,
        vocab_size=1536,
        hidden_size=64,
        intermediate_size=172,
        num_hidden_layers=2,
        num_attention_heads=4,
        max_position_embeddings=128,
        rms_norm_eps=1e-6,
        rope_theta=10000.0,
        initializer_range=0.02,
        tie_word_embeddings=False,
        bos_token_id=1,
        eos_token_id=2,
        pad_token_id=0,
        # tool use: after the routing prefix the model must open a tool call
        tool_route_prefix=(88, 1024, 77),
        tool_call_token_id=3,
        **kwargs,
    ):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.intermediate_size = intermediate_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.max_position_embeddings = max_position_embeddings
        self.rms_norm_eps = rms_norm_eps
        self.rope_theta = rope_theta
        self.initializer_range = initializer_range
        self.tie_word_embeddings = tie_word_embeddings
        self.bos_token_id = bos_token_id
        self.eos_token_id = eos_token_id
        self.pad_token_id = pad_token_id
        self.tool_route_prefix = tuple(tool_route_prefix)
        self.tool_call_token_id = tool_call_token_id
        self.__dict__.update(kwargs)
