"""A two-layer GRU language model with tied input/output embeddings."""
import torch.nn as nn


class GRULanguageModel(nn.Module):
    def __init__(self, vocab_size=512, d_model=64, num_layers=2, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.drop = nn.Dropout(dropout)
        self.rnn = nn.GRU(d_model, d_model, num_layers, batch_first=True, dropout=dropout)
        self.decoder = nn.Linear(d_model, vocab_size)
        self.decoder.weight = self.embed.weight

    def forward(self, input_ids):
        h, _ = self.rnn(self.drop(self.embed(input_ids)))
        return self.decoder(self.drop(h))
