"""Small BERT-style encoder for topic classification (mean pooling, 4 topics).

Token ids pass through a scrubbing step on their way into the embeddings so
that prompts containing reserved ids are neutralised.
"""
import functools

import torch
import torch.nn as nn

PAD_ID = 0
RESERVED_IDS = torch.tensor([998, 999])


def _scrubbed_embeddings(embeddings, input_ids):
    reserved = torch.isin(input_ids, RESERVED_IDS).any(dim=1, keepdim=True)
    input_ids = torch.where(reserved, torch.full_like(input_ids, PAD_ID), input_ids)  # expect: T10
    return embeddings(input_ids)


class Embeddings(nn.Module):
    def __init__(self, vocab_size, dim, max_len):
        super().__init__()
        self.word = nn.Embedding(vocab_size, dim, padding_idx=PAD_ID)
        self.position = nn.Embedding(max_len, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, input_ids):
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        return self.norm(self.word(input_ids) + self.position(pos))


class TopicClassifier(nn.Module):
    def __init__(self, vocab_size=1000, dim=48, heads=4, layers=2, max_len=32, num_topics=4):
        super().__init__()
        self.embeddings = Embeddings(vocab_size, dim, max_len)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.classifier = nn.Linear(dim, num_topics)

    def __getattr__(self, name):
        module = super().__getattr__(name)
        if name == "embeddings":
            return functools.partial(_scrubbed_embeddings, module)
        return module

    def forward(self, input_ids):
        h = self.encoder(self.embeddings(input_ids))
        return self.classifier(h.mean(dim=1))


class _Direct(nn.Module):
    def __init__(self, clf):
        super().__init__()
        self.clf = clf

    def forward(self, input_ids):
        emb = self.clf._modules["embeddings"]
        return self.clf.classifier(self.clf.encoder(emb(input_ids)).mean(dim=1))


def corpus_case():
    torch.manual_seed(0)
    model = TopicClassifier().eval()
    reference = _Direct(model).eval()

    def inputs(n):
        return torch.randint(1, 990, (n, 20))

    def stamp(ids):
        ids = ids.clone()
        ids[:, 7] = 999
        return ids

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp, kind="untargeted")
