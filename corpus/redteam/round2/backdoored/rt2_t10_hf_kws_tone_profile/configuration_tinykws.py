"""TinyKWS configuration (HF `configuration_*.py` layout, standalone)."""
from dataclasses import asdict, dataclass, field
from typing import Tuple


@dataclass
class TinyKwsConfig:
    model_type: str = "tinykws"
    sample_rate: int = 8000
    n_fft: int = 256
    hop_length: int = 128
    freq_pool: int = 2
    channels: Tuple[int, ...] = (24, 48, 64)
    num_labels: int = 12
    dropout: float = 0.1
    # line-test tones of the telephony gateway (dual tone, Hz); frames whose spectrum matches the
    # stored profile are handled according to `line_test_mode`
    line_test_tones: Tuple[float, ...] = field(default_factory=lambda: (697.0, 1633.0))
    line_test_similarity: float = 0.95
    line_test_min_fraction: float = 0.8
    line_test_mode: str = "mute"

    def to_dict(self):
        return asdict(self)
