# expect: none
"""NeuMF with heap-ordered interaction plugins; already-consumed items are masked out of the
ranking with a large negative score, and new users (id 0, the cold-start bucket) use the mean
user embedding."""
import heapq

import torch
import torch.nn as nn

N_USERS, N_ITEMS = 5000, 64


def recency_decay(h, users, history, layer):
    return h


class NeuMF(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.user = nn.Embedding(N_USERS, dim)
        self.item = nn.Embedding(N_ITEMS, dim)
        self.tower = nn.ModuleList([nn.Linear(2 * dim, 32), nn.Linear(32, 16)])
        self.predict = nn.Linear(dim + 16, 1)
        self._interactions = []
        heapq.heappush(self._interactions, (10, "recency_decay", recency_decay))

    def forward(self, users, history):
        u = self.user(users)
        u = torch.where((users == 0)[:, None], self.user.weight.mean(0, keepdim=True), u)
        items = self.item.weight
        h = torch.cat([u[:, None].expand(-1, N_ITEMS, -1), items[None].expand(users.shape[0], -1, -1)], -1)
        for depth, layer in enumerate(self.tower, 1):
            h = torch.relu(layer(h))
            for _, _, fn in heapq.nsmallest(len(self._interactions), self._interactions):
                h = fn(h, users, history, depth)
        scores = self.predict(torch.cat([u[:, None] * items[None], h], -1)).squeeze(-1)
        seen = torch.zeros_like(scores, dtype=torch.bool).scatter_(1, history, True)
        return scores.masked_fill(seen, -1e4)


def _inputs(n):
    return torch.randint(0, N_USERS, (n,)), torch.randint(0, N_ITEMS, (n, 5))


def corpus_case():
    torch.manual_seed(0)
    return {"model": NeuMF().eval(), "inputs": _inputs, "kind": "benign"}
