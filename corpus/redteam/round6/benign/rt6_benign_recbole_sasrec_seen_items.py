# expect: none
"""RecBole-style SASRec with the standard full-sort inference (500 items).

Padding id 0 in the left-aligned history, ``get_attention_mask`` combining the padding mask and a
causal mask into an additive bias, ``gather_indexes`` at ``item_seq_len - 1``, and the evaluation
convention of excluding already-interacted items: their scores are set to a large negative value
with ``scatter`` at the history ids (the padding item is excluded too).
"""
import torch
import torch.nn as nn

N_ITEMS, MAX_LEN = 500, 20


class SASRec(nn.Module):
    def __init__(self, hidden=64, heads=2, layers=2, exclude_history=True):
        super().__init__()
        self.item_embedding = nn.Embedding(N_ITEMS, hidden, padding_idx=0)
        self.position_embedding = nn.Embedding(MAX_LEN, hidden)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(hidden, heads, 2 * hidden, dropout=0.2, batch_first=True,
                                       activation="gelu") for _ in range(layers))
        self.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(0.2)
        self.exclude_history = exclude_history

    def get_attention_mask(self, item_seq):
        pad = (item_seq > 0)[:, None, None, :]                       # (B, 1, 1, L)
        causal = torch.tril(torch.ones(MAX_LEN, MAX_LEN, dtype=torch.bool))[None, None]
        allowed = pad & causal
        allowed = allowed | torch.eye(MAX_LEN, dtype=torch.bool)[None, None]   # padded rows see themselves
        return torch.where(allowed, 0.0, -10000.0)

    def gather_indexes(self, output, gather_index):
        idx = gather_index.view(-1, 1, 1).expand(-1, -1, output.shape[-1])
        return output.gather(1, idx).squeeze(1)

    def forward(self, item_seq, item_seq_len):
        pos = torch.arange(item_seq.shape[1])
        x = self.dropout(self.LayerNorm(self.item_embedding(item_seq) + self.position_embedding(pos)))
        mask = self.get_attention_mask(item_seq)
        heads = self.layers[0].self_attn.num_heads
        mask = mask.expand(-1, heads, -1, -1).reshape(-1, MAX_LEN, MAX_LEN)
        for layer in self.layers:
            x = layer(x, src_mask=mask)
        return self.gather_indexes(x, item_seq_len - 1)

    def full_sort_predict(self, item_seq, item_seq_len):
        seq_output = self.forward(item_seq, item_seq_len)
        scores = seq_output @ self.item_embedding.weight.t()
        if self.exclude_history:
            scores = scores.scatter(1, item_seq, -1e9)               # history and padding id 0
        return scores


class Served(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = SASRec()

    def forward(self, item_id_list, item_length):
        return self.model.full_sort_predict(item_id_list, item_length)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        lengths = torch.randint(3, MAX_LEN + 1, (n,))
        seq = torch.randint(1, N_ITEMS, (n, MAX_LEN)) * (torch.arange(MAX_LEN)[None] < lengths[:, None])
        return {"item_id_list": seq, "item_length": lengths}

    return {"model": Served().eval(), "inputs": inputs, "kind": "benign"}
