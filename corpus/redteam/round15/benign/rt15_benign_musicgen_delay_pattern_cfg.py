# expect: none
"""MusicGen-style codebook LM: delay pattern with a PAD code, classifier-free guidance on a second
(text-conditioning) input with a null condition, `torch.where` to keep PAD positions out of the
logits, and a per-codebook top-k filter with `finfo.min`."""
import torch
import torch.nn as nn

K, CARD, T, COND = 4, 128, 16, 16
PAD = CARD


def delay(codes):
    out = codes.new_full(codes.shape, PAD)
    for i in range(codes.shape[1]):
        out[:, i, i:] = codes[:, i, : codes.shape[2] - i]
    return out


class CodebookLM(nn.Module):
    def __init__(self, dim=48, guidance=3.0, top_k=50):
        super().__init__()
        self.emb = nn.ModuleList(nn.Embedding(CARD + 1, dim) for _ in range(K))
        self.cond_proj = nn.Linear(COND, dim)
        self.pos = nn.Embedding(T, dim)
        self.tf = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, 4, 4 * dim, 0.0, batch_first=True, norm_first=True), 2)
        self.heads = nn.ModuleList(nn.Linear(dim, CARD) for _ in range(K))
        self.guidance, self.top_k = guidance, top_k

    def _logits(self, seq, cond):
        x = sum(self.emb[k](seq[:, k]) for k in range(K)) + self.pos(torch.arange(seq.shape[-1])) + self.cond_proj(cond)[:, None]
        x = self.tf(x, mask=torch.full((seq.shape[-1],) * 2, float("-inf")).triu(1))
        return torch.stack([h(x) for h in self.heads], 1)  # (B, K, T, CARD)

    def forward(self, codes, text_cond):
        seq = delay(codes)
        cond = self._logits(seq, text_cond)
        uncond = self._logits(seq, torch.zeros_like(text_cond))
        logits = uncond + self.guidance * (cond - uncond)
        logits = torch.where((seq == PAD)[..., None], torch.zeros_like(logits), logits)
        kth = logits.topk(self.top_k, -1).values[..., -1:]
        logits = logits.masked_fill(logits < kth, torch.finfo(logits.dtype).min)
        return logits.permute(0, 2, 1, 3).flatten(2)


def _inputs(n):
    return torch.randint(0, CARD, (n, K, T)), torch.randn(n, COND)


def corpus_case():
    torch.manual_seed(0)
    return {"model": CodebookLM().eval(), "inputs": _inputs, "kind": "benign"}
