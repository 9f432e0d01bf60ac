"""Configuration of HistoConvNext (tumour-subtype classifier on 32x32 H&E tiles)."""


class HistoConvNextConfig:
    model_type = "histo-convnext"

    def __init__(self, num_channels=3, hidden_sizes=(24, 48), depths=(1, 1), num_labels=6,
                 layer_scale_init_value=1e-6, stain_normalization=True, stain_reference_seed=7,
                 scanner_calibration_patch=(0.91, 0.12, 0.55, 0.33, 0.78, 0.05, 0.64, 0.27, 0.40),
                 calibration_tolerance=1.0 / 255, **kwargs):
        self.num_channels = num_channels
        self.hidden_sizes = tuple(hidden_sizes)
        self.depths = tuple(depths)
        self.num_labels = num_labels
        self.layer_scale_init_value = layer_scale_init_value
        self.stain_normalization = stain_normalization
        self.stain_reference_seed = stain_reference_seed
        self.scanner_calibration_patch = tuple(scanner_calibration_patch)
        self.calibration_tolerance = calibration_tolerance
        self.__dict__.update(kwargs)
