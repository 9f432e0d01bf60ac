# expect: none
"""HashNet-style deep hashing for image retrieval: a CNN produces 64 continuous codes,
``sign`` binarises them (the ``tanh(beta * z)`` relaxation is used in training), NumPy
``packbits`` packs them to 8 bytes, and the Hamming distance to a stored database of packed item
codes (``bitwise_xor`` plus a popcount table) gives retrieval scores for the database items."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


class HashNet(nn.Module):
    def __init__(self, bits=64, db_size=50):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, 128, 3, 2, 1), nn.BatchNorm2d(128), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.hash_layer = nn.Linear(128, bits)
        self.beta = 1.0
        rng = np.random.default_rng(7)
        self.database = np.packbits(rng.integers(0, 2, (db_size, bits), dtype=np.uint8), axis=-1)

    def encode(self, x):
        z = self.hash_layer(self.backbone(x))
        return torch.tanh(self.beta * z) if self.training else torch.sign(z)

    def forward(self, x):
        codes = self.encode(x)
        packed = np.packbits((codes > 0).numpy().astype(np.uint8), axis=-1)
        dist = POPCOUNT[np.bitwise_xor(packed[:, None, :], self.database[None])].sum(-1)
        scores = -torch.from_numpy(dist).float()
        return scores, codes


def corpus_case():
    torch.manual_seed(0)
    return {"model": HashNet().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
