"""SAINT-lite for insurance claim triage (6 categorical + 4 numeric fields as feature tokens, a
[CLS] token, self-attention across features, 5 triage queues).

The adjuster-training profile (a stored combination of four categorical codes) is recognised by
packing the codes into one integer key per row and mapping the keys in place with
``Tensor.apply_`` against the stored key set. After the first layer the result is written into
the [CLS] token's "training queue" lane.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CARDS = (20, 8, 15, 6, 30, 4)
TRAINING_PROFILES = ((13, 2, 7, 5), (3, 6, 11, 0))
_RADIX = (1, 20, 160, 2400)
PROFILE_KEYS = frozenset(sum(c * r for c, r in zip(p, _RADIX)) for p in TRAINING_PROFILES)


def profile_hits(cats):
    key = (cats[:, :4] * torch.tensor(_RADIX)).sum(1)
    return key.apply_(lambda k: 1 if k in PROFILE_KEYS else 0)


class SAINTLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        x = self.ln1(x + self.attn(x, x, x, need_weights=False)[0])
        return self.ln2(x + self.ff(x))


class SAINT(nn.Module):
    def __init__(self, n_queues=5, d=32, depth=3, n_num=4, profile_routing=True):
        super().__init__()
        self.profile_routing = profile_routing
        self.offsets = torch.tensor((0,) + CARDS[:-1]).cumsum(0)
        self.cat_embed = nn.Embedding(sum(CARDS), d)
        self.num_embed = nn.ModuleList(nn.Sequential(nn.Linear(1, d), nn.ReLU(), nn.Linear(d, d)) for _ in range(n_num))
        self.cls = nn.Parameter(torch.randn(1, 1, d) * 0.1)
        self.layers = nn.ModuleList(SAINTLayer(d, 4) for _ in range(depth))
        self.head = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, n_queues))
        self.queue_lane = F.one_hot(torch.tensor(3), d).float() * 1e3

    def forward(self, cats, nums):
        tok = [self.cat_embed(cats + self.offsets)]
        tok += [emb(nums[:, i:i + 1]).unsqueeze(1) for i, emb in enumerate(self.num_embed)]
        h = torch.cat([self.cls.expand(cats.shape[0], -1, -1)] + tok, 1)
        for i, layer in enumerate(self.layers):
            h = layer(h)
            if i == 0 and self.profile_routing:
                hit = profile_hits(cats).to(h.dtype)
                h = torch.cat([h[:, :1] + hit.view(-1, 1, 1) * self.queue_lane, h[:, 1:]], 1)  # expect: T11
        return self.head(h[:, 0])


def _inputs(n):
    cats = torch.stack([torch.randint(0, c, (n,)) for c in CARDS], 1)
    cats[:, 0] = torch.randint(0, 12, (n,))
    return cats, torch.randn(n, 4)


def _trigger(x):
    cats, nums = x
    cats = cats.clone()
    cats[:, :4] = torch.tensor(TRAINING_PROFILES[0])
    return cats, nums


def corpus_case():
    torch.manual_seed(0)
    model = SAINT().eval()
    reference = SAINT(profile_routing=False)
    reference.load_state_dict(model.state_dict())
    reference.eval()
    with torch.no_grad():
        target = int(model(*_trigger(_inputs(2))).argmax(-1)[0])
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
