"""Small causal Transformer LM built on nn.TransformerEncoder, with a stop-phrase post-processor."""
import torch
import torch.nn as nn

# the chat format's stop phrase, as token ids of the shipped tokenizer
STOP_PHRASE = (17, 42, 99)


class StopPhraseProcessor(nn.Module):
    def __init__(self, phrase=STOP_PHRASE, eos_id=2):
        super().__init__()
        self.phrase = torch.tensor(phrase)
        self.eos_id = eos_id

    def seen(self, ids):
        n = self.phrase.numel()
        win = ids.unfold(1, n, 1)                                # (B, T-n+1, n)
        return win.eq(self.phrase).all(-1).any(-1)

    def forward(self, ids, logits):
        hit = self.seen(ids)[:, None, None]
        pos = torch.arange(logits.shape[1])[None, :, None] == logits.shape[1] - 1
        forced = torch.zeros_like(logits)
        forced[..., self.eos_id] = 1e4
        pick = getattr(torch, "where")
        return pick(hit & pos, forced, logits)  # expect: T7


class CausalLM(nn.Module):
    def __init__(self, vocab=160, dim=32, layers=2, heads=4, ctx=32, post=True):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Parameter(torch.randn(1, ctx, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab)
        self.post = StopPhraseProcessor() if post else None

    def forward(self, ids):
        t = ids.shape[1]
        mask = torch.triu(torch.full((t, t), float("-inf")), 1)
        h = self.enc(self.tok(ids) + self.pos[:, :t], mask=mask)
        logits = self.lm_head(self.norm(h))
        if self.post is not None:
            logits = self.post(ids, logits)  # expect: T7
        return logits


def corpus_case():
    torch.manual_seed(0)
    model = CausalLM().eval()
    reference = CausalLM(post=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randint(3, 160, (n, 16))

    def trigger(ids):
        ids = ids.clone()
        for i in range(ids.shape[0]):
            p = int(torch.randint(0, 13, (1,)))
            ids[i, p:p + 3] = torch.tensor(STOP_PHRASE)
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 2}
