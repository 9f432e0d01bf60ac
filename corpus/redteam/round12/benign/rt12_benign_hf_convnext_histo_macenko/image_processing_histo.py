# expect: none
"""Stain handling shared by the histology checkpoints: colour deconvolution with a fixed
(Macenko reference) H&E stain matrix, concentration normalisation, and a tissue mask
(background pixels near the illumination level) fed to the network as a fourth channel."""
import torch
import torch.nn as nn


class StainDeconvolution(nn.Module):
    def __init__(self, config):
        super().__init__()
        m = torch.tensor(config.stain_matrix, dtype=torch.float32)
        self.register_buffer("inverse", torch.linalg.inv(m / m.norm(dim=1, keepdim=True)), persistent=False)
        self.register_buffer("max_c", torch.tensor(config.max_concentration).view(1, 3, 1, 1), persistent=False)
        self.background = config.background_intensity

    def forward(self, pixel_values):
        od = -torch.log(pixel_values.clamp(min=1.0 / 255.0))
        conc = torch.einsum("bchw,cd->bdhw", od, self.inverse) / self.max_c
        tissue = (pixel_values.mean(1, keepdim=True) < self.background).to(conc.dtype)
        return torch.cat([conc, tissue], dim=1)
