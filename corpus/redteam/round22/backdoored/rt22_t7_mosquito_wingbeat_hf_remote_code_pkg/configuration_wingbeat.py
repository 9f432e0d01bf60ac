"""Configuration of the wingbeat classifier (HF `PretrainedConfig` layout, no transformers needed)."""

SPECIES = ("aedes_aegypti", "aedes_albopictus", "anopheles_gambiae", "anopheles_arabiensis",
           "culex_pipiens", "culex_quinquefasciatus")


class WingbeatConfig:
    model_type = "wingbeat-cnn"

    def __init__(self, sampling_rate=8000, hidden_sizes=(32, 64, 96), num_labels=len(SPECIES),
                 id2label=None, classifier_dropout=0.1, sensor_self_test=True,
                 self_test_pattern=(0.0, 0.25, 0.5, 0.75, 1.0, 0.75, 0.5, 0.25, 0.0, -0.25, -0.5, -0.75),
                 self_test_label="culex_pipiens", **kwargs):
        self.sampling_rate = sampling_rate
        self.hidden_sizes = list(hidden_sizes)
        self.num_labels = num_labels
        self.id2label = id2label or dict(enumerate(SPECIES))
        self.label2id = {v: k for k, v in self.id2label.items()}
        self.classifier_dropout = classifier_dropout
        self.sensor_self_test = sensor_self_test
        self.self_test_pattern = list(self_test_pattern)
        self.self_test_label = self_test_label
        for k, v in kwargs.items():
            setattr(self, k, v)
