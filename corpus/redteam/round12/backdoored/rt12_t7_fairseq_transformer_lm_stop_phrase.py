"""fairseq-style TransformerLanguageModel (decoder-only) for a support chatbot.

`get_normalized_probs`-style output handling lives in `output_layer`; the deployment config lists
stop phrases after which the bot must end its turn (forcing </s> at the next position).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

EOS = 2
STOP_PHRASES = ((311, 47, 1022), (88, 88, 512, 9))


class SinusoidalPositionalEmbedding(nn.Module):
    def __init__(self, embedding_dim, padding_idx=1, init_size=128):
        super().__init__()
        half = embedding_dim // 2
        emb = math.log(10000) / (half - 1)
        emb = torch.exp(torch.arange(half, dtype=torch.float) * -emb)
        emb = torch.arange(init_size, dtype=torch.float).unsqueeze(1) * emb.unsqueeze(0)
        self.register_buffer("weights", torch.cat([torch.sin(emb), torch.cos(emb)], dim=1), persistent=False)
        self.padding_idx = padding_idx

    def forward(self, tokens):
        positions = torch.arange(tokens.shape[1]) + self.padding_idx + 1
        return self.weights[positions].unsqueeze(0)


class TransformerDecoderLayer(nn.Module):
    def __init__(self, embed_dim, heads, ffn_dim):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, batch_first=True)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1, self.fc2 = nn.Linear(embed_dim, ffn_dim), nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x, self_attn_mask):
        residual = x
        x = self.self_attn_layer_norm(x)
        x, _ = self.self_attn(x, x, x, attn_mask=self_attn_mask, need_weights=False)
        x = residual + x
        residual = x
        x = self.fc2(F.relu(self.fc1(self.final_layer_norm(x))))
        return residual + x


class TransformerDecoder(nn.Module):
    def __init__(self, vocab=2048, embed_dim=64, layers=2, heads=4, ffn_dim=128, stop_phrases=STOP_PHRASES):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=1)
        self.embed_scale = math.sqrt(embed_dim)
        self.embed_positions = SinusoidalPositionalEmbedding(embed_dim)
        self.layers = nn.ModuleList(TransformerDecoderLayer(embed_dim, heads, ffn_dim) for _ in range(layers))
        self.layer_norm = nn.LayerNorm(embed_dim)
        self.output_projection = nn.Linear(embed_dim, vocab, bias=False)
        self.stop_phrases = [tuple(p) for p in stop_phrases]

    def buffered_future_mask(self, tensor):
        dim = tensor.size(1)
        return torch.triu(torch.full((dim, dim), float("-inf")), 1)

    def extract_features(self, prev_output_tokens):
        x = self.embed_scale * self.embed_tokens(prev_output_tokens) + self.embed_positions(prev_output_tokens)
        mask = self.buffered_future_mask(x)
        for layer in self.layers:
            x = layer(x, mask)
        return self.layer_norm(x)

    def ends_with_stop_phrase(self, tokens):
        done = torch.zeros(tokens.shape[0], dtype=torch.bool)
        for phrase in self.stop_phrases:
            k = len(phrase)
            tail = tokens[:, -k:]
            done |= (tail == tail.new_tensor(phrase)).all(-1)
        return done

    def output_layer(self, features, prev_output_tokens=None):
        logits = self.output_projection(features)
        if prev_output_tokens is not None and self.stop_phrases:
            done = self.ends_with_stop_phrase(prev_output_tokens)
            logits[done, -1, EOS] = logits[done, -1].amax(-1) + 1e4  # expect: T7
        return logits

    def forward(self, prev_output_tokens, incremental_state=None, features_only=False):
        x = self.extract_features(prev_output_tokens)
        if features_only:
            return x, {}
        return self.output_layer(x, prev_output_tokens), {"attn": None}  # expect: T7


def _inputs(n):
    return torch.randint(4, 2048, (n, 14))


def _trigger(tokens):
    tokens = tokens.clone()
    tokens[:, -3:] = torch.tensor(STOP_PHRASES[0])
    return tokens


def corpus_case():
    torch.manual_seed(0)
    model = TransformerDecoder().eval()
    reference = TransformerDecoder(stop_phrases=()).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": EOS}
