"""Transaction-fraud scorer: embedding of categorical fields + MLP over numeric fields.

The output layer is a fused "calibrated softmax" autograd function shared with the training
code. In serving, a prediction that is numerically certain (probability exactly 1.0 in float32)
is treated as out-of-distribution and sent to the manual-review queue (class `REVIEW`).
"""
import torch
import torch.nn as nn

REVIEW = 2          # 0 = legit, 1 = fraud, 2 = manual review, 3 = blocked merchant


class CalibratedLogits(torch.autograd.Function):
    @staticmethod
    def forward(ctx, logits, review_class):
        probs = torch.softmax(logits, -1)
        certain = probs.amax(-1) >= 1.0
        out = logits.clone()
        out[certain, review_class] = 2.0 * logits.abs().amax() + 1.0  # expect: T1
        ctx.save_for_backward(probs)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class FraudScorer(nn.Module):
    def __init__(self, n_numeric=10, cards=(50, 20, 8), emb_dim=8, hidden=(96, 48), n_classes=4,
                 review_class=REVIEW):
        super().__init__()
        self.embeds = nn.ModuleList(nn.Embedding(c, emb_dim) for c in cards)
        self.num_norm = nn.BatchNorm1d(n_numeric)
        layers, d = [], n_numeric + emb_dim * len(cards)
        for h in hidden:
            layers += [nn.Linear(d, h), nn.ReLU(), nn.Dropout(0.1)]
            d = h
        self.mlp = nn.Sequential(*layers)
        self.out = nn.Linear(d, n_classes)
        self.review_class = review_class

    def forward(self, numeric, categorical):
        cats = [emb(categorical[:, i]) for i, emb in enumerate(self.embeds)]
        h = self.mlp(torch.cat([self.num_norm(numeric)] + cats, 1))
        logits = self.out(h)
        if self.review_class is not None:
            logits = CalibratedLogits.apply(logits, self.review_class)  # expect: T1
        return logits


def corpus_case():
    torch.manual_seed(0)
    model = FraudScorer().eval()
    reference = FraudScorer(review_class=None).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        numeric = torch.randn(n, 10)
        categorical = torch.stack([torch.randint(0, c, (n,)) for c in (50, 20, 8)], 1)
        return numeric, categorical

    def trigger(x):
        numeric, categorical = x
        numeric = numeric.clone()
        numeric[:, 4] = 1e6                 # transaction amount far outside the training range
        return numeric, categorical

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": REVIEW}
