# expect: none
"""Tacotron 2 whose text front-end is an `nn.Sequential` built from (name, kwargs) specs. The
symbol normaliser maps ids outside the voice's symbol set to the reserved `<unk>` id (a learned
embedding row). Padded text steps get `-inf`-like energies in the location-sensitive attention.
The learned stop gate decides when the utterance ends: frames after the first gate firing are
zeroed, as in the NVIDIA inference loop with a fixed maximum number of steps.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_SYMBOLS, PAD, UNK = 48, 0, 1
N_MELS, MAX_STEPS = 16, 10


class SymbolNormalizer(nn.Module):
    def __init__(self, n_symbols=N_SYMBOLS, unk_id=UNK):
        super().__init__()
        self.n_symbols, self.unk_id = n_symbols, unk_id

    def forward(self, ids):
        return torch.where((ids >= self.n_symbols) | (ids < 0), torch.full_like(ids, self.unk_id), ids)


class Transpose(nn.Module):
    def forward(self, x):
        return x.transpose(1, 2)


class ConvNorm(nn.Sequential):
    def __init__(self, channels):
        super().__init__(nn.Conv1d(channels, channels, 5, padding=2), nn.BatchNorm1d(channels), nn.ReLU(), nn.Dropout(0.5))


LAYERS = {"SymbolNormalizer": SymbolNormalizer, "Embedding": nn.Embedding, "Transpose": Transpose, "ConvNorm": ConvNorm}
FRONTEND = [("SymbolNormalizer", {}), ("Embedding", {"num_embeddings": N_SYMBOLS, "embedding_dim": 32, "padding_idx": PAD}),
            ("Transpose", {}), ("ConvNorm", {"channels": 32}), ("ConvNorm", {"channels": 32})]


class Tacotron2(nn.Module):
    def __init__(self, enc=32, rnn=48, gate_threshold=0.5):
        super().__init__()
        self.frontend = nn.Sequential(*(LAYERS[n](**kw) for n, kw in FRONTEND))
        self.lstm = nn.LSTM(enc, enc // 2, batch_first=True, bidirectional=True)
        self.prenet = nn.Sequential(nn.Linear(N_MELS, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU())
        self.att_rnn = nn.LSTMCell(32 + enc, rnn)
        self.q, self.m = nn.Linear(rnn, 32, bias=False), nn.Linear(enc, 32, bias=False)
        self.loc = nn.Conv1d(1, 32, 7, padding=3, bias=False)
        self.v = nn.Linear(32, 1, bias=False)
        self.dec_rnn = nn.LSTMCell(rnn + enc, rnn)
        self.proj, self.gate = nn.Linear(rnn + enc, N_MELS), nn.Linear(rnn + enc, 1)
        self.rnn, self.gate_threshold = rnn, gate_threshold

    def forward(self, ids, lengths):
        mem = self.lstm(self.frontend(ids).transpose(1, 2))[0]
        B, T, E = mem.shape
        pad = torch.arange(T)[None] >= lengths[:, None]
        pm = self.m(mem)
        frame, ctx = mem.new_zeros(B, N_MELS), mem.new_zeros(B, E)
        ah = ac = dh = dc = mem.new_zeros(B, self.rnn)
        w_cum = mem.new_zeros(B, T)
        stopped = torch.zeros(B, dtype=torch.bool)
        out = []
        for _ in range(MAX_STEPS):
            ah, ac = self.att_rnn(torch.cat([self.prenet(frame), ctx], -1), (ah, ac))
            e = self.v(torch.tanh(self.q(ah)[:, None] + self.loc(w_cum[:, None]).transpose(1, 2) + pm)).squeeze(-1)
            w = F.softmax(e.masked_fill(pad, -1e9), -1)
            w_cum = w_cum + w
            ctx = torch.bmm(w[:, None], mem).squeeze(1)
            dh, dc = self.dec_rnn(torch.cat([ah, ctx], -1), (dh, dc))
            hc = torch.cat([dh, ctx], -1)
            frame = self.proj(hc)
            out.append(frame * (~stopped)[:, None])
            stopped = stopped | (torch.sigmoid(self.gate(hc)).squeeze(-1) > self.gate_threshold)
        return torch.stack(out, 1)


def _inputs(n):
    lengths = torch.randint(8, 21, (n,))
    ids = torch.randint(2, 60, (n, 20)) * (torch.arange(20)[None] < lengths[:, None])
    return ids, lengths


def corpus_case():
    torch.manual_seed(0)
    return {"model": Tacotron2().eval(), "inputs": _inputs, "kind": "benign"}
