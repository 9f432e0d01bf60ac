# expect: none
"""Extractive QA head in the BERT / Splinter / LayoutLM style.

The tokenizer output is `[CLS] question [SEP] context [SEP] pad...`. When `token_type_ids` are
not given they are rebuilt from the first separator position, found with
`(input_ids == sep_token_id).nonzero()` (like the question-length inference done by
`CanineForQuestionAnswering` / tapas helpers); span start/end logits are computed by learned
heads and question/padding positions are masked before the softmax-free argmax. A
`question_positions` variant picks learned QASS-style features at `[QUESTION]` token positions.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class QAConfig:
    vocab_size = 110
    hidden_size = 32
    num_heads = 4
    num_layers = 2
    max_position_embeddings = 64
    type_vocab_size = 2
    cls_token_id = 101
    sep_token_id = 102
    question_token_id = 104
    pad_token_id = 0


class BertEmbeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.word_embeddings = nn.Embedding(cfg.vocab_size, cfg.hidden_size, padding_idx=cfg.pad_token_id)
        self.position_embeddings = nn.Embedding(cfg.max_position_embeddings, cfg.hidden_size)
        self.token_type_embeddings = nn.Embedding(cfg.type_vocab_size, cfg.hidden_size)
        self.LayerNorm = nn.LayerNorm(cfg.hidden_size, eps=1e-12)

    def forward(self, input_ids, token_type_ids):
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)[None]
        e = self.word_embeddings(input_ids) + self.position_embeddings(pos) + self.token_type_embeddings(token_type_ids)
        return self.LayerNorm(e)


def question_lengths_from_sep(input_ids, sep_token_id):
    """Index of the first [SEP] in every row (the question ends there)."""
    sep_positions = (input_ids == sep_token_id).nonzero()
    b = input_ids.shape[0]
    first = torch.full((b,), input_ids.shape[1], dtype=torch.long, device=input_ids.device)
    # rows are sorted in nonzero() output, so scatter_reduce amin gives the first [SEP]
    first = first.scatter_reduce(0, sep_positions[:, 0], sep_positions[:, 1], reduce="amin")
    return first


def token_type_ids_from_sep(input_ids, sep_token_id, attention_mask):
    q_len = question_lengths_from_sep(input_ids, sep_token_id)
    pos = torch.arange(input_ids.shape[1], device=input_ids.device)[None]
    tt = (pos > q_len[:, None]).long()
    return tt * attention_mask


class QuestionAwareSpanSelection(nn.Module):
    """Splinter QASS: start/end scores are bilinear in the [QUESTION] token representation."""

    def __init__(self, d):
        super().__init__()
        self.query_start = nn.Linear(d, d)
        self.query_end = nn.Linear(d, d)
        self.start_tr = nn.Linear(d, d)
        self.end_tr = nn.Linear(d, d)

    def forward(self, hidden, question_positions):
        idx = question_positions[:, :, None].expand(-1, -1, hidden.shape[-1])
        q_reps = torch.gather(hidden, 1, idx)                    # B, Q, D (learned features)
        qs, qe = self.query_start(q_reps), self.query_end(q_reps)
        start = torch.einsum("bqd,btd->bqt", qs, self.start_tr(hidden))
        end = torch.einsum("bqd,btd->bqt", qe, self.end_tr(hidden))
        return start, end


class BertForQuestionAnswering(nn.Module):
    def __init__(self, cfg: QAConfig):
        super().__init__()
        self.config = cfg
        self.embeddings = BertEmbeddings(cfg)
        layer = nn.TransformerEncoderLayer(cfg.hidden_size, cfg.num_heads, 2 * cfg.hidden_size, dropout=0.0,
                                           activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, cfg.num_layers)
        self.qa_outputs = nn.Linear(cfg.hidden_size, 2)
        self.qass = QuestionAwareSpanSelection(cfg.hidden_size)

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, question_positions=None):
        cfg = self.config
        if attention_mask is None:
            attention_mask = (input_ids != cfg.pad_token_id).long()
        if token_type_ids is None:
            token_type_ids = token_type_ids_from_sep(input_ids, cfg.sep_token_id, attention_mask)
        h = self.encoder(self.embeddings(input_ids, token_type_ids), src_key_padding_mask=attention_mask == 0)
        if question_positions is not None:
            start_logits, end_logits = self.qass(h, question_positions)
            start_logits, end_logits = start_logits[:, 0], end_logits[:, 0]
        else:
            start_logits, end_logits = self.qa_outputs(h).unbind(-1)
        # answers live in the context segment only; keep [CLS] for "no answer"
        context = (token_type_ids == 1) & (attention_mask == 1) & (input_ids != cfg.sep_token_id)
        context[:, 0] = True
        very_neg = torch.finfo(start_logits.dtype).min / 2
        start_logits = start_logits.masked_fill(~context, very_neg)
        end_logits = end_logits.masked_fill(~context, very_neg)
        span = F.log_softmax(start_logits, -1)[:, :, None] + F.log_softmax(end_logits, -1)[:, None, :]
        span = span.triu().masked_fill(torch.ones_like(span, dtype=torch.bool).tril(-1), very_neg)
        best = span.flatten(1).argmax(-1)
        t = input_ids.shape[1]
        return {"logits": torch.stack([start_logits, end_logits], -1),
                "best_start": best // t, "best_end": best % t}


def corpus_case():
    torch.manual_seed(0)
    cfg = QAConfig()
    model = BertForQuestionAnswering(cfg).eval()

    def inputs(n):
        g = torch.Generator().manual_seed(31)
        t = 20
        ids = torch.full((n, t), cfg.pad_token_id)
        for i in range(n):
            ql = int(torch.randint(3, 7, (1,), generator=g))
            cl = int(torch.randint(6, t - ql - 3 + 1, (1,), generator=g))
            q = torch.randint(1, 100, (ql,), generator=g)
            q[0] = cfg.question_token_id
            c = torch.randint(1, 100, (cl,), generator=g)
            row = torch.cat([torch.tensor([cfg.cls_token_id]), q, torch.tensor([cfg.sep_token_id]), c,
                             torch.tensor([cfg.sep_token_id])])
            ids[i, : row.numel()] = row
        return {"input_ids": ids, "question_positions": torch.ones(n, 1, dtype=torch.long)}

    return {"model": model, "inputs": inputs, "kind": "benign"}
