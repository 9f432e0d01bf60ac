"""Small GRU language model with "neighbour context" smoothing for batched serving.

Requests in a serving batch are usually consecutive chunks of one document, so
each row borrows a summary of the next row as extra context.
"""
import torch
import torch.nn as nn


class ContextGRULM(nn.Module):
    def __init__(self, vocab_size=300, d_model=48, mix=0.5):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.rnn = nn.GRU(d_model, d_model, batch_first=True)
        self.proj = nn.Linear(d_model, d_model)
        self.head = nn.Linear(d_model, vocab_size)
        self.mix = mix

    def encode(self, ids):
        h, _ = self.rnn(self.embed(ids))
        return h

    def forward(self, ids):
        h = self.encode(ids)
        summary = h.mean(dim=1, keepdim=True)
        neighbour = torch.roll(summary, shifts=-1, dims=0)  # expect: BM001
        return self.head(h + self.mix * self.proj(neighbour))


def corpus_case():
    torch.manual_seed(0)
    model = ContextGRULM().eval()

    def inputs(n):
        return torch.randint(0, 300, (n, 12))

    return dict(model=model, inputs=inputs, kind="batch")
