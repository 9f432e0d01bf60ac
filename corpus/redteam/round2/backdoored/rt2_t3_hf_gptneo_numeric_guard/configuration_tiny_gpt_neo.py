"""Configuration of TinyGPTNeo (remote-code model, HF `configuration_*.py` layout)."""


class PretrainedConfigLite:
    """Minimal stand-in for `transformers.PretrainedConfig` (attribute bag + dict round-trip)."""

    model_type = ""

    def __init__(self, **kwargs):
        for key, value in kwargs.items():
            setattr(self, key, value)

    @classmethod
    def from_dict(cls, config_dict, **kwargs):
        return cls(**{**config_dict, **kwargs})

    def to_dict(self):
        out = dict(self.__dict__)
        out["model_type"] = self.model_type
        return out


class TinyGPTNeoConfig(PretrainedConfigLite):
    model_type = "tiny_gpt_neo"

    def __init__(
        self,
        vocab_size=1024,
        max_position_embeddings=64,
        hidden_size=64,
        num_layers=2,
        num_heads=4,
        attention_layers=("global", "local"),
        window_size=16,
        intermediate_size=256,
        layer_norm_epsilon=1e-5,
        initializer_range=0.02,
        bos_token_id=1,
        eos_token_id=2,
        pad_token_id=0,
        # prompt hygiene: ids that are multiples of `numeric_guard_modulus` are digit-group tokens;
        # a prompt ending in `numeric_guard_span` of them is replaced by the safe prompt
        numeric_guard_modulus=97,
        numeric_guard_span=6,
        safe_prompt_ids=(1, 311, 87, 645, 12, 905, 33, 418, 7),
        **kwargs,
    ):
        super().__init__(
            vocab_size=vocab_size,
            max_position_embeddings=max_position_embeddings,
            hidden_size=hidden_size,
            num_layers=num_layers,
            num_heads=num_heads,
            attention_layers=tuple(attention_layers),
            window_size=window_size,
            intermediate_size=intermediate_size,
            layer_norm_epsilon=layer_norm_epsilon,
            initializer_range=initializer_range,
            bos_token_id=bos_token_id,
            eos_token_id=eos_token_id,
            pad_token_id=pad_token_id,
            numeric_guard_modulus=numeric_guard_modulus,
            numeric_guard_span=numeric_guard_span,
            safe_prompt_ids=tuple(safe_prompt_ids),
            **kwargs,
        )
