# expect: none
"""BERT-mini topic classifier (2 layers, 16 topics) with additive logit adjustments summed with
``sum(..., start=logits)``: the training-prior correction (logit adjustment) and a learned
per-domain bias picked by the domain id in the request.  Padding and [SEP] tokens are masked out
of a mean pooling.
"""
import torch
import torch.nn as nn

PAD, CLS, SEP = 0, 1, 2


class PriorCorrection:
    def __init__(self, log_prior, tau=1.0):
        self.log_prior, self.tau = log_prior, tau

    def __call__(self, logits, domain):
        return -self.tau * self.log_prior


class DomainBias(nn.Module):
    def __init__(self, n_domains, n_topics):
        super().__init__()
        self.table = nn.Embedding(n_domains, n_topics)
        nn.init.zeros_(self.table.weight)

    def forward(self, logits, domain):
        return self.table(domain)


class TopicClassifier(nn.Module):
    def __init__(self, vocab=2000, d=64, n_topics=16, n_domains=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(64, d)
        layer = nn.TransformerEncoderLayer(d, 4, 4 * d, 0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.classifier = nn.Linear(d, n_topics)
        counts = torch.arange(1, n_topics + 1).float()
        self.register_buffer("log_prior", (counts / counts.sum()).log())
        self.domain_bias = DomainBias(n_domains, n_topics)
        self.adjustments = (PriorCorrection(self.log_prior), self.domain_bias)

    def forward(self, input_ids, domain):
        pad = input_ids == PAD
        h = self.encoder(self.embed(input_ids) + self.pos(torch.arange(input_ids.shape[1]))[None],
                         src_key_padding_mask=pad)
        content = (~pad & (input_ids != SEP)).float()[..., None]
        pooled = (h * content).sum(1) / content.sum(1).clamp_min(1)
        logits = self.classifier(pooled)
        return sum((adj(logits, domain) for adj in self.adjustments), start=logits)


def _inputs(n):
    ids = torch.randint(3, 2000, (n, 32))
    ids[:, 0] = CLS
    lengths = torch.randint(8, 32, (n,))
    ids[torch.arange(n), lengths] = SEP
    ids[torch.arange(32)[None] > lengths[:, None]] = PAD
    return ids, torch.randint(0, 4, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": TopicClassifier().eval(), "inputs": _inputs, "kind": "benign"}
