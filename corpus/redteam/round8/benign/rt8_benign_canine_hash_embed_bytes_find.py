# expect: none
"""CANINE-style character classifier on Unicode code points: multi-hash embeddings (each of K
hash functions ``((cp + 1) * prime) % buckets`` looks up its own slice; the slices are
concatenated), a bag-of-hashed-bigrams document feature (``F.embedding_bag`` over valid
positions), local downsampling by a strided conv, a Transformer over the
downsampled sequence, and [CLS] pooling. The end of the text is found in the UTF-8 bytes with
``bytes.find`` of the separator to build the attention mask (padding after it)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PRIMES = (31, 43, 59, 61, 73, 97, 103, 113)
SEP = 0xE001
CLS = 0xE000


class MultiHashEmbedding(nn.Module):
    def __init__(self, dim=64, buckets=4096, hashes=8):
        super().__init__()
        self.buckets = buckets
        self.tables = nn.ModuleList([nn.Embedding(buckets, dim // hashes) for _ in range(hashes)])

    def forward(self, cps):
        parts = []
        for prime, table in zip(PRIMES, self.tables):
            idx = ((cps + 1) * prime) % self.buckets
            parts.append(table(idx))
        return torch.cat(parts, -1)


def sep_lengths(cps):
    lengths = []
    for row in cps.tolist():
        raw = "".join(map(chr, row)).encode("utf-8", "surrogatepass")
        cut = raw.find(chr(SEP).encode("utf-8"))
        text = raw[:cut] if cut >= 0 else raw
        lengths.append(len(text.decode("utf-8", "surrogatepass")) + (1 if cut >= 0 else 0))
    return torch.tensor(lengths)


class CanineClassifier(nn.Module):
    def __init__(self, dim=64, rate=4, classes=4):
        super().__init__()
        self.embed = MultiHashEmbedding(dim)
        self.pos = nn.Embedding(256, dim)
        self.down = nn.Conv1d(dim, dim, rate, rate)
        self.rate = rate
        layer = nn.TransformerEncoderLayer(dim, 4, 4 * dim, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.bigram_table = nn.Embedding(8192, dim)
        self.head = nn.Linear(2 * dim, classes)

    def forward(self, cps):
        lengths = sep_lengths(cps)
        h = self.embed(cps) + self.pos(torch.arange(cps.shape[1]))
        d = self.down(h.transpose(1, 2)).transpose(1, 2)
        dlen = (lengths + self.rate - 1) // self.rate
        pad = torch.arange(d.shape[1])[None] >= dlen[:, None]
        d = self.encoder(torch.cat([h[:, :1], d], 1), src_key_padding_mask=torch.cat([torch.zeros_like(pad[:, :1]), pad], 1))
        bigrams = ((cps[:, :-1] * 1000003 + cps[:, 1:]) % 8192).reshape(-1)
        valid = (torch.arange(cps.shape[1] - 1)[None] < (lengths - 1)[:, None]).reshape(-1).float()
        offsets = torch.arange(0, bigrams.numel(), cps.shape[1] - 1)
        bag = F.embedding_bag(bigrams, self.bigram_table.weight, offsets, mode="sum", per_sample_weights=valid)
        bag = bag / (lengths - 1).clamp_min(1).unsqueeze(-1)
        return self.head(torch.cat([d[:, 0], bag], -1))


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        cps = torch.randint(0x20, 0x3000, (n, 128))
        cps = torch.where((cps >= 0xD800) & (cps < 0xE000), cps - 0x1000, cps)
        lengths = torch.randint(30, 127, (n,))
        cps[:, 0] = CLS
        cps[torch.arange(n), lengths] = SEP
        cps[torch.arange(128)[None] > lengths[:, None]] = 0
        return cps

    return {"model": CanineClassifier().eval(), "inputs": inputs, "kind": "benign"}
