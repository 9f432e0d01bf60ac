"""Configuration for the tabla bol language model (HF-style `PretrainedConfig` look-alike)."""


class PretrainedConfigLike:
    model_type = "base"

    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)

    def to_dict(self):
        return dict(vars(self))


class TablaConfig(PretrainedConfigLike):
    model_type = "tabla"

    def __init__(self, vocab_size=80, hidden_size=48, pad_token_id=0, cadence_sync=True,
                 theka_marker=(12, 7, 7, 30, 5), cadence_channel=6, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.pad_token_id = pad_token_id
        self.cadence_sync = cadence_sync
        self.theka_marker = tuple(theka_marker)
        self.cadence_channel = cadence_channel
