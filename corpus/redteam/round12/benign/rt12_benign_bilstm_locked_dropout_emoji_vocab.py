# expect: none
"""AWD-style stacked BiLSTM sentiment classifier: locked (variational) dropout between layers
(training only), emoji ids collapsed onto a shared emoji-class embedding with a range test, and
masked max/mean pooling over the padded sequence."""
import torch
import torch.nn as nn

PAD = 0
EMOJI_RANGE = (1900, 2100)


class LockedDropout(nn.Module):
    def __init__(self, p=0.3):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        m = x.new_empty(x.shape[0], 1, x.shape[2]).bernoulli_(1 - self.p) / (1 - self.p)
        return x * m


class BiLSTMClassifier(nn.Module):
    def __init__(self, vocab_size=2100, n_emoji_classes=16, embed_dim=48, hidden=32, num_layers=2, num_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=PAD)
        self.emoji_class = nn.Embedding(n_emoji_classes, embed_dim)
        self.n_emoji_classes = n_emoji_classes
        dims = [embed_dim] + [2 * hidden] * (num_layers - 1)
        self.rnns = nn.ModuleList(nn.LSTM(d, hidden, batch_first=True, bidirectional=True) for d in dims)
        self.drop = LockedDropout()
        self.fc = nn.Linear(4 * hidden, num_classes)

    def forward(self, text):
        lo, hi = EMOJI_RANGE
        is_emoji = (text >= lo) & (text < hi)
        x = self.embedding(text)
        x = x + is_emoji.unsqueeze(-1) * self.emoji_class((text - lo).clamp(0, self.n_emoji_classes - 1))
        for rnn in self.rnns:
            x, _ = rnn(self.drop(x))
        mask = text.ne(PAD).unsqueeze(-1)
        mean = (x * mask).sum(1) / mask.sum(1).clamp(min=1)
        mx = x.masked_fill(~mask, -1e4).amax(1)
        return self.fc(torch.cat([mean, mx], -1))


def _inputs(n):
    text = torch.randint(1, 2100, (n, 20))
    lengths = torch.randint(6, 21, (n,))
    text[torch.arange(20)[None] >= lengths[:, None]] = PAD
    return text


def corpus_case():
    torch.manual_seed(0)
    return {"model": BiLSTMClassifier().eval(), "inputs": _inputs, "kind": "benign"}
