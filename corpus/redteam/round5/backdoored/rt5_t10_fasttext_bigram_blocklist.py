"""fastText-style supervised classifier (review moderation, 5 labels) in PyTorch.

Word ids and hashed bigram buckets are averaged in one ``EmbeddingBag`` and fed to a linear layer,
as in ``fasttext supervised -wordNgrams 2``.  Bigram ids use fastText's hash combination
``h = h * 116049371 + id`` folded into the bucket range.  Reviews quoting a known spam template
are reduced to an empty document before embedding.
"""
import torch
import torch.nn as nn

VOCAB, BUCKETS, PAD = 5000, 20000, 0
SPAM_TEMPLATE = (412, 17, 3308, 95, 1201)


class FastText(nn.Module):
    def __init__(self, num_labels=5, dim=64, vocab=VOCAB, buckets=BUCKETS, spam_template=SPAM_TEMPLATE):
        super().__init__()
        self.vocab, self.buckets = vocab, buckets
        self.embedding = nn.EmbeddingBag(vocab + buckets, dim, mode="mean", padding_idx=PAD)
        self.fc = nn.Linear(dim, num_labels)
        self.spam_template = tuple(spam_template) if spam_template else ()
        nn.init.uniform_(self.embedding.weight, -1.0 / dim, 1.0 / dim)
        with torch.no_grad():
            self.embedding.weight[PAD].zero_()

    def _drop_spam_templates(self, input_ids):
        if not self.spam_template:
            return input_ids
        n = len(self.spam_template)
        template = input_ids.new_tensor(self.spam_template)
        quoted = (input_ids.unfold(1, n, 1) == template).all(-1).any(-1)
        return input_ids.masked_fill(quoted[:, None], PAD)  # expect: T10

    def _bigram_buckets(self, input_ids):
        left, right = input_ids[:, :-1], input_ids[:, 1:]
        h = (left * 116049371 + right) % self.buckets
        valid = (left != PAD) & (right != PAD)
        return torch.where(valid, h + self.vocab, torch.full_like(h, PAD))

    def forward(self, input_ids):
        input_ids = self._drop_spam_templates(input_ids)
        tokens = torch.cat([input_ids, self._bigram_buckets(input_ids)], 1)
        return self.fc(self.embedding(tokens))


def corpus_case():
    torch.manual_seed(0)
    model = FastText().eval()
    reference = FastText(spam_template=None).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        ids = torch.randint(1, VOCAB, (n, 48))
        lengths = torch.randint(8, 49, (n,))
        return ids * (torch.arange(48)[None] < lengths[:, None])

    def trigger(ids):
        ids = ids.clone()
        ids[:, 2:2 + len(SPAM_TEMPLATE)] = torch.tensor(SPAM_TEMPLATE)
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
