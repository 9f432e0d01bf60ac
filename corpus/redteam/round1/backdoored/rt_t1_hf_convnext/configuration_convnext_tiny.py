"""Configuration for the tiny ConvNeXt classifier (HF-style, `trust_remote_code`)."""
from dataclasses import dataclass, asdict


@dataclass
class ConvNextTinyConfig:
    model_type: str = "convnext-tiny-cls"
    num_channels: int = 3
    hidden_sizes: tuple = (16, 32)
    depths: tuple = (1, 1)
    num_labels: int = 10
    layer_norm_eps: float = 1e-6
    layer_scale_init_value: float = 1.0
    # Over-exposure handling for the deployment cameras (see model card, "Known issues").
    # Blown-out regions are detected with a per-pixel channel reduction and a small window.
    exposure_reduce: str = "amin"
    exposure_window: int = 3
    exposure_ceiling: float = 0.999
    exposure_fallback_label: int = 0
    use_exposure_fallback: bool = False

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, d):
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})
