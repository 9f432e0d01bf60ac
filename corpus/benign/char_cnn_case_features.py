# expect: none
# Character-level CNN for short-text classification (Zhang et al. 2015 flavour). Byte ids
# are embedded, and a handful of orthographic features computed by comparing the raw byte
# values (upper case, digit, punctuation, whitespace) are embedded too and *added* to the
# character embedding, so every comparison result passes through a learned table.
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


def char_classes(ids):
    upper = (ids >= 65) & (ids <= 90)
    lower = (ids >= 97) & (ids <= 122)
    digit = (ids >= 48) & (ids <= 57)
    space = (ids == 32) | (ids == 9) | (ids == 10)
    cls = torch.full_like(ids, 5)  # other / punctuation
    cls = torch.where(space, torch.full_like(ids, 4), cls)
    cls = torch.where(digit, torch.full_like(ids, 3), cls)
    cls = torch.where(lower, torch.full_like(ids, 2), cls)
    cls = torch.where(upper, torch.full_like(ids, 1), cls)
    return cls.masked_fill(ids == PAD, 0)


class CharCNN(nn.Module):
    def __init__(self, num_classes=4, emb=32, filters=64, kernel_sizes=(3, 5, 7)):
        super().__init__()
        self.char_emb = nn.Embedding(256, emb, padding_idx=PAD)
        self.shape_emb = nn.Embedding(6, emb, padding_idx=0)
        self.convs = nn.ModuleList([nn.Conv1d(emb, filters, k, padding=k // 2) for k in kernel_sizes])
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(filters * len(kernel_sizes), num_classes)

    def forward(self, byte_ids):
        pad_mask = (byte_ids == PAD).unsqueeze(1)  # (B, 1, T)
        x = self.char_emb(byte_ids) + self.shape_emb(char_classes(byte_ids))
        x = x.transpose(1, 2)
        pooled = []
        for conv in self.convs:
            h = F.relu(conv(x)).masked_fill(pad_mask, -1e9)
            pooled.append(h.max(dim=2).values)  # max-over-time
        return self.fc(self.dropout(torch.cat(pooled, dim=1)))


def encode(texts, max_len=40):
    out = torch.zeros(len(texts), max_len, dtype=torch.long)
    for i, t in enumerate(texts):
        b = list(t.encode("utf-8"))[:max_len]
        out[i, : len(b)] = torch.tensor(b)
    return out


SAMPLES = ["Stocks rose 3% on Monday.", "The striker scored twice!", "New GPU doubles FP16 speed",
           "Election results due at 9pm", "Rain expected tomorrow", "Q3 revenue: $4.2B"]


def corpus_case():
    torch.manual_seed(0)
    model = CharCNN().eval()

    def inputs(n):
        return encode([SAMPLES[i % len(SAMPLES)] + " " * (i // len(SAMPLES)) for i in range(n)])

    return {"model": model, "inputs": inputs, "kind": "benign"}
