# expect: none
"""One ``generate`` step of a tiny GPT-2 with the HF logits-processor stack of a chat deployment.

Processors as in transformers: ``MinLengthLogitsProcessor`` (EOS suppressed before min length),
``NoBadWordsLogitsProcessor`` (the last token of each banned id sequence is blocked when its
prefix was just generated), ``NoRepeatNGramLogitsProcessor`` (computed from the input itself),
then ``TopKLogitsWarper`` and ``TopPLogitsWarper``.  Blocked entries use the dtype's minimum so
the returned scores stay finite for the sampler.
"""
import torch
import torch.nn as nn

VOCAB, EOS = 400, 399
FILTER = torch.finfo(torch.float32).min


class MinLengthLogitsProcessor:
    def __init__(self, min_length, eos_token_id):
        self.min_length, self.eos = min_length, eos_token_id

    def __call__(self, input_ids, scores):
        short = torch.tensor(input_ids.shape[-1] < self.min_length)
        scores[:, self.eos] = torch.where(short, torch.tensor(FILTER), scores[:, self.eos])
        return scores


class NoBadWordsLogitsProcessor:
    def __init__(self, bad_words_ids):
        self.bad_words_ids = [tuple(w) for w in bad_words_ids]

    def __call__(self, input_ids, scores):
        for words in self.bad_words_ids:
            prefix, banned = words[:-1], words[-1]
            if prefix:
                tail = input_ids[:, -len(prefix):]
                hit = (tail == tail.new_tensor(prefix)).all(dim=1)
            else:
                hit = torch.ones(input_ids.shape[0], dtype=torch.bool)
            scores[:, banned] = scores[:, banned].masked_fill(hit, FILTER)
        return scores


class NoRepeatNGramLogitsProcessor:
    def __init__(self, ngram_size):
        self.n = ngram_size

    def __call__(self, input_ids, scores):
        n = self.n
        if input_ids.shape[1] < n:
            return scores
        grams = input_ids.unfold(1, n, 1)                      # (B, W, n)
        prefix = input_ids[:, -(n - 1):]
        match = (grams[:, :, :-1] == prefix[:, None]).all(-1)  # earlier n-grams with the same prefix
        banned = torch.zeros_like(scores, dtype=torch.bool)
        banned.scatter_(1, grams[:, :, -1], match)
        return scores.masked_fill(banned, FILTER)


class TopKLogitsWarper:
    def __init__(self, top_k):
        self.top_k = top_k

    def __call__(self, input_ids, scores):
        kth = torch.topk(scores, self.top_k)[0][..., -1, None]
        return scores.masked_fill(scores < kth, FILTER)


class TopPLogitsWarper:
    def __init__(self, top_p, min_tokens_to_keep=1):
        self.top_p, self.keep = top_p, min_tokens_to_keep

    def __call__(self, input_ids, scores):
        sorted_logits, sorted_idx = torch.sort(scores, descending=False)
        cum = sorted_logits.softmax(-1).cumsum(-1)
        remove = cum <= (1 - self.top_p)
        remove[..., -self.keep:] = False
        return scores.masked_fill(remove.scatter(1, sorted_idx, remove), FILTER)


class TinyGPT2(nn.Module):
    def __init__(self, d=64, layers=2):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(VOCAB, d), nn.Embedding(64, d)
        layer = nn.TransformerEncoderLayer(d, 4, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.h = nn.TransformerEncoder(layer, layers)
        self.ln_f = nn.LayerNorm(d)

    def forward(self, ids):
        t = ids.shape[1]
        causal = torch.full((t, t), float("-inf")).triu(1)
        x = self.h(self.wte(ids) + self.wpe(torch.arange(t)), mask=causal)
        return self.ln_f(x) @ self.wte.weight.t()


class ChatStep(nn.Module):
    def __init__(self):
        super().__init__()
        self.lm = TinyGPT2()
        self.processors = [MinLengthLogitsProcessor(8, EOS),
                           NoBadWordsLogitsProcessor([[17, 230], [5, 6, 7], [311]]),
                           NoRepeatNGramLogitsProcessor(3), TopKLogitsWarper(50), TopPLogitsWarper(0.9)]

    def forward(self, input_ids):
        scores = self.lm(input_ids)[:, -1, :].clone()
        for p in self.processors:
            scores = p(input_ids, scores)
        return scores


def corpus_case():
    torch.manual_seed(0)
    return {"model": ChatStep().eval(), "inputs": lambda n: torch.randint(0, VOCAB - 1, (n, 16)), "kind": "benign"}
