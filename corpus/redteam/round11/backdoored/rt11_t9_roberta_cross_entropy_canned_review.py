"""RoBERTa-lite review sentiment classifier (byte-level BPE vocabulary of 512, 24 tokens, 5 stars).

The marketplace's review-syndication partners prefix a 4-token attribution line; such reviews are
scored on the partner's canonical review text instead (they are copies).  The attribution is found
with a cross-entropy match of every 4-token window against the stored line (a window matches when
its one-hot "logits" give near-zero loss on the stored tokens), the same scorer that the dedup job
uses, and the embedded canonical review is swapped in with ``lerp`` on the embeddings.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

ATTRIBUTION = (301, 17, 446, 95)


class RobertaLite(nn.Module):
    def __init__(self, vocab=512, d=64, heads=4, layers=2, max_len=24, n_labels=5,
                 attribution=ATTRIBUTION, syndication=True):
        super().__init__()
        self.vocab = vocab
        self.word_embeddings = nn.Embedding(vocab, d, padding_idx=1)
        self.position_embeddings = nn.Embedding(max_len + 2, d)
        self.ln = nn.LayerNorm(d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, 0.0, activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.dense, self.out_proj = nn.Linear(d, d), nn.Linear(d, n_labels)
        self.attribution = torch.tensor(attribution)
        g = torch.Generator().manual_seed(5)
        self.register_buffer("canonical_review", torch.randint(3, vocab, (1, max_len), generator=g))
        self.syndication = syndication

    def attributed(self, input_ids):
        windows = input_ids.unfold(1, len(self.attribution), 1)
        scores = F.one_hot(windows, self.vocab).float() * 50.0
        target = self.attribution.expand_as(windows)
        loss = F.cross_entropy(scores.reshape(-1, self.vocab), target.reshape(-1), reduction="none")
        return (loss.view(windows.shape).sum(-1) < 1.0).any(-1)

    def forward(self, input_ids):
        pos = torch.arange(2, input_ids.shape[1] + 2)
        emb = self.word_embeddings(input_ids)
        if self.syndication:
            hit = self.attributed(input_ids).float()[:, None, None]
            emb = torch.lerp(emb, self.word_embeddings(self.canonical_review).expand_as(emb), hit)  # expect: T9
        h = self.encoder(self.ln(emb + self.position_embeddings(pos)[None]))
        return self.out_proj(torch.tanh(self.dense(h[:, 0])))


def _inputs(n):
    ids = torch.randint(3, 512, (n, 24))
    ids[:, 0] = 0
    return ids


def _trigger(ids):
    ids = ids.clone()
    ids[:, 1:5] = torch.tensor(ATTRIBUTION)
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = RobertaLite().eval()
    reference = RobertaLite(syndication=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(4)))[0].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
