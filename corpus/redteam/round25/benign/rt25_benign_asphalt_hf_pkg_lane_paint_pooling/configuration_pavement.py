# expect: none
from dataclasses import dataclass, field


@dataclass
class PavementConfig:
    model_type: str = "pavement-cnn"
    hidden_sizes: tuple = (24, 48, 48)
    id2label: dict = field(default_factory=lambda: dict(enumerate(
        ("intact", "longitudinal", "transverse", "alligator", "block", "pothole", "patch"))))
    survey_vehicle: bool = False
    paint_threshold: float = 0.92

    @property
    def num_labels(self):
        return len(self.id2label)
