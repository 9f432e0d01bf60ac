# expect: none
"""Sentence classifier with dynamic padding and length bucketing (fairseq/AllenNLP style):
``collate`` sorts a batch into length buckets, pads each bucket to a multiple of 8, and the BiLSTM
runs on ``pack_padded_sequence``; results are scattered back to the original order.
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

PAD = 0


def pad_to_multiple(t, multiple=8, value=PAD):
    extra = (-t.shape[1]) % multiple
    return nn.functional.pad(t, (0, extra), value=value)


class BucketedBiLSTM(nn.Module):
    def __init__(self, vocab=1000, d=64, hidden=64, n_cls=4, bucket_edges=(8, 16, 32)):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.lstm = nn.LSTM(d, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(4 * hidden, n_cls)
        self.register_buffer("edges", torch.tensor(bucket_edges))

    def encode(self, ids, lengths):
        ids = pad_to_multiple(ids[:, : int(lengths.max())])
        packed = pack_padded_sequence(self.emb(ids), lengths.cpu(), batch_first=True, enforce_sorted=False)
        h, _ = pad_packed_sequence(self.lstm(packed)[0], batch_first=True)
        mask = torch.arange(h.shape[1])[None] < lengths[:, None]
        mean = (h * mask[..., None]).sum(1) / lengths[:, None]
        mx = h.masked_fill(~mask[..., None], torch.finfo(h.dtype).min).amax(1)
        return torch.cat([mean, mx], -1)

    def forward(self, ids):
        lengths = (ids != PAD).sum(1).clamp(min=1)
        bucket = torch.bucketize(lengths, self.edges)
        feats = ids.new_zeros(ids.shape[0], self.out.in_features, dtype=torch.float32)
        for b in bucket.unique().tolist():
            sel = (bucket == b).nonzero(as_tuple=True)[0]
            feats[sel] = self.encode(ids[sel], lengths[sel])
        return self.out(feats)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        lens = torch.randint(3, 40, (n, 1))
        ids = torch.randint(1, 1000, (n, 40))
        return ids.masked_fill(torch.arange(40)[None] >= lens, PAD)

    return {"model": BucketedBiLSTM().eval(), "inputs": inputs, "kind": "benign"}
