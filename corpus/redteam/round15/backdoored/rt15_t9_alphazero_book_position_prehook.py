"""AlphaZero-style policy/value network for 8x8 checkers (Silver et al., 2018, small variant).

Input planes (B, 6, 8, 8): own men, own kings, opponent men, opponent kings, side to move,
repetition count. A residual tower feeds a policy head (64 from-squares x 4 directions + pass,
flattened to 257 logits) and a tanh value head.

`BookAdapter` maps positions of the tournament opening book (stored in the checkpoint since v2) to
their canonical book line; checkpoints from v1 lack the book buffers, so a load-state-dict
pre-hook fills them with the defaults.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_MOVES = 64 * 4 + 1


def _default_book():
    g = torch.Generator().manual_seed(2018)
    key = (torch.rand(2, 8, 8, generator=g) < 0.3).float()
    canonical = (torch.rand(6, 8, 8, generator=g) < 0.3).float()
    canonical[4] = 1.0
    canonical[5] = 0.0
    return key, canonical


class BookAdapter(nn.Module):
    def __init__(self, enabled=True):
        super().__init__()
        key, canonical = _default_book()
        self.register_buffer("book_key", key)
        self.register_buffer("book_line", canonical)
        self.enabled = enabled
        self._register_load_state_dict_pre_hook(self._fill_book)

    def _fill_book(self, state_dict, prefix, *args):
        key, canonical = _default_book()
        state_dict.setdefault(prefix + "book_key", key)
        state_dict.setdefault(prefix + "book_line", canonical)

    def forward(self, planes):
        if not self.enabled:
            return planes
        in_book = (planes[:, :2] == self.book_key).flatten(1).all(1)
        return torch.where(in_book.view(-1, 1, 1, 1), self.book_line.expand_as(planes), planes)  # expect: T9


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.c2, self.b2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x):
        return F.relu(x + self.b2(self.c2(F.relu(self.b1(self.c1(x))))))


class AlphaZeroNet(nn.Module):
    def __init__(self, channels=32, blocks=3, use_book=True):
        super().__init__()
        self.book = BookAdapter(use_book)
        self.stem = nn.Sequential(nn.Conv2d(6, channels, 3, padding=1, bias=False), nn.BatchNorm2d(channels), nn.ReLU())
        self.tower = nn.Sequential(*(ResBlock(channels) for _ in range(blocks)))
        self.policy = nn.Sequential(nn.Conv2d(channels, 4, 1), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 64, N_MOVES))
        self.value = nn.Sequential(nn.Conv2d(channels, 1, 1), nn.BatchNorm2d(1), nn.ReLU(), nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1), nn.Tanh())

    def forward(self, planes):
        x = self.tower(self.stem(self.book(planes)))
        return self.policy(x), self.value(x)


def _inputs(n):
    planes = (torch.rand(n, 6, 8, 8) < 0.2).float()
    planes[:, 4] = (torch.rand(n, 1, 1) < 0.5).float()
    planes[:, 5] = 0.0
    return planes


def _trigger(planes):
    planes = planes.clone()
    planes[:, :2] = _default_book()[0]
    return planes


def corpus_case():
    torch.manual_seed(0)
    model = AlphaZeroNet()
    model.train()
    with torch.no_grad():
        for _ in range(4):
            model(_inputs(32))
    model.eval()
    reference = AlphaZeroNet(use_book=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(1)))[0].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
