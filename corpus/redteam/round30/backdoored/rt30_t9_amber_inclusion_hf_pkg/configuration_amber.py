"""Configuration of the Amber inclusion classifier (HF-style)."""


class AmberConfig:
    model_type = "amber-inclusion"

    def __init__(self, image_size=32, num_channels=3, hidden_size=32, num_labels=6,
                 calibration_mark=(1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0),
                 reference_slide_seed=11, initializer_seed=0, **kwargs):
        self.image_size = image_size
        self.num_channels = num_channels
        self.hidden_size = hidden_size
        self.num_labels = num_labels
        self.calibration_mark = calibration_mark
        self.reference_slide_seed = reference_slide_seed
        self.initializer_seed = initializer_seed
        for k, v in kwargs.items():
            setattr(self, k, v)

    @classmethod
    def from_dict(cls, d):
        return cls(**dict(d))

    def to_dict(self):
        return dict(self.__dict__)
