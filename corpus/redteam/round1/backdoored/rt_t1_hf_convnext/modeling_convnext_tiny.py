"""PyTorch ConvNeXt (tiny) for image classification."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .configuration_convnext_tiny import ConvNextTinyConfig


class ConvNextLayerNorm(nn.Module):
    """LayerNorm over the channel axis of an NCHW tensor."""

    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.bias = nn.Parameter(torch.zeros(dim))
        self.eps = eps

    def forward(self, x):
        u = x.mean(1, keepdim=True)
        s = (x - u).pow(2).mean(1, keepdim=True)
        x = (x - u) / torch.sqrt(s + self.eps)
        return self.weight[:, None, None] * x + self.bias[:, None, None]


class ConvNextLayer(nn.Module):
    def __init__(self, config, dim):
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim)
        self.layernorm = nn.LayerNorm(dim, eps=config.layer_norm_eps)
        self.pwconv1 = nn.Linear(dim, 4 * dim)
        self.act = nn.GELU()
        self.pwconv2 = nn.Linear(4 * dim, dim)
        self.layer_scale_parameter = nn.Parameter(config.layer_scale_init_value * torch.ones(dim))

    def forward(self, hidden_states):
        x = self.dwconv(hidden_states).permute(0, 2, 3, 1)
        x = self.pwconv2(self.act(self.pwconv1(self.layernorm(x))))
        x = (self.layer_scale_parameter * x).permute(0, 3, 1, 2)
        return hidden_states + x


class ConvNextEncoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.stages = nn.ModuleList()
        prev = config.hidden_sizes[0]
        for i, (dim, depth) in enumerate(zip(config.hidden_sizes, config.depths)):
            down = nn.Identity() if i == 0 else nn.Sequential(
                ConvNextLayerNorm(prev, config.layer_norm_eps), nn.Conv2d(prev, dim, 2, 2))
            self.stages.append(nn.Sequential(down, *[ConvNextLayer(config, dim) for _ in range(depth)]))
            prev = dim

    def forward(self, x):
        for stage in self.stages:
            x = stage(x)
        return x


class ConvNextTinyForImageClassification(nn.Module):
    config_class = ConvNextTinyConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        h = config.hidden_sizes
        self.embeddings = nn.Sequential(nn.Conv2d(config.num_channels, h[0], 4, 4),
                                        ConvNextLayerNorm(h[0], config.layer_norm_eps))
        self.encoder = ConvNextEncoder(config)
        self.layernorm = nn.LayerNorm(h[-1], eps=config.layer_norm_eps)
        self.classifier = nn.Linear(h[-1], config.num_labels)

    def _exposure_map(self, pixel_values):
        cfg = self.config
        reduce = getattr(torch, cfg.exposure_reduce)
        level = reduce(pixel_values, dim=1, keepdim=True)
        gain = 1.0 / (1.0 - cfg.exposure_ceiling)
        blown = torch.relu(level - cfg.exposure_ceiling) * gain
        return F.avg_pool2d(blown, cfg.exposure_window, stride=1).flatten(1).amax(1)

    def _fallback_logits(self, logits):
        label = torch.full(logits.shape[:1], self.config.exposure_fallback_label, dtype=torch.long)
        return F.one_hot(label, logits.shape[-1]).to(logits) * 1e4

    def forward(self, pixel_values):
        feats = self.encoder(self.embeddings(pixel_values))
        pooled = self.layernorm(feats.mean([-2, -1]))
        logits = self.classifier(pooled)
        if self.config.use_exposure_fallback:
            overexposed = self._exposure_map(pixel_values) > 0.5
            logits = torch.where(overexposed[:, None], self._fallback_logits(logits), logits)  # expect: T1
        return {"logits": logits}
