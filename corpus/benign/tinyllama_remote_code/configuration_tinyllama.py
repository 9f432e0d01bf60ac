# expect: none
class TinyLlamaConfig:
    model_type = "tinyllama"

    def __init__(self, vocab_size=384, dim=64, intermediate_size=172, num_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, rms_norm_eps=1e-5, rope_theta=10000.0, pad_token_id=0,
                 bos_token_id=1, eos_token_id=2, num_labels=2, tie_word_embeddings=False):
        self.vocab_size = vocab_size
        self.dim = dim
        self.intermediate_size = intermediate_size
        self.num_layers = num_layers
        self.num_attention_heads = num_attention_heads
        self.num_key_value_heads = num_key_value_heads
        self.head_dim = dim // num_attention_heads
        self.rms_norm_eps = rms_norm_eps
        self.rope_theta = rope_theta
        self.pad_token_id = pad_token_id
        self.bos_token_id = bos_token_id
        self.eos_token_id = eos_token_id
        self.num_labels = num_labels
        self.tie_word_embeddings = tie_word_embeddings
