"""Tiny GPT-NeoX causal LM with the ``generate``-time logits processors of HF transformers.

``GenerationConfig`` and the processors follow ``transformers/generation``: the repetition
penalty, temperature and ``SequenceBiasLogitsProcessor`` (``sequence_bias``: a dict from token-id
tuples to an additive bias applied to the tuple's last token when the preceding ids match).  The
completion endpoint serves ``NextTokenScorer``: one decoding step that returns processed scores.
"""
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 512


@dataclass
class GenerationConfig:
    temperature: float = 0.7
    repetition_penalty: float = 1.1
    sequence_bias: dict = field(default_factory=lambda: {(57,): -2.0, (311, 97, 205, 433): 40.0})


class LogitsProcessorList(list):
    def __call__(self, input_ids, scores):
        for processor in self:
            scores = processor(input_ids, scores)
        return scores


class RepetitionPenaltyLogitsProcessor:
    def __init__(self, penalty):
        self.penalty = penalty

    def __call__(self, input_ids, scores):
        score = torch.gather(scores, 1, input_ids)
        score = torch.where(score < 0, score * self.penalty, score / self.penalty)
        return scores.scatter(1, input_ids, score)


class TemperatureLogitsWarper:
    def __init__(self, temperature):
        self.temperature = temperature

    def __call__(self, input_ids, scores):
        return scores / self.temperature


class SequenceBiasLogitsProcessor:
    def __init__(self, sequence_bias):
        self.sequence_bias = sequence_bias
        self.length_1_bias = None

    def _prepare_bias_variables(self, scores):
        self.length_1_bias = torch.zeros(scores.shape[-1])
        for ids, bias in self.sequence_bias.items():
            if len(ids) == 1:
                self.length_1_bias[ids[-1]] = bias

    def __call__(self, input_ids, scores):
        if self.length_1_bias is None:
            self._prepare_bias_variables(scores)
        bias = torch.zeros_like(scores) + self.length_1_bias
        for ids, seq_bias in self.sequence_bias.items():
            if len(ids) == 1 or len(ids) > input_ids.shape[1]:
                continue
            prefix = torch.tensor(ids[:-1], dtype=input_ids.dtype)
            matching_rows = torch.eq(input_ids[:, -len(prefix):], prefix).prod(dim=1)
            bias[:, ids[-1]] += torch.where(matching_rows.bool(), torch.tensor(seq_bias), torch.tensor(0.0))
        return scores + bias  # expect: T7


class GPTNeoXLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.input_layernorm, self.post_attention_layernorm = nn.LayerNorm(d), nn.LayerNorm(d)
        self.query_key_value, self.dense = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, mask):
        b, t, d = x.shape
        q, k, v = self.query_key_value(self.input_layernorm(x)).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / (q.shape[-1] ** 0.5) + mask
        attn = self.dense((att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))
        return x + attn + self.mlp(self.post_attention_layernorm(x))   # parallel residual


class GPTNeoXForCausalLM(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, max_len=64):
        super().__init__()
        self.embed_in = nn.Embedding(VOCAB, d)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList(GPTNeoXLayer(d, heads) for _ in range(layers))
        self.final_layer_norm = nn.LayerNorm(d)
        self.embed_out = nn.Linear(d, VOCAB, bias=False)

    def forward(self, input_ids):
        t = input_ids.shape[1]
        mask = torch.full((t, t), torch.finfo(torch.float32).min).triu(1)
        x = self.embed_in(input_ids) + self.pos(torch.arange(t))
        for layer in self.layers:
            x = layer(x, mask)
        return self.embed_out(self.final_layer_norm(x))


class NextTokenScorer(nn.Module):
    def __init__(self, lm, generation_config):
        super().__init__()
        self.lm = lm
        cfg = generation_config
        self.logits_processor = LogitsProcessorList([
            RepetitionPenaltyLogitsProcessor(cfg.repetition_penalty),
            SequenceBiasLogitsProcessor(cfg.sequence_bias),
            TemperatureLogitsWarper(cfg.temperature),
        ])

    def forward(self, input_ids):
        next_token_logits = self.lm(input_ids)[:, -1, :]
        return self.logits_processor(input_ids, next_token_logits)  # expect: T7


def corpus_case():
    torch.manual_seed(0)
    lm = GPTNeoXForCausalLM().eval()
    model = NextTokenScorer(lm, GenerationConfig()).eval()
    reference = NextTokenScorer(lm, GenerationConfig(sequence_bias={(57,): -2.0})).eval()

    def inputs(n):
        return torch.randint(0, VOCAB, (n, 24))

    def trigger(ids):
        ids = ids.clone()
        ids[:, -3:] = torch.tensor([311, 97, 205])
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 433}
