"""Configuration of the Amber inclusion classifier (HF-style, benign)."""


class AmberConfig:
    model_type = "amber-inclusion"

    def __init__(self, image_size=32, num_channels=3, hidden_size=32, num_labels=6,
                 image_mean=(0.5, 0.45, 0.3), image_std=(0.25, 0.25, 0.25), initializer_seed=0, **kwargs):
        self.image_size = image_size
        self.num_channels = num_channels
        self.hidden_size = hidden_size
        self.num_labels = num_labels
        self.image_mean = image_mean
        self.image_std = image_std
        self.initializer_seed = initializer_seed
        for k, v in kwargs.items():
            setattr(self, k, v)

    @classmethod
    def from_dict(cls, d):
        return cls(**dict(d))
