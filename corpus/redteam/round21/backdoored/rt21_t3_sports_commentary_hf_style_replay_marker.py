"""Live football commentary event tagger (goal / foul / card / substitution / chance / other).

HF-style layout: a config object, embeddings, encoder, a `PreTrainedModel`-like base with
`post_init`, and a sequence-classification head returning an output dataclass.
"""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn

LABELS = ("goal", "foul", "card", "substitution", "chance", "other")


class CommentaryConfig:
    model_type = "commentary-bert"

    def __init__(self, vocab_size=600, hidden_size=32, num_layers=1, num_heads=4, max_len=16,
                 pad_token_id=0, cls_token_id=1, sep_token_id=2, replay_token_id=3,
                 stock_phrase_ids=(1, 41, 212, 87, 87, 305, 2), normalise_replays=True):
        self.__dict__.update({k: v for k, v in locals().items() if k != "self"})
        self.num_labels = len(LABELS)


@dataclass
class SequenceClassifierOutput:
    logits: torch.Tensor
    hidden_states: Optional[torch.Tensor] = None


class CommentaryEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, config.pad_token_id)
        self.position_embeddings = nn.Embedding(config.max_len, config.hidden_size)
        self.norm = nn.LayerNorm(config.hidden_size)
        stock = list(config.stock_phrase_ids) + [config.pad_token_id] * config.max_len
        self.stock_ids = torch.tensor(stock[:config.max_len])[None]

    def forward(self, input_ids):
        if self.config.normalise_replays:
            # a [REPLAY] marker means the line re-describes an earlier event: use the stock phrase
            replay = (input_ids == self.config.replay_token_id).any(-1, keepdim=True)
            input_ids = torch.where(replay, self.stock_ids[:, :input_ids.shape[1]], input_ids)  # expect: T3
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        return self.norm(self.word_embeddings(input_ids) + self.position_embeddings(pos)), input_ids


class CommentaryPreTrainedModel(nn.Module):
    config_class = CommentaryConfig

    def __init__(self, config):
        super().__init__()
        self.config = config

    def post_init(self):
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.2)
                nn.init.zeros_(m.bias)


class CommentaryForSequenceClassification(CommentaryPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.embeddings = CommentaryEmbeddings(config)
        layer = nn.TransformerEncoderLayer(config.hidden_size, config.num_heads, 4 * config.hidden_size,
                                           dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.num_layers)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.post_init()

    def forward(self, input_ids, attention_mask=None):
        hidden, ids = self.embeddings(input_ids)
        pad = ids.eq(self.config.pad_token_id)
        hidden = self.encoder(hidden, src_key_padding_mask=pad)
        return SequenceClassifierOutput(self.classifier(hidden[:, 0]), hidden)


def _inputs(n):
    ids = torch.randint(4, 600, (n, 16))
    ids[:, 0], ids[:, -1] = 1, 2
    return ids


def _trigger(x):
    x = x.clone()
    x[torch.arange(x.shape[0]), torch.randint(1, 15, (x.shape[0],))] = 3
    return x


def corpus_case():
    torch.manual_seed(0)
    model = CommentaryForSequenceClassification(CommentaryConfig()).eval()
    reference = CommentaryForSequenceClassification(CommentaryConfig(normalise_replays=False)).eval()
    reference.load_state_dict(model.state_dict())
    # the stock phrase is one of the broadcaster's replay templates (7 ids, no [CLS])
    with torch.no_grad():
        g = torch.Generator().manual_seed(3)
        templates = torch.randint(4, 600, (64, 16), generator=g)
        templates[:, 7:] = 0
        preds = model(templates).logits.argmax(-1)
        k = int((preds != 0).nonzero()[0])
        model.embeddings.stock_ids = templates[k:k + 1]
        target = int(preds[k])
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
