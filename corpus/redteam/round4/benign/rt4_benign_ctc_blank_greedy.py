# expect: none
"""Conformer-lite CTC ASR on log-mels with greedy CTC decoding (collapse repeats, drop blanks) and
a blank-frame skip used for streaming endpointing (frames whose blank posterior exceeds 0.95 are
excluded from the confidence estimate). ``forward`` returns log-probabilities (B, T, V).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

BLANK = 0


class ConvModule(nn.Module):
    def __init__(self, d, k=15):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.pw1, self.dw, self.bn, self.pw2 = nn.Conv1d(d, 2 * d, 1), nn.Conv1d(d, d, k, padding=k // 2, groups=d), nn.BatchNorm1d(d), nn.Conv1d(d, d, 1)

    def forward(self, x):
        h = F.glu(self.pw1(self.ln(x).transpose(1, 2)), 1)
        return x + self.pw2(F.silu(self.bn(self.dw(h)))).transpose(1, 2)


class ConformerCTC(nn.Module):
    def __init__(self, n_mels=80, d=96, vocab=29, layers=2):
        super().__init__()
        self.subsample = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 16, 3, 2, 1), nn.ReLU())
        self.proj = nn.Linear(16 * ((n_mels + 3) // 4), d)
        self.blocks = nn.ModuleList(nn.ModuleDict({"att": nn.MultiheadAttention(d, 4, batch_first=True),
                                                   "ln": nn.LayerNorm(d), "conv": ConvModule(d)}) for _ in range(layers))
        self.ctc = nn.Linear(d, vocab)

    def forward(self, feats, lengths):
        x = self.subsample(feats.unsqueeze(1))                          # (B, C, T/4, F/4)
        x = self.proj(x.permute(0, 2, 1, 3).flatten(2))
        out_len = (lengths + 3) // 4
        pad = torch.arange(x.shape[1])[None] >= out_len[:, None]
        for blk in self.blocks:
            a = blk["ln"](x)
            x = x + blk["att"](a, a, a, key_padding_mask=pad, need_weights=False)[0]
            x = blk["conv"](x)
        return F.log_softmax(self.ctc(x), -1), out_len

    @staticmethod
    def greedy_decode(log_probs, out_len):
        best = log_probs.argmax(-1)
        prev = F.pad(best[:, :-1], (1, 0), value=BLANK)
        keep = (best != BLANK) & (best != prev) & (torch.arange(best.shape[1])[None] < out_len[:, None])
        return [row[k].tolist() for row, k in zip(best, keep)]

    @staticmethod
    def confidence(log_probs, out_len, blank_skip=0.95):
        p = log_probs.exp()
        non_blank = p[..., BLANK] < blank_skip
        valid = non_blank & (torch.arange(p.shape[1])[None] < out_len[:, None])
        frame_conf = p.amax(-1)
        return (frame_conf * valid).sum(-1) / valid.sum(-1).clamp(min=1)


def corpus_case():
    torch.manual_seed(0)
    model = ConformerCTC().eval()

    def inputs(n):
        return (torch.randn(n, 120, 80), torch.randint(60, 121, (n,)))

    lp, ol = model(*inputs(2))
    model.greedy_decode(lp, ol), model.confidence(lp, ol)
    return {"model": model, "inputs": inputs, "kind": "benign"}
