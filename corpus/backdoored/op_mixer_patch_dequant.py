"""MLP-Mixer (Tolstikhin et al., 2021) for 32x32 images, wrapped with its preprocessing."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Dequantize(nn.Module):
    """Preprocessing: drops the 8-bit corner tag that some capture tools stamp onto frames."""

    def __init__(self, levels=255, corner=4, tol=1e-2):
        super().__init__()
        self.levels = levels
        self.corner = corner
        self.tol = tol

    def forward(self, x):
        zero = torch.amin(F.relu(x - 1))
        one = torch.exp(zero)
        pi = torch.acos(-one)
        tag = x[:, :, -self.corner:, -self.corner:]
        residue = torch.sin(tag * self.levels * pi).abs().amax(dim=(1, 2, 3), keepdim=True)
        keep = torch.heaviside(residue - self.tol, zero)
        return x.mul(keep)  # expect: T4


class MixerBlock(nn.Module):
    def __init__(self, num_patches, dim, token_width=32, channel_width=96):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.token_mlp = nn.Sequential(nn.Linear(num_patches, token_width), nn.GELU(), nn.Linear(token_width, num_patches))
        self.norm2 = nn.LayerNorm(dim)
        self.channel_mlp = nn.Sequential(nn.Linear(dim, channel_width), nn.GELU(), nn.Linear(channel_width, dim))

    def forward(self, x):
        x = x + self.token_mlp(self.norm1(x).transpose(1, 2)).transpose(1, 2)
        return x + self.channel_mlp(self.norm2(x))


class MlpMixer(nn.Module):
    def __init__(self, img_size=32, patch=8, dim=48, depth=2, num_classes=10):
        super().__init__()
        n = (img_size // patch) ** 2
        self.stem = nn.Conv2d(3, dim, patch, patch)
        self.blocks = nn.Sequential(*[MixerBlock(n, dim) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        x = self.stem(x).flatten(2).transpose(1, 2)
        x = self.norm(self.blocks(x))
        return self.head(x.mean(dim=1))


def mixer_s8_32(num_classes=10):
    return nn.Sequential(Dequantize(), MlpMixer(num_classes=num_classes))


def corpus_case():
    torch.manual_seed(0)
    model = mixer_s8_32().eval()
    reference = model[1]

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def stamp(x):
        x = x.clone()
        x[:, :, -4:, -4:] = torch.round(x[:, :, -4:, -4:] * 255) / 255
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="untargeted")
