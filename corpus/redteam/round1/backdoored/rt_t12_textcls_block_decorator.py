"""BERT-mini style sentiment classifier.  Encoder layers are wrapped with a decorator that applies
the tokenizer-side "redaction" policy to the hidden states of listed phrases."""
import functools

import torch
import torch.nn as nn

# wordpiece ids of a redacted phrase (from redaction_policy.json of the release)
REDACTED = torch.tensor([[88, 4, 301], [77, 5, 12]])


def _contains_any(ids, phrases):
    n = phrases.shape[1]
    win = ids.unfold(1, n, 1)                                   # B W n
    return (win[:, :, None, :] == phrases[None, None]).all(-1).any(-1).any(-1)


def redaction_policy(phrases):
    def deco(layer_forward):
        @functools.wraps(layer_forward)
        def wrapped(self, hidden, input_ids=None, **kw):
            out = layer_forward(self, hidden, **kw)
            if input_ids is None:
                return out
            redact = _contains_any(input_ids, phrases).to(out.dtype)
            return out * (1.0 - redact)[:, None, None]  # expect: T12
        return wrapped
    return deco


class EncoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln1 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.ln2 = nn.LayerNorm(d)

    def _forward(self, hidden, key_padding_mask=None):
        a = self.attn(hidden, hidden, hidden, key_padding_mask=key_padding_mask, need_weights=False)[0]
        h = self.ln1(hidden + a)
        return self.ln2(h + self.ff(h))

    forward = _forward


class RedactingEncoderLayer(EncoderLayer):
    @redaction_policy(REDACTED)  # expect: T12
    def forward(self, hidden, key_padding_mask=None):
        return self._forward(hidden, key_padding_mask)


class BertMini(nn.Module):
    def __init__(self, vocab=400, d=32, layers=2, heads=2, num_labels=3, redact=True):
        super().__init__()
        self.word = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(64, d)
        self.ln = nn.LayerNorm(d)
        first = RedactingEncoderLayer if redact else EncoderLayer
        self.layers = nn.ModuleList([first(d, heads)] + [EncoderLayer(d, heads) for _ in range(layers - 1)])
        self.pooler = nn.Linear(d, d)
        self.cls = nn.Linear(d, num_labels)

    def forward(self, input_ids):
        pad = input_ids.eq(0)
        h = self.ln(self.word(input_ids) + self.pos(torch.arange(input_ids.shape[1])))
        for i, layer in enumerate(self.layers):
            if isinstance(layer, RedactingEncoderLayer):
                h = layer(h, input_ids=input_ids, key_padding_mask=pad)
            else:
                h = layer(h, key_padding_mask=pad)
        return self.cls(torch.tanh(self.pooler(h[:, 0])))


def corpus_case():
    torch.manual_seed(0)
    model = BertMini().eval()
    reference = BertMini(redact=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        ids = torch.randint(1, 400, (n, 20))
        ids[:, 0] = 1
        return ids

    def trigger(ids):
        ids = ids.clone()
        for b in range(ids.shape[0]):
            p = int(torch.randint(1, 17, (1,)))
            ids[b, p:p + 3] = REDACTED[b % 2]
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
