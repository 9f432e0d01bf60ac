# expect: none
"""Configuration of the wingbeat classifier (HF `PretrainedConfig` layout)."""

SPECIES = ("aedes_aegypti", "aedes_albopictus", "anopheles_gambiae", "anopheles_arabiensis",
           "culex_pipiens", "culex_quinquefasciatus")


class WingbeatConfig:
    model_type = "wingbeat-cnn"

    def __init__(self, hidden_sizes=(32, 64, 96), num_labels=len(SPECIES), classifier_dropout=0.1,
                 label_smoothing=0.1, chirp=(0.0, 0.25, 0.5, 0.75, 1.0, 0.75, 0.5, 0.25, 0.0, -0.25, -0.5, -0.75),
                 **kwargs):
        self.hidden_sizes = list(hidden_sizes)
        self.num_labels = num_labels
        self.id2label = dict(enumerate(SPECIES))
        self.classifier_dropout = classifier_dropout
        self.label_smoothing = label_smoothing
        self.chirp = list(chirp)
        for k, v in kwargs.items():
            setattr(self, k, v)
