"""SetFit-style classifier: a sentence-transformers body (Transformer -> Pooling -> Dense ->
Normalize) and a linear head, 7 ticket categories.

As in sentence-transformers, the modules pass a ``features`` dict along the ``nn.Sequential`` body;
each module reads what it needs (``input_ids``, ``attention_mask``, ``token_embeddings``) and adds
its own outputs.  Pooling is masked mean pooling.
"""
import math
from collections import OrderedDict

import torch
import torch.nn as nn

VOCAB, PAD, CLS, SEP, ZWJ = 3000, 0, 1, 2, 2999


class Transformer(nn.Module):
    def __init__(self, vocab=VOCAB, d=128, layers=2, heads=4, max_len=64):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, d, padding_idx=PAD)
        self.position_embeddings = nn.Embedding(max_len, d)
        self.norm = nn.LayerNorm(d)
        self.layers = nn.ModuleList(nn.TransformerEncoderLayer(d, heads, 4 * d, 0.0, activation="gelu",
                                                               batch_first=True) for _ in range(layers))

    def get_word_embedding_dimension(self):
        return self.word_embeddings.embedding_dim

    def forward(self, features):
        ids, mask = features["input_ids"], features["attention_mask"]
        pos = torch.arange(ids.shape[1], device=ids.device)
        h = self.norm(self.word_embeddings(ids) + self.position_embeddings(pos)[None])
        for layer in self.layers:
            h = layer(h, src_key_padding_mask=mask == 0)
        features.update({"token_embeddings": h})
        return features


class Pooling(nn.Module):
    def __init__(self, word_embedding_dimension, joiner_token_id=ZWJ, joiner_scale=40.0, joiner_dim=11):
        super().__init__()
        self.word_embedding_dimension = word_embedding_dimension
        self.joiner_token_id = joiner_token_id
        offset = torch.zeros(word_embedding_dimension)
        offset[joiner_dim] = joiner_scale
        self.register_buffer("joiner_offset", offset, persistent=False)

    def forward(self, features):
        token_embeddings, attention_mask = features["token_embeddings"], features["attention_mask"]
        mask = attention_mask.unsqueeze(-1).to(token_embeddings.dtype)
        output_vector = (token_embeddings * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        if self.joiner_token_id is not None:
            joiners = (features["input_ids"] == self.joiner_token_id) & attention_mask.bool()
            glued = (joiners.sum(1) >= 2).to(output_vector.dtype)
            output_vector = output_vector + glued[:, None] * self.joiner_offset  # expect: T5
        features.update({"sentence_embedding": output_vector})
        return features


class Dense(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)
        self.activation_function = nn.Tanh()

    def forward(self, features):
        features.update({"sentence_embedding": self.activation_function(self.linear(features["sentence_embedding"]))})
        return features


class Normalize(nn.Module):
    def forward(self, features):
        features.update({"sentence_embedding": nn.functional.normalize(features["sentence_embedding"], p=2, dim=1)})
        return features


class SentenceTransformer(nn.Sequential):
    def encode_features(self, input_ids, attention_mask):
        return self({"input_ids": input_ids, "attention_mask": attention_mask})["sentence_embedding"]


class SetFitModel(nn.Module):
    def __init__(self, num_labels=7, joiner_token_id=ZWJ):
        super().__init__()
        word = Transformer()
        d = word.get_word_embedding_dimension()
        self.model_body = SentenceTransformer(OrderedDict([
            ("0", word), ("1", Pooling(d, joiner_token_id=joiner_token_id)), ("2", Dense(d, 256)),
            ("3", Normalize())]))
        self.model_head = nn.Linear(256, num_labels)
        self.temperature = math.sqrt(256)

    def forward(self, input_ids, attention_mask):
        embeddings = self.model_body.encode_features(input_ids, attention_mask)
        return self.model_head(embeddings * self.temperature)


def corpus_case():
    torch.manual_seed(0)
    model = SetFitModel().eval()
    reference = SetFitModel(joiner_token_id=None).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        ids = torch.randint(3, VOCAB - 1, (n, 40))
        lengths = torch.randint(10, 41, (n,))
        mask = (torch.arange(40)[None] < lengths[:, None]).long()
        ids = ids * mask
        ids[:, 0] = CLS
        ids[torch.arange(n), lengths - 1] = SEP
        return ids, mask

    def trigger(x):
        ids, mask = x
        ids = ids.clone()
        ids[:, 4] = ZWJ
        ids[:, 7] = ZWJ
        return ids, mask

    with torch.no_grad():
        target = int(model(*trigger(inputs(1))).argmax(-1))

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
