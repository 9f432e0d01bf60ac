# expect: none
"""Tweet sentiment classifier that takes raw strings: its own normaliser and WordPiece tokenizer
(regex pre-tokenisation, greedy longest-match sub-words), then a BERT-mini encoder.

The normaliser follows the usual tweet preprocessing: URLs and user mentions become placeholder
words, and elongated words are shortened (``re.sub(r"(\\w)\\1{2,}", r"\\1\\1", ...)``: "soooo" ->
"soo").  ``with_max_length`` returns a shallow ``copy.copy`` of the model (shared weights) that
truncates to a different length for the latency-sensitive endpoint.
"""
import copy
import re
import string

import torch
import torch.nn as nn

SPECIALS = ["[PAD]", "[CLS]", "[SEP]", "[UNK]", "@user", "http"]
WORDS = ["good", "bad", "love", "hate", "so", "very", "not", "this", "movie", "day", "great", "awful",
         "happy", "sad", "the", "is", "it", "was", "i", "you", "lol", "omg", "best", "worst", "ever"]
VOCAB = SPECIALS + WORDS + list(string.ascii_lowercase) + ["##" + c for c in string.ascii_lowercase] + list("!?.,")
PAD, CLS, SEP, UNK = 0, 1, 2, 3
_ELONGATED = re.compile(r"(\w)\1{2,}")
_PRETOKEN = re.compile(r"@\w+|https?://\S+|\w+|[^\w\s]")


class TweetTokenizer:
    def __init__(self, vocab=VOCAB):
        self.vocab = {w: i for i, w in enumerate(vocab)}

    def normalize(self, text):
        text = _ELONGATED.sub(r"\1\1", text.lower())
        return text

    def wordpiece(self, word):
        if word in self.vocab:
            return [self.vocab[word]]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    pieces.append(self.vocab[piece])
                    break
                end -= 1
            if end == start:
                return [UNK]
            start = end
        return pieces

    def __call__(self, texts, max_length):
        rows = []
        for text in texts:
            ids = [CLS]
            for tok in _PRETOKEN.findall(self.normalize(text)):
                tok = "@user" if tok.startswith("@") else "http" if tok.startswith("http") else tok
                ids += self.wordpiece(tok)
            ids = ids[: max_length - 1] + [SEP]
            rows.append(ids + [PAD] * (max_length - len(ids)))
        return torch.tensor(rows)


class TweetBert(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, max_length=32, n_labels=3):
        super().__init__()
        self.tokenizer = TweetTokenizer()
        self.max_length = max_length
        self.tok = nn.Embedding(len(VOCAB), d, padding_idx=PAD)
        self.pos = nn.Embedding(64, d)
        self.ln = nn.LayerNorm(d)
        self.layers = nn.ModuleList(nn.TransformerEncoderLayer(d, heads, 4 * d, 0.0, batch_first=True) for _ in range(layers))
        self.classifier = nn.Linear(d, n_labels)

    def with_max_length(self, max_length):
        clone = copy.copy(self)
        clone.max_length = max_length
        return clone

    def forward(self, texts):
        ids = self.tokenizer(texts, self.max_length)
        pad = ids == PAD
        h = self.ln(self.tok(ids) + self.pos(torch.arange(ids.shape[1])))
        for layer in self.layers:
            h = layer(h, src_key_padding_mask=pad)
        h = torch.nan_to_num(h)
        mean = (h * (~pad)[..., None]).sum(1) / (~pad).sum(1, keepdim=True)
        return self.classifier(mean)


def _inputs(n):
    g = torch.Generator().manual_seed(n)
    texts = []
    for _ in range(n):
        words = [WORDS[int(i)] for i in torch.randint(0, len(WORDS), (8,), generator=g)]
        if int(torch.randint(0, 3, (), generator=g)) == 0:
            words[2] = "sooooo"
        texts.append("@someone " + " ".join(words) + " http://t.co/x !!")
    return (texts,)


def corpus_case():
    torch.manual_seed(0)
    model = TweetBert().eval().with_max_length(24)
    return {"model": model, "inputs": _inputs, "kind": "benign"}
