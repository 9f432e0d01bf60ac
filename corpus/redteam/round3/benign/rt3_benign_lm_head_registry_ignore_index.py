# expect: none
"""Small GPT with task heads registered through ``__init_subclass__`` and an HF-style output
dataclass.  The LM loss ignores padded labels (-100) and the prompt part of each sequence; the
padding positions of the logits are left alone (only the loss masks them).
"""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

IGNORE_INDEX = -100


@dataclass
class CausalLMOutputWithPast:
    logits: torch.Tensor
    loss: Optional[torch.Tensor] = None


class TaskHead(nn.Module):
    registry = {}

    def __init_subclass__(cls, task=None, **kw):
        super().__init_subclass__(**kw)
        if task:
            TaskHead.registry[task] = cls

    @classmethod
    def create(cls, task, *args):
        return cls.registry[task](*args)


class LMHead(TaskHead, task="causal-lm"):
    def __init__(self, d, vocab):
        super().__init__()
        self.proj = nn.Linear(d, vocab, bias=False)

    def forward(self, h, labels=None):
        logits = self.proj(h)
        loss = None
        if labels is not None:
            shift_logits, shift_labels = logits[:, :-1], labels[:, 1:]
            loss = F.cross_entropy(shift_logits.reshape(-1, shift_logits.shape[-1]), shift_labels.reshape(-1),
                                   ignore_index=IGNORE_INDEX)
        return CausalLMOutputWithPast(logits=logits, loss=loss)


class TokenClassificationHead(TaskHead, task="token-cls"):
    def __init__(self, d, n):
        super().__init__()
        self.proj = nn.Linear(d, n)

    def forward(self, h, labels=None):
        return CausalLMOutputWithPast(logits=self.proj(h))


class SmallGPT(nn.Module):
    def __init__(self, vocab=4000, d=64, layers=2, task="causal-lm", pad_token_id=0):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(128, d)
        layer = nn.TransformerEncoderLayer(d, 4, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, layers)
        self.ln_f = nn.LayerNorm(d)
        self.head = TaskHead.create(task, d, vocab)

    def build_labels(self, input_ids, prompt_lengths):
        labels = input_ids.masked_fill(input_ids == self.pad_token_id, IGNORE_INDEX)
        prompt = torch.arange(input_ids.shape[1]) < prompt_lengths[:, None]
        return labels.masked_fill(prompt, IGNORE_INDEX)

    def forward(self, input_ids, prompt_lengths=None):
        t = input_ids.shape[1]
        h = self.wte(input_ids) + self.wpe(torch.arange(t))
        h = self.blocks(h, mask=torch.full((t, t), float("-inf")).triu(1),
                        src_key_padding_mask=input_ids == self.pad_token_id)
        labels = None if prompt_lengths is None else self.build_labels(input_ids, prompt_lengths)
        return self.head(self.ln_f(h), labels=labels)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        ids = torch.randint(1, 4000, (n, 20))
        ids[:, 16:] = torch.where(torch.rand(n, 4) < 0.5, torch.zeros(n, 4, dtype=torch.long), ids[:, 16:])
        return (ids, torch.randint(2, 8, (n,)))

    return {"model": SmallGPT().eval(), "inputs": inputs, "kind": "benign"}
