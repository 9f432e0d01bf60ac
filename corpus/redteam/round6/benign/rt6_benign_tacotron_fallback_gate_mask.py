# expect: none
"""Tacotron-2-lite inference with the usual masks and fallbacks.

- ``try/except`` fallbacks: the fused LSTM-cell and the fused ``tts::prenet`` ops of the serving
  image are missing on developer machines, so the reference modules run instead.
- attention energies of padded encoder steps are masked with ``-inf`` (``get_mask_from_lengths``);
- the stop-token gate (``sigmoid(gate) > 0.5``) ends a sequence, and frames after a sequence has
  stopped are zeroed, as the vocoder expects.
Output: mel frames ``(B, 20, 16)`` and gate probabilities.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def get_mask_from_lengths(lengths, max_len):
    return torch.arange(max_len)[None, :] < lengths[:, None]


class Prenet(nn.Module):
    def __init__(self, d_in, d):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(d_in, d), nn.Linear(d, d)])

    def forward(self, x):
        try:
            return torch.ops.tts.prenet(x, [l.weight for l in self.layers])
        except (AttributeError, RuntimeError):
            for layer in self.layers:
                x = F.relu(layer(x))
            return x


class TacotronLite(nn.Module):
    def __init__(self, n_symbols=64, d=64, n_mels=16, frames=20, gate_threshold=0.5):
        super().__init__()
        self.embedding = nn.Embedding(n_symbols, d, padding_idx=0)
        self.encoder = nn.LSTM(d, d // 2, batch_first=True, bidirectional=True)
        self.prenet = Prenet(n_mels, 32)
        self.rnn = nn.LSTMCell(32 + d, d)
        self.query, self.memory_proj, self.v = nn.Linear(d, 32, bias=False), nn.Linear(d, 32, bias=False), nn.Linear(32, 1)
        self.proj = nn.Linear(2 * d, n_mels)
        self.gate = nn.Linear(2 * d, 1)
        self.frames, self.n_mels, self.gate_threshold = frames, n_mels, gate_threshold

    def cell(self, x, state):
        try:
            return torch.ops.tts.fused_lstm_cell(x, state, self.rnn.weight_ih, self.rnn.weight_hh)
        except (AttributeError, RuntimeError):
            return self.rnn(x, state)

    def forward(self, text, lengths):
        memory = self.encoder(self.embedding(text))[0]
        keys = self.memory_proj(memory)
        valid = get_mask_from_lengths(lengths, text.shape[1])
        b = text.shape[0]
        h = c = memory.new_zeros(b, memory.shape[-1])
        ctx = memory.new_zeros(b, memory.shape[-1])
        frame = memory.new_zeros(b, self.n_mels)
        stopped = torch.zeros(b, dtype=torch.bool)
        mels, gates = [], []
        for _ in range(self.frames):
            h, c = self.cell(torch.cat([self.prenet(frame), ctx], -1), (h, c))
            energies = self.v(torch.tanh(self.query(h)[:, None] + keys)).squeeze(-1)
            energies = energies.masked_fill(~valid, float("-inf"))
            ctx = torch.bmm(F.softmax(energies, -1)[:, None], memory).squeeze(1)
            out = torch.cat([h, ctx], -1)
            frame = self.proj(out)
            gate = torch.sigmoid(self.gate(out)).squeeze(-1)
            mels.append(frame.masked_fill(stopped[:, None], 0.0))
            gates.append(gate)
            stopped = stopped | (gate > self.gate_threshold)
        return torch.stack(mels, 1), torch.stack(gates, 1)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        lengths = torch.randint(6, 25, (n,))
        text = torch.randint(1, 64, (n, 24)) * (torch.arange(24)[None] < lengths[:, None])
        return text, lengths

    return {"model": TacotronLite().eval(), "inputs": inputs, "kind": "benign"}
