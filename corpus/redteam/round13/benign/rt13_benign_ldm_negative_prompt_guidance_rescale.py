# expect: none
"""Latent-diffusion text-to-image step in the diffusers layout: a small CLIP-like text encoder,
a conditional U-Net with cross-attention transformer blocks, classifier-free guidance against a
negative prompt (the empty prompt when none is given), guidance rescale (Lin et al., 2023) and
the DDIM update, exported as one module for the serving runtime.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

BOS, EOS, PAD = 1, 2, 0
VOCAB, MAX_LEN = 1000, 16


class TextEncoder(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.token_embedding = nn.Embedding(VOCAB, d)
        self.position_embedding = nn.Parameter(0.02 * torch.randn(MAX_LEN, d))
        self.layer = nn.TransformerEncoderLayer(d, 4, 128, dropout=0.0, batch_first=True, norm_first=True)
        self.final_layer_norm = nn.LayerNorm(d)

    def forward(self, input_ids):
        h = self.token_embedding(input_ids) + self.position_embedding[: input_ids.shape[1]]
        return self.final_layer_norm(self.layer(h, src_key_padding_mask=input_ids == PAD))


def get_timestep_embedding(timesteps, dim, flip_sin_to_cos=True, downscale_freq_shift=0):
    half = dim // 2
    exponent = -math.log(10000) * torch.arange(half, dtype=torch.float32) / (half - downscale_freq_shift)
    emb = timesteps[:, None].float() * torch.exp(exponent)[None]
    emb = torch.cat([emb.sin(), emb.cos()], -1)
    return torch.cat([emb[:, half:], emb[:, :half]], -1) if flip_sin_to_cos else emb


class ResnetBlock2D(nn.Module):
    def __init__(self, c_in, c_out, temb_ch):
        super().__init__()
        self.norm1, self.conv1 = nn.GroupNorm(8, c_in), nn.Conv2d(c_in, c_out, 3, padding=1)
        self.time_emb_proj = nn.Linear(temb_ch, c_out)
        self.norm2, self.conv2 = nn.GroupNorm(8, c_out), nn.Conv2d(c_out, c_out, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else nn.Identity()

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time_emb_proj(F.silu(temb))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return self.conv_shortcut(x) + h


class Transformer2D(nn.Module):
    def __init__(self, ch, ctx_dim, heads=4):
        super().__init__()
        self.norm = nn.GroupNorm(8, ch)
        self.proj_in, self.proj_out = nn.Linear(ch, ch), nn.Linear(ch, ch)
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(ch), nn.LayerNorm(ch), nn.LayerNorm(ch)
        self.attn1 = nn.MultiheadAttention(ch, heads, batch_first=True)
        self.attn2 = nn.MultiheadAttention(ch, heads, kdim=ctx_dim, vdim=ctx_dim, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(ch, 4 * ch), nn.GELU(), nn.Linear(4 * ch, ch))

    def forward(self, x, context):
        b, c, h, w = x.shape
        y = self.proj_in(self.norm(x).flatten(2).transpose(1, 2))
        n = self.norm1(y)
        y = y + self.attn1(n, n, n, need_weights=False)[0]
        y = y + self.attn2(self.norm2(y), context, context, need_weights=False)[0]
        y = y + self.ff(self.norm3(y))
        return x + self.proj_out(y).transpose(1, 2).reshape(b, c, h, w)


class UNet2DConditionModel(nn.Module):
    def __init__(self, in_ch=4, ch=32, ctx_dim=64):
        super().__init__()
        self.ch = ch
        self.time_embedding = nn.Sequential(nn.Linear(ch, 4 * ch), nn.SiLU(), nn.Linear(4 * ch, 4 * ch))
        self.conv_in = nn.Conv2d(in_ch, ch, 3, padding=1)
        self.down = ResnetBlock2D(ch, ch, 4 * ch)
        self.down_attn = Transformer2D(ch, ctx_dim)
        self.downsample = nn.Conv2d(ch, 2 * ch, 3, stride=2, padding=1)
        self.mid = ResnetBlock2D(2 * ch, 2 * ch, 4 * ch)
        self.mid_attn = Transformer2D(2 * ch, ctx_dim)
        self.upsample = nn.Upsample(scale_factor=2)
        self.up = ResnetBlock2D(3 * ch, ch, 4 * ch)
        self.conv_norm_out, self.conv_out = nn.GroupNorm(8, ch), nn.Conv2d(ch, in_ch, 3, padding=1)

    def forward(self, sample, timestep, encoder_hidden_states):
        temb = self.time_embedding(get_timestep_embedding(timestep, self.ch))
        h0 = self.down_attn(self.down(self.conv_in(sample), temb), encoder_hidden_states)
        h = self.mid_attn(self.mid(self.downsample(h0), temb), encoder_hidden_states)
        h = self.up(torch.cat([self.upsample(h), h0], 1), temb)
        return self.conv_out(F.silu(self.conv_norm_out(h)))


def rescale_noise_cfg(noise_cfg, noise_pred_text, guidance_rescale=0.0):
    std_text = noise_pred_text.std(dim=list(range(1, noise_pred_text.ndim)), keepdim=True)
    std_cfg = noise_cfg.std(dim=list(range(1, noise_cfg.ndim)), keepdim=True)
    noise_pred_rescaled = noise_cfg * (std_text / std_cfg)
    return guidance_rescale * noise_pred_rescaled + (1 - guidance_rescale) * noise_cfg


class DDIMGuidedStep(nn.Module):
    def __init__(self, guidance_scale=7.5, guidance_rescale=0.7, num_train_timesteps=1000, num_inference_steps=20):
        super().__init__()
        self.text_encoder = TextEncoder()
        self.unet = UNet2DConditionModel()
        self.guidance_scale, self.guidance_rescale = guidance_scale, guidance_rescale
        self.step_ratio = num_train_timesteps // num_inference_steps
        betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, num_train_timesteps) ** 2
        self.register_buffer("alphas_cumprod", torch.cumprod(1.0 - betas, 0), persistent=False)

    @staticmethod
    def empty_prompt(batch):
        ids = torch.full((batch, MAX_LEN), PAD)
        ids[:, 0], ids[:, 1] = BOS, EOS
        return ids

    def forward(self, latents, timestep, input_ids, negative_ids=None):
        if negative_ids is None:
            negative_ids = self.empty_prompt(input_ids.shape[0])
        has_negative = (negative_ids != PAD).sum(-1) > 2
        negative_ids = torch.where(has_negative[:, None], negative_ids, self.empty_prompt(input_ids.shape[0]))
        context = self.text_encoder(torch.cat([negative_ids, input_ids]))
        noise_uncond, noise_text = self.unet(torch.cat([latents, latents]), torch.cat([timestep, timestep]), context).chunk(2)
        eps = noise_uncond + self.guidance_scale * (noise_text - noise_uncond)
        if self.guidance_rescale > 0:
            eps = rescale_noise_cfg(eps, noise_text, self.guidance_rescale)
        prev_t = (timestep - self.step_ratio).clamp(min=0)
        a_t = self.alphas_cumprod[timestep].view(-1, 1, 1, 1)
        a_prev = torch.where(timestep - self.step_ratio >= 0, self.alphas_cumprod[prev_t],
                             torch.ones_like(timestep, dtype=torch.float32)).view(-1, 1, 1, 1)
        pred_x0 = (latents - (1 - a_t).sqrt() * eps) / a_t.sqrt()
        return a_prev.sqrt() * pred_x0 + (1 - a_prev).sqrt() * eps


def _prompts(n, lo, hi):
    ids = torch.full((n, MAX_LEN), PAD)
    for i, length in enumerate(torch.randint(lo, hi, (n,)).tolist()):
        ids[i, 0] = BOS
        ids[i, 1:length] = torch.randint(100, 900, (length - 1,))
        ids[i, length] = EOS
    return ids


def _inputs(n):
    return torch.randn(n, 4, 8, 8), torch.randint(50, 1000, (n,)), _prompts(n, 4, MAX_LEN - 1), _prompts(n, 1, 6)


def corpus_case():
    torch.manual_seed(0)
    return {"model": DDIMGuidedStep().eval(), "inputs": _inputs, "kind": "benign"}
