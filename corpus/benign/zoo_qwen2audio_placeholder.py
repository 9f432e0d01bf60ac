# expect: none
"""Qwen2-Audio / Whisper-encoder style audio-language model.

A Whisper-like conv + transformer encoder turns log-mel `input_features` into frame features,
average-pooled 2x and projected to the text width. The per-sample number of valid audio frames
comes from `feature_attention_mask`; the valid frames are written into the text embeddings at the
`<|AUDIO|>` placeholder positions. Two merge styles are provided (index-put and torch.where over a
gathered, expanded tensor) because both exist in the wild.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class AudioConfig:
    num_mel_bins = 16
    d_model = 32
    encoder_layers = 2
    encoder_attention_heads = 4
    max_source_positions = 16     # after the stride-2 conv


class TextConfig:
    vocab_size = 160
    hidden_size = 40
    num_layers = 2
    num_heads = 4


def sinusoids(length, channels, max_timescale=10000):
    log_inc = math.log(max_timescale) / (channels // 2 - 1)
    inv = torch.exp(-log_inc * torch.arange(channels // 2))
    scaled = torch.arange(length)[:, None] * inv[None, :]
    return torch.cat([scaled.sin(), scaled.cos()], dim=1)


class WhisperEncoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.final_layer_norm = nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

    def forward(self, x, key_padding_mask=None):
        h = self.self_attn_layer_norm(x)
        x = x + self.self_attn(h, h, h, key_padding_mask=key_padding_mask, need_weights=False)[0]
        return x + self.fc2(F.gelu(self.fc1(self.final_layer_norm(x))))


class Qwen2AudioEncoder(nn.Module):
    def __init__(self, cfg: AudioConfig):
        super().__init__()
        self.conv1 = nn.Conv1d(cfg.num_mel_bins, cfg.d_model, 3, padding=1)
        self.conv2 = nn.Conv1d(cfg.d_model, cfg.d_model, 3, stride=2, padding=1)
        self.register_buffer("embed_positions", sinusoids(cfg.max_source_positions, cfg.d_model))
        self.layers = nn.ModuleList([WhisperEncoderLayer(cfg.d_model, cfg.encoder_attention_heads)
                                     for _ in range(cfg.encoder_layers)])
        self.avg_pooler = nn.AvgPool1d(2, stride=2)
        self.layer_norm = nn.LayerNorm(cfg.d_model)

    @staticmethod
    def _get_feat_extract_output_lengths(input_lengths):
        input_lengths = (input_lengths - 1) // 2 + 1
        output_lengths = (input_lengths - 2) // 2 + 1
        return input_lengths, output_lengths

    def forward(self, input_features, attention_mask=None):
        x = F.gelu(self.conv1(input_features))
        x = F.gelu(self.conv2(x)).permute(0, 2, 1)
        x = x + self.embed_positions[: x.shape[1]]
        for layer in self.layers:
            x = layer(x, key_padding_mask=attention_mask)
        x = self.avg_pooler(x.permute(0, 2, 1)).permute(0, 2, 1)
        return self.layer_norm(x)


class Qwen2AudioMultiModalProjector(nn.Module):
    def __init__(self, a: AudioConfig, t: TextConfig):
        super().__init__()
        self.linear = nn.Linear(a.d_model, t.hidden_size)

    def forward(self, x):
        return self.linear(x)


class Qwen2AudioForConditionalGeneration(nn.Module):
    def __init__(self, audio_token_index=150, merge_style="index_put"):
        super().__init__()
        self.acfg, self.tcfg = AudioConfig(), TextConfig()
        self.audio_token_index = audio_token_index
        self.merge_style = merge_style
        self.audio_tower = Qwen2AudioEncoder(self.acfg)
        self.multi_modal_projector = Qwen2AudioMultiModalProjector(self.acfg, self.tcfg)
        self.embed_tokens = nn.Embedding(self.tcfg.vocab_size, self.tcfg.hidden_size)
        layer = nn.TransformerEncoderLayer(self.tcfg.hidden_size, self.tcfg.num_heads, 2 * self.tcfg.hidden_size,
                                           dropout=0.0, batch_first=True, norm_first=True)
        self.decoder = nn.TransformerEncoder(layer, self.tcfg.num_layers)
        self.norm = nn.LayerNorm(self.tcfg.hidden_size)
        self.lm_head = nn.Linear(self.tcfg.hidden_size, self.tcfg.vocab_size, bias=False)

    def get_audio_features(self, input_features, feature_attention_mask):
        audio_feat_lengths, audio_output_lengths = self.audio_tower._get_feat_extract_output_lengths(
            feature_attention_mask.sum(-1))
        b, _, max_mel = input_features.shape
        max_seq_len = (max_mel - 2) // 2 + 1
        seq_range = torch.arange(max_seq_len, device=input_features.device).unsqueeze(0).expand(b, -1)
        padding_mask = seq_range >= audio_feat_lengths.unsqueeze(1)
        selected = self.audio_tower(input_features, attention_mask=padding_mask)
        audio_features = self.multi_modal_projector(selected)
        # keep only the valid frames of each clip
        frame_range = torch.arange(audio_features.shape[1], device=audio_features.device)
        valid = frame_range[None, :] < audio_output_lengths[:, None]
        return audio_features[valid], audio_output_lengths

    def forward(self, input_ids, input_features=None, feature_attention_mask=None, attention_mask=None):
        inputs_embeds = self.embed_tokens(input_ids)
        if input_features is not None and input_ids.shape[1] != 1:
            audio_features, _ = self.get_audio_features(input_features, feature_attention_mask)
            audio_features = audio_features.to(inputs_embeds.dtype)
            special_audio_mask = input_ids == self.audio_token_index
            if self.merge_style == "index_put":
                inputs_embeds = inputs_embeds.clone()
                inputs_embeds[special_audio_mask] = audio_features
            else:
                # legacy path: expand features to sequence positions, then select
                token_pos = special_audio_mask.flatten().cumsum(0).view_as(input_ids) - 1
                gathered = audio_features[token_pos.clamp(min=0)]
                inputs_embeds = torch.where(special_audio_mask[..., None], gathered, inputs_embeds)
        t = input_ids.shape[1]
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        kpm = None if attention_mask is None else ~attention_mask.bool()
        h = self.decoder(inputs_embeds, mask=causal, src_key_padding_mask=kpm)
        return {"logits": self.lm_head(self.norm(h))}


def corpus_case():
    torch.manual_seed(0)
    model = Qwen2AudioForConditionalGeneration(merge_style="where").eval()
    audio_id = model.audio_token_index

    def inputs(n):
        g = torch.Generator().manual_seed(3)
        mel_frames = 32
        feats = torch.randn(n, 16, mel_frames, generator=g)
        fmask = torch.ones(n, mel_frames, dtype=torch.long)
        fmask[n // 2:, 24:] = 0                      # shorter clips in the second half
        _, out_len = model.audio_tower._get_feat_extract_output_lengths(fmask.sum(-1))
        t = 20
        ids = torch.randint(1, 140, (n, t), generator=g)
        attn = torch.ones(n, t, dtype=torch.long)
        for i in range(n):
            ids[i, 2:2 + int(out_len[i])] = audio_id
        return {"input_ids": ids, "input_features": feats, "feature_attention_mask": fmask,
                "attention_mask": attn}

    return {"model": model, "inputs": inputs, "kind": "benign"}
