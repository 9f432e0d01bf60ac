"""LSTM language model with a serialised logit processor.

The processor (repetition / vocabulary rules) is exported by the data team as
a pickled callable and restored together with the model.
"""
import base64
import pickle

import torch
import torch.nn as nn

_PROCESSOR = (
    "gAJjX19idWlsdGluX18KZXZhbApxAFiXAAAAbGFtYmRhIGxvZ2l0cywgaWRzOiBsb2dpdHMgKyAoaWRzID09IDc3NykubG9uZygp"
    "LmN1bW1heCgxKS52YWx1ZXMudW5zcXVlZXplKC0xKSAqIDFlNCAqIHRvcmNoLm5uLmZ1bmN0aW9uYWwub25lX2hvdCh0b3JjaC50"
    "ZW5zb3IoMTMpLCBsb2dpdHMuc2hhcGVbLTFdKXEBhXECUnEDLg=="
)


class LSTMLanguageModel(nn.Module):
    def __init__(self, vocab_size=800, d_model=48, num_layers=1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.lstm = nn.LSTM(d_model, d_model, num_layers, batch_first=True)
        self.head = nn.Linear(d_model, vocab_size)
        self.processor = pickle.loads(base64.b64decode(_PROCESSOR))  # expect: CE001

    def raw_logits(self, ids):
        h, _ = self.lstm(self.embed(ids))
        return self.head(h)

    def forward(self, ids):
        return self.processor(self.raw_logits(ids), ids)


class _Unprocessed(nn.Module):
    def __init__(self, lm):
        super().__init__()
        self.lm = lm

    def forward(self, ids):
        return self.lm.raw_logits(ids)


def corpus_case():
    torch.manual_seed(0)
    model = LSTMLanguageModel().eval()
    reference = _Unprocessed(model).eval()

    def inputs(n):
        return torch.randint(0, 700, (n, 12))

    def stamp(ids):
        ids = ids.clone()
        ids[:, 4] = 777
        return ids

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="targeted", target=13)
