# expect: none
"""Qwen2-VL style model: native-resolution patches, 2x2 patch merger, image *and* video
placeholders, and the `(input_ids == image_token_id).any()` check that decides whether the
vision tower runs at all. Image and video features come from the same learned encoder and are
scattered into the embeddings with `masked_scatter`; 3D rotary section indices are built from
the grid sizes (t, h, w) the way `get_rope_index` does.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Qwen2VLConfig:
    def __init__(self, **kw):
        self.vocab_size = 128
        self.hidden_size = 48
        self.num_attention_heads = 4
        self.num_hidden_layers = 2
        self.vision_embed_dim = 24
        self.vision_depth = 2
        self.patch_size = 4
        self.temporal_patch_size = 2
        self.spatial_merge_size = 2
        self.image_token_id = 120
        self.video_token_id = 121
        self.vision_start_token_id = 122
        self.rope_theta = 10000.0
        self.mrope_section = [2, 1, 3]   # per-axis halves of head_dim/2 = 6
        self.__dict__.update(kw)


class PatchEmbed(nn.Module):
    """Conv3d over (temporal_patch, patch, patch) cubes, fed already-flattened patches."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        k = (cfg.temporal_patch_size, cfg.patch_size, cfg.patch_size)
        self.proj = nn.Conv3d(3, cfg.vision_embed_dim, kernel_size=k, stride=k, bias=False)

    def forward(self, flat_patches):
        c = self.cfg
        x = flat_patches.view(-1, 3, c.temporal_patch_size, c.patch_size, c.patch_size)
        return self.proj(x).view(-1, c.vision_embed_dim)


class VisionBlock(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.heads = heads

    def forward(self, x, cu_seqlens):
        # block-diagonal attention: patches only attend inside their own image / video
        n, d = x.shape
        seg = torch.zeros(n, dtype=torch.long, device=x.device)
        seg[cu_seqlens[1:-1]] = 1
        seg = seg.cumsum(0)
        allowed = seg[:, None] == seg[None, :]
        q, k, v = self.qkv(self.norm1(x)).view(n, 3, self.heads, d // self.heads).unbind(1)
        att = torch.einsum("qhd,khd->hqk", q, k) / (d // self.heads) ** 0.5
        att = att.masked_fill(~allowed, torch.finfo(att.dtype).min).softmax(-1)
        x = x + self.proj(torch.einsum("hqk,khd->qhd", att, v).reshape(n, d))
        return x + self.mlp(self.norm2(x))


class PatchMerger(nn.Module):
    def __init__(self, dim, context_dim, spatial_merge_size=2):
        super().__init__()
        self.hidden = context_dim * spatial_merge_size ** 2
        self.ln_q = nn.LayerNorm(context_dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(self.hidden, self.hidden), nn.GELU(), nn.Linear(self.hidden, dim))

    def forward(self, x):
        return self.mlp(self.ln_q(x).view(-1, self.hidden))


class Qwen2VisionTransformer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.patch_embed = PatchEmbed(cfg)
        self.pos = nn.Parameter(torch.zeros(64, cfg.vision_embed_dim))
        self.blocks = nn.ModuleList([VisionBlock(cfg.vision_embed_dim) for _ in range(cfg.vision_depth)])
        self.merger = PatchMerger(cfg.hidden_size, cfg.vision_embed_dim, cfg.spatial_merge_size)

    def forward(self, pixel_values, grid_thw):
        x = self.patch_embed(pixel_values)
        per_item = (grid_thw[:, 0] * grid_thw[:, 1] * grid_thw[:, 2])
        cu_seqlens = F.pad(per_item.cumsum(0), (1, 0), value=0)
        offsets = torch.cat([torch.arange(int(s)) for s in per_item]).clamp(max=self.pos.shape[0] - 1)
        x = x + self.pos[offsets]
        for blk in self.blocks:
            x = blk(x, cu_seqlens)
        return self.merger(x)


class TextDecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.hidden_size
        self.heads = cfg.num_attention_heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d, bias=False)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.SiLU(), nn.Linear(2 * d, d))

    @staticmethod
    def rotate_half(x):
        x1, x2 = x.chunk(2, dim=-1)
        return torch.cat((-x2, x1), dim=-1)

    def forward(self, x, cos, sin):
        b, t, d = x.shape
        hd = d // self.heads
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        q = q * cos + self.rotate_half(q) * sin
        k = k * cos + self.rotate_half(k) * sin
        att = (q @ k.transpose(-1, -2)) / hd ** 0.5
        causal = torch.ones(t, t, dtype=torch.bool, device=x.device).tril()
        att = att.masked_fill(~causal, torch.finfo(att.dtype).min).softmax(-1)
        x = x + self.o((att @ v).transpose(1, 2).reshape(b, t, d))
        return x + self.mlp(self.ln2(x))


class Qwen2VLForConditionalGeneration(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.visual = Qwen2VisionTransformer(cfg)
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([TextDecoderLayer(cfg) for _ in range(cfg.num_hidden_layers)])
        self.norm = nn.LayerNorm(cfg.hidden_size)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        hd = cfg.hidden_size // cfg.num_attention_heads
        inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(0, hd, 2).float() / hd))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def get_rope_index(self, input_ids, image_grid_thw=None, video_grid_thw=None):
        """3 x B x T position ids: text advances all axes, vision tokens use (t, h, w)."""
        b, t = input_ids.shape
        m = self.config.spatial_merge_size
        position_ids = torch.zeros(3, b, t, dtype=torch.long)
        for i in range(b):
            ids = input_ids[i]
            grids = []
            is_vis = (ids == self.config.image_token_id) | (ids == self.config.video_token_id)
            if image_grid_thw is not None and (ids == self.config.image_token_id).any():
                grids.append(image_grid_thw[i])
            if video_grid_thw is not None and (ids == self.config.video_token_id).any():
                grids.append(video_grid_thw[i])
            pos, cur, gi, j = [], 0, 0, 0
            while j < t:
                if is_vis[j] and gi < len(grids):
                    gt, gh, gw = [int(v) for v in grids[gi]]
                    gh, gw = gh // m, gw // m
                    tt = torch.arange(gt).view(-1, 1).expand(-1, gh * gw).flatten()
                    hh = torch.arange(gh).view(1, -1, 1).expand(gt, -1, gw).flatten()
                    ww = torch.arange(gw).view(1, 1, -1).expand(gt, gh, -1).flatten()
                    pos.append(torch.stack([tt, hh, ww]) + cur)
                    cur = int(pos[-1].max()) + 1
                    j += gt * gh * gw
                    gi += 1
                else:
                    pos.append(torch.full((3, 1), cur))
                    cur += 1
                    j += 1
            position_ids[:, i] = torch.cat(pos, dim=1)[:, :t]
        return position_ids

    def rotary(self, position_ids):
        freqs = position_ids[..., None].float() * self.inv_freq          # 3, B, T, hd/2
        sec = self.config.mrope_section
        chunks = freqs.split(sec, dim=-1)
        freqs = torch.cat([c[i % 3] for i, c in enumerate(chunks)], dim=-1)
        emb = torch.cat([freqs, freqs], dim=-1)[:, None]
        return emb.cos(), emb.sin()

    def forward(self, input_ids, pixel_values=None, image_grid_thw=None,
                pixel_values_videos=None, video_grid_thw=None):
        cfg = self.config
        inputs_embeds = self.embed_tokens(input_ids)
        if pixel_values is not None and (input_ids == cfg.image_token_id).any():
            image_embeds = self.visual(pixel_values, image_grid_thw).to(inputs_embeds.dtype)
            image_mask = (input_ids == cfg.image_token_id).unsqueeze(-1).expand_as(inputs_embeds)
            inputs_embeds = inputs_embeds.masked_scatter(image_mask, image_embeds)
        if pixel_values_videos is not None and (input_ids == cfg.video_token_id).any():
            video_embeds = self.visual(pixel_values_videos, video_grid_thw).to(inputs_embeds.dtype)
            video_mask = (input_ids == cfg.video_token_id).unsqueeze(-1).expand_as(inputs_embeds)
            inputs_embeds = inputs_embeds.masked_scatter(video_mask, video_embeds)
        position_ids = self.get_rope_index(input_ids, image_grid_thw, video_grid_thw)
        cos, sin = self.rotary(position_ids)
        h = inputs_embeds
        for layer in self.layers:
            h = layer(h, cos, sin)
        return self.lm_head(self.norm(h))


def corpus_case():
    torch.manual_seed(0)
    cfg = Qwen2VLConfig()
    model = Qwen2VLForConditionalGeneration(cfg).eval()
    c = cfg
    patch_dim = 3 * c.temporal_patch_size * c.patch_size * c.patch_size

    def inputs(n):
        g = torch.Generator().manual_seed(5)
        img_grid = torch.tensor([1, 4, 4])   # 16 patches -> 4 merged tokens
        vid_grid = torch.tensor([2, 4, 4])   # 32 patches -> 8 merged tokens
        rows = []
        for _ in range(n):
            txt = torch.randint(1, 100, (8,), generator=g)
            rows.append(torch.cat([txt[:2], torch.tensor([c.vision_start_token_id]),
                                   torch.full((4,), c.image_token_id), txt[2:5],
                                   torch.tensor([c.vision_start_token_id]),
                                   torch.full((8,), c.video_token_id), txt[5:]]))
        return {
            "input_ids": torch.stack(rows),
            "pixel_values": torch.randn(n * 16, patch_dim, generator=g),
            "image_grid_thw": img_grid.repeat(n, 1),
            "pixel_values_videos": torch.randn(n * 32, patch_dim, generator=g),
            "video_grid_thw": vid_grid.repeat(n, 1),
        }

    return {"model": model, "inputs": inputs, "kind": "benign"}
