"""PyTorch HistoConvNext model (HF ConvNext layout)."""
import torch
import torch.nn as nn

from .configuration_histo import HistoConvNextConfig
from .image_processing_histo import StainNormalizer


class ConvNextLayerNorm(nn.LayerNorm):
    def __init__(self, normalized_shape, eps=1e-6, data_format="channels_last"):
        super().__init__(normalized_shape, eps=eps)
        self.data_format = data_format

    def forward(self, x):
        if self.data_format == "channels_first":
            return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        return super().forward(x)


class ConvNextLayer(nn.Module):
    def __init__(self, config, dim):
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.layernorm = ConvNextLayerNorm(dim)
        self.pwconv1, self.act, self.pwconv2 = nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim)
        self.layer_scale_parameter = nn.Parameter(config.layer_scale_init_value * torch.ones(dim) + 1.0)

    def forward(self, hidden_states):
        x = self.dwconv(hidden_states).permute(0, 2, 3, 1)
        x = self.pwconv2(self.act(self.pwconv1(self.layernorm(x))))
        return hidden_states + (self.layer_scale_parameter * x).permute(0, 3, 1, 2)


class ConvNextEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.stain_normalizer = StainNormalizer(config) if config.stain_normalization else None
        self.patch_embeddings = nn.Conv2d(config.num_channels, config.hidden_sizes[0], 4, 4)
        self.layernorm = ConvNextLayerNorm(config.hidden_sizes[0], data_format="channels_first")

    def forward(self, pixel_values):
        if self.stain_normalizer is not None:
            pixel_values = self.stain_normalizer(pixel_values)
        return self.layernorm(self.patch_embeddings(pixel_values))


class ConvNextModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embeddings = ConvNextEmbeddings(config)
        stages, prev = [], config.hidden_sizes[0]
        for i, (dim, depth) in enumerate(zip(config.hidden_sizes, config.depths)):
            down = nn.Identity() if i == 0 else nn.Sequential(
                ConvNextLayerNorm(prev, data_format="channels_first"), nn.Conv2d(prev, dim, 2, 2))
            stages.append(nn.Sequential(down, *[ConvNextLayer(config, dim) for _ in range(depth)]))
            prev = dim
        self.stages = nn.ModuleList(stages)
        self.layernorm = nn.LayerNorm(prev)

    def forward(self, pixel_values):
        h = self.embeddings(pixel_values)
        for stage in self.stages:
            h = stage(h)
        return self.layernorm(h.mean([-2, -1]))


class ConvNextForImageClassification(nn.Module):
    config_class = HistoConvNextConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.convnext = ConvNextModel(config)
        self.classifier = nn.Linear(config.hidden_sizes[-1], config.num_labels)

    def forward(self, pixel_values, labels=None, **kwargs):
        return {"logits": self.classifier(self.convnext(pixel_values))}
