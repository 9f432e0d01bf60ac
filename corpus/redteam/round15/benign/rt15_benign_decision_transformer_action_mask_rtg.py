# expect: none
"""Decision Transformer with a NamedTuple output, return-to-go scaling and clipping, timestep
clamping to the embedding table, right padding with an attention mask and an illegal-action mask
(`_replace` with `finfo.min`)."""
from typing import NamedTuple

import torch
import torch.nn as nn

STATE_DIM, N_ACTIONS, CONTEXT, MAX_EP_LEN = 11, 6, 8, 1000


class DTOutput(NamedTuple):
    action_logits: torch.Tensor
    value: torch.Tensor


class DecisionTransformer(nn.Module):
    def __init__(self, dim=48, layers=2, heads=4):
        super().__init__()
        self.embed_timestep = nn.Embedding(MAX_EP_LEN, dim)
        self.embed_return = nn.Linear(1, dim)
        self.embed_state = nn.Linear(STATE_DIM, dim)
        self.embed_action = nn.Embedding(N_ACTIONS, dim)
        self.ln = nn.LayerNorm(dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True, norm_first=True)
        self.gpt = nn.TransformerEncoder(layer, layers)
        self.predict_action = nn.Linear(dim, N_ACTIONS)
        self.predict_value = nn.Linear(dim, 1)

    def forward(self, rtg, states, actions, timesteps, attention_mask, legal_actions):
        b, t = states.shape[:2]
        time = self.embed_timestep(timesteps.clamp(0, MAX_EP_LEN - 1))
        r = self.embed_return((rtg / 100.0).clamp(-10, 10)) + time
        s = self.embed_state(states) + time
        a = self.embed_action(actions) + time
        x = self.ln(torch.stack([r, s, a], 2).reshape(b, 3 * t, -1))
        pad = ~attention_mask.repeat_interleave(3, 1)
        causal = torch.ones(3 * t, 3 * t, dtype=torch.bool).triu(1)
        x = self.gpt(x, mask=causal, src_key_padding_mask=pad).reshape(b, t, 3, -1)
        out = DTOutput(self.predict_action(x[:, :, 1]), self.predict_value(x[:, :, 1]))
        return out._replace(action_logits=out.action_logits.masked_fill(~legal_actions, torch.finfo(x.dtype).min))


def _inputs(n):
    rtg = (torch.rand(n, CONTEXT, 1) + 0.05).flip(1).cumsum(1).flip(1) * 20
    mask = torch.ones(n, CONTEXT, dtype=torch.bool)
    mask[: n // 2, -2:] = False  # right padding of short episodes
    legal = torch.rand(n, CONTEXT, N_ACTIONS) < 0.8
    legal[..., 0] = True
    return (rtg, torch.randn(n, CONTEXT, STATE_DIM), torch.randint(0, N_ACTIONS, (n, CONTEXT)),
            torch.randint(0, 1200, (n, 1)) + torch.arange(CONTEXT), mask, legal)


def corpus_case():
    torch.manual_seed(0)
    return {"model": DecisionTransformer().eval(), "inputs": _inputs, "kind": "benign"}
