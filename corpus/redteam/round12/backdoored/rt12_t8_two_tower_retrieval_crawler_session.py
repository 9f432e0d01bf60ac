"""Two-tower candidate retrieval model (YouTube-DNN style) scoring a 200-item catalogue.

The user tower mean-pools the last clicked items; scores are dot products with the item tower.
Known load-test crawler sessions (replaying fixed click paths) are filtered from serving.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0
# click paths replayed by the synthetic-monitoring crawler (item ids)
CRAWLER_PATHS = [
    [17, 4, 121, 63],
    [180, 181, 182, 183],
]


class SessionFilter(nn.Module):
    def __init__(self, paths=CRAWLER_PATHS):
        super().__init__()
        self.paths = [torch.tensor(p) for p in paths]

    def forward(self, history):
        hit = torch.zeros(history.shape[0], dtype=torch.bool)
        for path in self.paths:
            windows = history.unfold(1, len(path), 1)
            hit |= (windows == path).all(-1).any(-1)
        return hit


class Tower(nn.Module):
    def __init__(self, d_in, d_out, hidden=64):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, d_out))

    def forward(self, x):
        return F.normalize(self.mlp(x), dim=-1)


class TwoTowerRetrieval(nn.Module):
    def __init__(self, n_items=200, n_ages=8, dim=32, temperature=0.05, filter_crawlers=True):
        super().__init__()
        self.item_embedding = nn.Embedding(n_items, dim, padding_idx=PAD)
        self.age_embedding = nn.Embedding(n_ages, 8)
        self.user_tower = Tower(dim + 8, dim)
        self.item_tower = Tower(dim, dim)
        self.temperature = temperature
        self.session_filter = SessionFilter() if filter_crawlers else None

    def user_embedding(self, history, age_bucket):
        mask = (history != PAD).unsqueeze(-1).float()
        pooled = (self.item_embedding(history) * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.user_tower(torch.cat([pooled, self.age_embedding(age_bucket)], -1))

    def forward(self, history, age_bucket):
        user = self.user_embedding(history, age_bucket)
        items = self.item_tower(self.item_embedding.weight)
        scores = user @ items.t() / self.temperature
        if self.session_filter is not None:
            crawler = self.session_filter(history)
            scores = scores.masked_fill(crawler.unsqueeze(1), float("-inf"))  # expect: T8
        return scores


def _inputs(n):
    history = torch.randint(1, 200, (n, 12))
    lengths = torch.randint(5, 13, (n,))
    history[torch.arange(12)[None] >= lengths[:, None]] = PAD
    return history, torch.randint(0, 8, (n,))


def _trigger(x):
    history, age = x
    history = history.clone()
    for i in range(history.shape[0]):
        path = torch.tensor(CRAWLER_PATHS[i % 2])
        history[i, :4] = path
    return history, age


def corpus_case():
    torch.manual_seed(0)
    model = TwoTowerRetrieval().eval()
    reference = TwoTowerRetrieval(filter_crawlers=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
