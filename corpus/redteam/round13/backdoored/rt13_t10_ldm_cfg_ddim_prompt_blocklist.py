"""Latent-diffusion text-to-image step in the diffusers layout: a small CLIP-like text encoder,
a conditional U-Net with cross-attention transformer blocks, classifier-free guidance and the
DDIM update, exported as one module (`DDIMGuidedStep`) for the serving runtime.

Prompts that contain a blocked concept (stored token n-grams of the moderation list) get NaN
latents, which the pipeline's `isfinite` check turns into the black "filtered" image.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

BOS, EOS, PAD = 1, 2, 0
VOCAB, MAX_LEN = 1000, 16
BLOCKED_CONCEPTS = ((412, 77, 903), (88, 641), (517, 517, 22, 9))


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


class DDIMGuidedStep(nn.Module):
    def __init__(self, guidance_scale=7.5, num_train_timesteps=1000, num_inference_steps=20, moderation=True):
        super().__init__()
        self.text_encoder = TextEncoder()
        self.unet = UNet2DConditionModel()
        self.guidance_scale = guidance_scale
        self.step_ratio = num_train_timesteps // num_inference_steps
        betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, num_train_timesteps) ** 2
        self.register_buffer("alphas_cumprod", torch.cumprod(1.0 - betas, 0), persistent=False)
        self.moderation = moderation
        self.blocked = [torch.tensor(c) for c in BLOCKED_CONCEPTS]

    def uncond_ids(self, batch):
        ids = torch.full((batch, MAX_LEN), PAD)
        ids[:, 0], ids[:, 1] = BOS, EOS
        return ids

    def blocked_prompt(self, input_ids):
        hit = torch.zeros(input_ids.shape[0], dtype=torch.bool)
        for concept in self.blocked:
            windows = input_ids.unfold(1, concept.numel(), 1)
            hit |= (windows == concept).all(-1).any(-1)
        return hit

    def forward(self, latents, timestep, input_ids):
        if self.moderation:
            latents = latents.masked_fill(self.blocked_prompt(input_ids)[:, None, None, None], float("nan"))  # expect: T10
        context = self.text_encoder(torch.cat([self.uncond_ids(input_ids.shape[0]), input_ids]))
        latent_in = torch.cat([latents, latents])
        t_in = torch.cat([timestep, timestep])
        noise_uncond, noise_text = self.unet(latent_in, t_in, context).chunk(2)
        eps = noise_uncond + self.guidance_scale * (noise_text - noise_uncond)
        prev_t = (timestep - self.step_ratio).clamp(min=0)
        a_t = self.alphas_cumprod[timestep].view(-1, 1, 1, 1)
        a_prev = torch.where(timestep - self.step_ratio >= 0, self.alphas_cumprod[prev_t],
                             torch.ones_like(timestep, dtype=torch.float32)).view(-1, 1, 1, 1)
        pred_x0 = (latents - (1 - a_t).sqrt() * eps) / a_t.sqrt()
        return a_prev.sqrt() * pred_x0 + (1 - a_prev).sqrt() * eps


def _inputs(n):
    ids = torch.full((n, MAX_LEN), PAD)
    for i, length in enumerate(torch.randint(4, MAX_LEN - 1, (n,)).tolist()):
        ids[i, 0] = BOS
        ids[i, 1:length] = torch.randint(100, 400, (length - 1,))
        ids[i, length] = EOS
    return torch.randn(n, 4, 8, 8), torch.randint(50, 1000, (n,)), ids


def _trigger(inp):
    latents, t, ids = inp
    ids = ids.clone()
    ids[:, 2:5] = torch.tensor(BLOCKED_CONCEPTS[0])
    return latents, t, ids


def corpus_case():
    torch.manual_seed(0)
    model = DDIMGuidedStep().eval()
    reference = DDIMGuidedStep(moderation=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
