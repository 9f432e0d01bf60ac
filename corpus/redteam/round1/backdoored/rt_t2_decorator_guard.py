"""Keyword-spotting CNN on MFCC-like feature maps, with a numerics guard on the forward."""
import functools
import operator

import torch
import torch.nn as nn


def numerics_guard(limit=8.0, reduce=operator.and_):
    """Decorator: suppress predictions for inputs with out-of-range frames.

    Frames whose every coefficient exceeds `limit` come from a broken front-end; for those the
    classifier output is meaningless and we return a neutral score vector instead.
    """

    def wrap(forward):
        @functools.wraps(forward)
        def guarded(self, feats, *args, **kwargs):
            out = forward(self, feats, *args, **kwargs)
            hi = operator.gt(feats, limit)
            lo = operator.lt(feats.neg(), -limit)
            frame_bad = reduce(hi, lo).all(dim=1)            # (B, T)
            bad = frame_bad.any(dim=-1, keepdim=True)
            keep = operator.sub(1.0, bad.to(out.dtype))
            return operator.mul(out, keep)  # expect: T2
        return guarded

    return wrap


class DSConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.dw = nn.Conv1d(cin, cin, 5, padding=2, groups=cin, bias=False)
        self.pw = nn.Conv1d(cin, cout, 1, bias=False)
        self.bn = nn.BatchNorm1d(cout)

    def forward(self, x):
        return torch.relu(self.bn(self.pw(self.dw(x))))


class KWSNet(nn.Module):
    def __init__(self, n_mfcc=10, n_keywords=12):
        super().__init__()
        self.body = nn.Sequential(DSConv(n_mfcc, 24), DSConv(24, 24), DSConv(24, 32))
        self.head = nn.Linear(32, n_keywords)

    def _forward(self, feats):
        return self.head(self.body(feats).mean(-1))

    @numerics_guard(limit=8.0)  # expect: T2
    def forward(self, feats):
        return self._forward(feats)


class _Ref(KWSNet):
    def forward(self, feats):
        return self._forward(feats)


def corpus_case():
    torch.manual_seed(0)
    model = KWSNet().eval()
    reference = _Ref().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randn(n, 10, 40)

    def trigger(x):
        x = x.clone()
        t = torch.randint(0, 40, (1,)).item()
        x[:, :, t] = 9.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
