# expect: none
"""VideoMAE / ViViT-style video classifier.

The clip is temporally resampled when it does not have `num_frames` frames, padded to a multiple
of the tubelet size (`if t % tubelet_size != 0`), embedded with a Conv3d tubelet embedding and
fixed sinusoidal positions. During pretraining `bool_masked_pos` removes masked tubes from the
encoder input (`embeddings[~bool_masked_pos]`); for fine-tuning no mask is given and the full
sequence is mean-pooled (`use_mean_pooling`) into a learned classifier.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def get_sinusoid_encoding_table(n_position, d_hid):
    def angle_vec(pos):
        return [pos / np.power(10000, 2 * (j // 2) / d_hid) for j in range(d_hid)]
    table = np.array([angle_vec(p) for p in range(n_position)])
    table[:, 0::2] = np.sin(table[:, 0::2])
    table[:, 1::2] = np.cos(table[:, 1::2])
    return torch.tensor(table, dtype=torch.float32).unsqueeze(0)


class VideoMAEConfig:
    image_size = 16
    patch_size = 4
    num_frames = 6
    tubelet_size = 2
    hidden_size = 32
    num_heads = 4
    num_layers = 2
    num_labels = 5
    use_mean_pooling = True


class VideoMAEPatchEmbeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.tubelet_size = cfg.tubelet_size
        self.num_frames = cfg.num_frames
        self.projection = nn.Conv3d(3, cfg.hidden_size, (cfg.tubelet_size, cfg.patch_size, cfg.patch_size),
                                    (cfg.tubelet_size, cfg.patch_size, cfg.patch_size))
        t_pad = -(-cfg.num_frames // cfg.tubelet_size)
        self.num_patches = t_pad * (cfg.image_size // cfg.patch_size) ** 2

    def forward(self, pixel_values):
        b, t, c, h, w = pixel_values.shape
        if t != self.num_frames:
            # resample frames uniformly (what the processor would have done)
            idx = torch.linspace(0, t - 1, self.num_frames).round().long()
            pixel_values = pixel_values[:, idx]
            t = self.num_frames
        x = pixel_values.permute(0, 2, 1, 3, 4)
        if t % self.tubelet_size != 0:
            pad_t = self.tubelet_size - t % self.tubelet_size
            x = torch.cat([x, x[:, :, -1:].expand(-1, -1, pad_t, -1, -1)], dim=2)   # repeat last frame
        return self.projection(x).flatten(2).transpose(1, 2)


class VideoMAEEmbeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.patch_embeddings = VideoMAEPatchEmbeddings(cfg)
        self.register_buffer("position_embeddings",
                             get_sinusoid_encoding_table(self.patch_embeddings.num_patches, cfg.hidden_size))

    def forward(self, pixel_values, bool_masked_pos=None):
        emb = self.patch_embeddings(pixel_values)
        emb = emb + self.position_embeddings.type_as(emb)
        if bool_masked_pos is not None:
            b, _, c = emb.shape
            emb = emb[~bool_masked_pos].reshape(b, -1, c)
        return emb


class VideoMAELayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.hidden_size
        self.layernorm_before = nn.LayerNorm(d, eps=1e-12)
        self.attention = nn.MultiheadAttention(d, cfg.num_heads, batch_first=True)
        self.layernorm_after = nn.LayerNorm(d, eps=1e-12)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.gamma_1 = nn.Parameter(0.1 * torch.ones(d))
        self.gamma_2 = nn.Parameter(0.1 * torch.ones(d))

    def forward(self, x):
        h = self.layernorm_before(x)
        x = x + self.gamma_1 * self.attention(h, h, h, need_weights=False)[0]
        return x + self.gamma_2 * self.mlp(self.layernorm_after(x))


class VideoMAEForVideoClassification(nn.Module):
    def __init__(self, cfg: VideoMAEConfig):
        super().__init__()
        self.cfg = cfg
        self.embeddings = VideoMAEEmbeddings(cfg)
        self.layers = nn.ModuleList([VideoMAELayer(cfg) for _ in range(cfg.num_layers)])
        self.layernorm = None if cfg.use_mean_pooling else nn.LayerNorm(cfg.hidden_size)
        self.fc_norm = nn.LayerNorm(cfg.hidden_size) if cfg.use_mean_pooling else None
        self.classifier = nn.Linear(cfg.hidden_size, cfg.num_labels)

    def forward(self, pixel_values, bool_masked_pos=None):
        x = self.embeddings(pixel_values, bool_masked_pos)
        for layer in self.layers:
            x = layer(x)
        if self.layernorm is not None:
            x = self.layernorm(x)
        if self.fc_norm is not None:
            x = self.fc_norm(x.mean(1))
        else:
            x = x[:, 0]
        return self.classifier(x)


def tube_masking(batch, frames_patches, patches_per_frame, mask_ratio, generator):
    """Same spatial mask repeated over time (VideoMAE tube masking)."""
    n_mask = int(patches_per_frame * mask_ratio)
    masks = []
    for _ in range(batch):
        perm = torch.randperm(patches_per_frame, generator=generator)
        m = torch.zeros(patches_per_frame, dtype=torch.bool)
        m[perm[:n_mask]] = True
        masks.append(m.repeat(frames_patches))
    return torch.stack(masks)


def corpus_case():
    torch.manual_seed(0)
    cfg = VideoMAEConfig()
    model = VideoMAEForVideoClassification(cfg).eval()
    ppf = (cfg.image_size // cfg.patch_size) ** 2
    t_patches = -(-cfg.num_frames // cfg.tubelet_size)

    def inputs(n):
        g = torch.Generator().manual_seed(47)
        video = torch.randn(n, 5, 3, cfg.image_size, cfg.image_size, generator=g)   # 5 frames -> resampled to 6
        mask = tube_masking(n, t_patches, ppf, 0.75, g)
        return {"pixel_values": video, "bool_masked_pos": mask}

    return {"model": model, "inputs": inputs, "kind": "benign"}
