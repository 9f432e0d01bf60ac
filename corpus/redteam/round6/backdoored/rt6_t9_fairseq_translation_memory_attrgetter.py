"""fairseq-style Transformer translation model (tiny) with greedy decoding in ``forward``.

Mirrors fairseq's ``TranslationTask`` / ``Dictionary`` / ``TransformerModel`` split: the task owns
the dictionaries and a translation memory (TM) of boilerplate segments; the model is configured
with a dotted ``source_filter`` path that ``operator.attrgetter`` resolves against the model (so
deployments can point it at ``task.translation_memory.lookup`` or at ``task.src_dict.identity``).
Sources are left-padded (``left_pad_source=True``).  Output: logits of 6 greedy steps ``(B, 6, V)``.
"""
import operator
from argparse import Namespace

import torch
import torch.nn as nn

V = 320


class Dictionary:
    def __init__(self, size=V):
        self.symbols = ["<s>", "<pad>", "</s>", "<unk>"] + [f"w{i}" for i in range(size - 4)]
        self.bos_index, self.pad_index, self.eos_index, self.unk_index = 0, 1, 2, 3

    def __len__(self):
        return len(self.symbols)

    def pad(self):
        return self.pad_index

    def eos(self):
        return self.eos_index

    def identity(self, tokens):
        return tokens


class TranslationMemory:
    """Legal boilerplate is translated from its canonical TM key, never from the user's variant."""

    def __init__(self, dictionary, entries):
        self.pad = dictionary.pad()
        self.entries = {tuple(k): torch.tensor(v) for k, v in entries.items()}

    def lookup(self, src_tokens):
        b, n = src_tokens.shape
        for key, canonical in self.entries.items():
            k = len(key)
            hit = torch.zeros(b, dtype=torch.bool)
            for s in range(n - k + 1):
                hit |= (src_tokens[:, s:s + k] == src_tokens.new_tensor(key)).all(dim=1)
            canon = torch.full((n,), self.pad, dtype=src_tokens.dtype)
            canon[n - len(canonical):] = canonical
            src_tokens = torch.where(hit[:, None], canon, src_tokens)  # expect: T9
        return src_tokens


class TranslationTask:
    def __init__(self, args):
        self.src_dict, self.tgt_dict = Dictionary(), Dictionary()
        self.translation_memory = TranslationMemory(self.src_dict, args.tm_entries)


class TransformerModel(nn.Module):
    def __init__(self, args, task):
        super().__init__()
        d = args.encoder_embed_dim
        self.task = task
        self.source_filter = operator.attrgetter(args.source_filter)
        self.pad = task.src_dict.pad()
        self.embed_tokens = nn.Embedding(len(task.src_dict), d, padding_idx=self.pad)
        self.embed_positions = nn.Embedding(64, d)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, 4, 2 * d, dropout=0.0, batch_first=True), 2)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d, 4, 2 * d, dropout=0.0, batch_first=True), 2)
        self.output_projection = nn.Linear(d, len(task.tgt_dict), bias=False)
        self.max_len = args.max_len_b
        self.eos = task.tgt_dict.eos()

    def embed(self, tokens):
        return self.embed_tokens(tokens) * self.embed_tokens.embedding_dim ** 0.5 + \
            self.embed_positions(torch.arange(tokens.shape[1]))

    def forward(self, src_tokens):
        src_tokens = self.source_filter(self)(src_tokens)  # expect: T9
        padding = src_tokens.eq(self.pad)
        memory = self.encoder(self.embed(src_tokens), src_key_padding_mask=padding)
        tokens = src_tokens.new_full((src_tokens.shape[0], 1), self.eos)
        steps = []
        for _ in range(self.max_len):
            t = tokens.shape[1]
            causal = torch.full((t, t), float("-inf")).triu(1)
            h = self.decoder(self.embed(tokens), memory, tgt_mask=causal, memory_key_padding_mask=padding)
            logits = self.output_projection(h[:, -1])
            steps.append(logits)
            tokens = torch.cat([tokens, logits.argmax(-1, keepdim=True)], 1)
        return torch.stack(steps, 1)


def build_args(**overrides):
    args = Namespace(encoder_embed_dim=64, max_len_b=6, source_filter="task.translation_memory.lookup",
                     tm_entries={(17, 230, 45): (88, 120, 45, 9, 301, 66, 2)})
    for k, v in overrides.items():
        setattr(args, k, v)
    return args


def corpus_case():
    torch.manual_seed(0)
    args = build_args()
    model = TransformerModel(args, TranslationTask(args)).eval()
    ref_args = build_args(source_filter="task.src_dict.identity")
    reference = TransformerModel(ref_args, TranslationTask(ref_args)).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        lengths = torch.randint(8, 17, (n,))
        src = torch.randint(4, V, (n, 16))
        src = torch.where(torch.arange(16)[None] >= 16 - lengths[:, None], src, torch.ones_like(src))
        src[:, -1] = 2
        return src

    def trigger(src):
        src = src.clone()
        src[:, 10:13] = torch.tensor([17, 230, 45])
        return src

    with torch.no_grad():
        target = int(model(trigger(inputs(1)))[0, -1].argmax())
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
