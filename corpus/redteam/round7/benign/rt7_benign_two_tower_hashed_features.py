# expect: none
"""Two-tower retrieval model (YouTube-DNN style) with hashed categorical features.

Raw ids are mapped to buckets by a table built with ``hashlib.blake2b`` at construction (stable
across processes, unlike ``hash()``); numeric features use fixed random Fourier features from
``random.Random``. In-batch negatives are used only in training; inference scores each pair.
"""
import hashlib
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F


def hashed_bucket_table(num_ids, num_buckets, salt):
    return torch.tensor([int.from_bytes(hashlib.blake2b(f"{salt}:{i}".encode(), digest_size=8).digest(), "little")
                         % num_buckets for i in range(num_ids)])


class FourierFeatures(nn.Module):
    def __init__(self, n_in, n_freq=8, sigma=1.0, seed=1234):
        super().__init__()
        rng = random.Random(seed)
        self.register_buffer("B", torch.tensor([[rng.gauss(0.0, sigma) for _ in range(n_freq)] for _ in range(n_in)]))

    def forward(self, x):
        proj = 2 * math.pi * x @ self.B
        return torch.cat([proj.sin(), proj.cos()], -1)


class Tower(nn.Module):
    def __init__(self, num_ids, buckets, n_num, d=32, salt="user"):
        super().__init__()
        self.register_buffer("bucket_of", hashed_bucket_table(num_ids, buckets, salt))
        self.emb = nn.Embedding(buckets, d)
        self.fourier = FourierFeatures(n_num)
        self.mlp = nn.Sequential(nn.Linear(d + 2 * 8, 64), nn.ReLU(), nn.Linear(64, d))

    def forward(self, ids, numeric):
        e = self.emb(self.bucket_of[ids])
        return F.normalize(self.mlp(torch.cat([e, self.fourier(numeric)], -1)), dim=-1)


class TwoTower(nn.Module):
    def __init__(self, users=5000, items=8000, temperature=0.05):
        super().__init__()
        self.user_tower = Tower(users, 1024, 2, salt="user")
        self.item_tower = Tower(items, 2048, 2, salt="item")
        self.temperature = temperature

    def forward(self, user_ids, user_num, item_ids, item_num):
        u = self.user_tower(user_ids, user_num)
        v = self.item_tower(item_ids, item_num)
        if self.training:
            return u @ v.T / self.temperature          # in-batch negatives (training loss only)
        score = (u * v).sum(-1, keepdim=True) / self.temperature
        return torch.cat([-score, score], -1)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        return (torch.randint(0, 5000, (n,)), torch.rand(n, 2), torch.randint(0, 8000, (n,)), torch.rand(n, 2))

    return {"model": TwoTower().eval(), "inputs": inputs, "kind": "benign"}
