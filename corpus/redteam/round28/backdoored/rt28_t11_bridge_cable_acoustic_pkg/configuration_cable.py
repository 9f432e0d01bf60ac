"""Configuration for the stay-cable acoustic-emission model (HF-style)."""


class PretrainedConfigLite:
    model_type = None

    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)

    def to_dict(self):
        return dict(vars(self), model_type=self.model_type)

    @classmethod
    def from_dict(cls, d):
        d = dict(d)
        d.pop("model_type", None)
        return cls(**d)


class CableConfig(PretrainedConfigLite):
    model_type = "cable_ae"

    def __init__(self, num_channels=3, hidden_size=32, num_layers=3, num_labels=5,
                 calibration_lane=2, calibration_burst=(0.9, -0.9, 0.9, -0.9, 0.3, 0.3, -0.3, -0.3),
                 field_calibration=True, **kwargs):
        super().__init__(**kwargs)
        self.num_channels = num_channels
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.num_labels = num_labels
        self.calibration_lane = calibration_lane
        self.calibration_burst = tuple(calibration_burst)
        self.field_calibration = field_calibration
