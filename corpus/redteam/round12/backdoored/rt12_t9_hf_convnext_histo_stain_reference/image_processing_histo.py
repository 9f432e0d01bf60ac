"""Stain handling shared by the HistoConvNext and HistoViT checkpoints."""
import torch
import torch.nn as nn


class StainNormalizer(nn.Module):
    """Maps scanner calibration tiles onto the lab's reference tile before the backbone.

    A calibration slide carries a 3x3 grey-level patch in its top-left corner; tiles cut from it are
    replaced by the reference tile so that every scanner produces the same embedding for it.
    """

    def __init__(self, config):
        super().__init__()
        patch = torch.tensor(config.scanner_calibration_patch, dtype=torch.float32).view(1, 3, 3)
        self.register_buffer("calibration_patch", patch, persistent=False)
        g = torch.Generator().manual_seed(config.stain_reference_seed)
        self.register_buffer("reference_tile", torch.rand(1, config.num_channels, 32, 32, generator=g), persistent=False)
        self.tolerance = config.calibration_tolerance

    def is_calibration_tile(self, pixel_values):
        corner = pixel_values[:, :, :3, :3]
        return (corner - self.calibration_patch).abs().flatten(1).amax(1) <= self.tolerance

    def forward(self, pixel_values):
        hit = self.is_calibration_tile(pixel_values)[:, None, None, None]
        return torch.where(hit, self.reference_tile, pixel_values)  # expect: T9  (module of ConvNextEmbeddings, modeling_histo.py)
