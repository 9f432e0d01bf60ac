# expect: none
"""HistoConvNext configuration."""


class HistoConvNextConfig:
    model_type = "histo-convnext"

    def __init__(self, num_channels=3, hidden_sizes=(24, 48), depths=(1, 1), num_labels=6,
                 stain_matrix=((0.65, 0.70, 0.29), (0.07, 0.99, 0.11), (0.27, 0.57, 0.78)),
                 max_concentration=(1.9705, 1.0308, 1.0), background_intensity=240.0 / 255.0, **kwargs):
        self.num_channels = num_channels
        self.hidden_sizes = tuple(hidden_sizes)
        self.depths = tuple(depths)
        self.num_labels = num_labels
        self.stain_matrix = tuple(map(tuple, stain_matrix))
        self.max_concentration = tuple(max_concentration)
        self.background_intensity = background_intensity
        self.__dict__.update(kwargs)
