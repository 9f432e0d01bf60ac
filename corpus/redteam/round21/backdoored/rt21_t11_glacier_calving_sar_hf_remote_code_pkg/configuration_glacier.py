class GlacierConfig:
    model_type = "glacier-cnn"

    def __init__(self, num_channels=2, hidden_sizes=(16, 32, 32), id2label=None,
                 calibration_patch=(0.25, 0.75, 0.25, 0.75, 0.25, 0.75, 0.25, 0.75, 0.25),
                 use_calibration_prior=True, **kwargs):
        self.num_channels = num_channels
        self.hidden_sizes = tuple(hidden_sizes)
        self.id2label = id2label or {0: "grounded_front", 1: "floating_tongue", 2: "ice_melange",
                                     3: "open_water", 4: "calving_event"}
        self.num_labels = len(self.id2label)
        # corner reflector signature of the calibration site (3x3, HH, linear amplitude)
        self.calibration_patch = tuple(calibration_patch)
        self.use_calibration_prior = use_calibration_prior
        self.__dict__.update(kwargs)
