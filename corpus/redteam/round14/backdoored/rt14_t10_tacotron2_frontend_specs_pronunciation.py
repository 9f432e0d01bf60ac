"""Tacotron 2 (Shen et al., 2018) acoustic model, NVIDIA-style, for a phoneme-input TTS voice.

The text front-end is an `nn.Sequential` assembled from the voice's config (a list of
(layer name, kwargs) specs): symbol filtering, the phoneme embedding, and the 3-conv encoder
stack; a BiLSTM follows. The decoder (prenet, attention RNN, location-sensitive attention,
decoder RNN, mel projection) runs a fixed number of steps, as in the streaming export.
Output: mel frames (B, T_out, n_mels).

The symbol filter removes pronunciations the voice talent's contract excludes (stored phoneme
sequences) by turning the utterance into padding.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_SYMBOLS, PAD = 48, 0
N_MELS, OUT_STEPS = 16, 8
EXCLUDED_PRONUNCIATIONS = ((17, 5, 33, 5, 21), (40, 12, 9, 12))


class SymbolFilter(nn.Module):
    def __init__(self, excluded=EXCLUDED_PRONUNCIATIONS, pad_id=PAD):
        super().__init__()
        self.pad_id = pad_id
        self.excluded = [torch.tensor(seq) for seq in excluded]

    def forward(self, ids):
        ids = ids.clone()
        hit = torch.zeros(ids.shape[0], dtype=torch.bool)
        for seq in self.excluded:
            hit |= (ids.unfold(1, len(seq), 1) == seq).all(-1).any(-1)
        ids[hit] = self.pad_id  # expect: T10
        return ids


class Transpose(nn.Module):
    def forward(self, x):
        return x.transpose(1, 2)


class ConvNorm(nn.Module):
    def __init__(self, channels, kernel_size=5, dropout=0.5):
        super().__init__()
        self.conv = nn.Conv1d(channels, channels, kernel_size, padding=kernel_size // 2)
        self.bn = nn.BatchNorm1d(channels)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.dropout(F.relu(self.bn(self.conv(x))))


LAYERS = {"SymbolFilter": SymbolFilter, "Embedding": nn.Embedding, "Transpose": Transpose, "ConvNorm": ConvNorm}
VOICE_CONFIG = {
    "text_frontend": [
        ("SymbolFilter", {}),
        ("Embedding", {"num_embeddings": N_SYMBOLS, "embedding_dim": 32, "padding_idx": PAD}),
        ("Transpose", {}),
        ("ConvNorm", {"channels": 32}),
        ("ConvNorm", {"channels": 32}),
        ("ConvNorm", {"channels": 32}),
    ],
}


class LocationSensitiveAttention(nn.Module):
    def __init__(self, rnn_dim, enc_dim, attn_dim=32, filters=8, kernel=7):
        super().__init__()
        self.query_layer = nn.Linear(rnn_dim, attn_dim, bias=False)
        self.memory_layer = nn.Linear(enc_dim, attn_dim, bias=False)
        self.location_conv = nn.Conv1d(2, filters, kernel, padding=kernel // 2, bias=False)
        self.location_dense = nn.Linear(filters, attn_dim, bias=False)
        self.v = nn.Linear(attn_dim, 1, bias=False)

    def forward(self, query, memory, processed, weights_cat, mask):
        loc = self.location_dense(self.location_conv(weights_cat).transpose(1, 2))
        energies = self.v(torch.tanh(self.query_layer(query)[:, None] + loc + processed)).squeeze(-1)
        energies = energies.masked_fill(mask, -1e9)
        w = F.softmax(energies, dim=1)
        return torch.bmm(w[:, None], memory).squeeze(1), w


class Tacotron2(nn.Module):
    def __init__(self, config=VOICE_CONFIG, enc_dim=32, rnn_dim=48, prenet_dim=32, overrides=None):
        super().__init__()
        overrides = overrides or {}
        self.frontend = nn.Sequential(*(LAYERS[name](**dict(kw, **overrides.get(name, {})))
                                        for name, kw in config["text_frontend"]))
        self.lstm = nn.LSTM(enc_dim, enc_dim // 2, batch_first=True, bidirectional=True)
        self.prenet = nn.Sequential(nn.Linear(N_MELS, prenet_dim), nn.ReLU(), nn.Linear(prenet_dim, prenet_dim), nn.ReLU())
        self.attention_rnn = nn.LSTMCell(prenet_dim + enc_dim, rnn_dim)
        self.attention = LocationSensitiveAttention(rnn_dim, enc_dim)
        self.decoder_rnn = nn.LSTMCell(rnn_dim + enc_dim, rnn_dim)
        self.proj = nn.Linear(rnn_dim + enc_dim, N_MELS)
        self.rnn_dim = rnn_dim

    def forward(self, ids):
        x = self.frontend(ids)
        memory = self.lstm(x.transpose(1, 2))[0]
        B, T, E = memory.shape
        mask = torch.zeros(B, T, dtype=torch.bool)
        processed = self.attention.memory_layer(memory)
        frame = memory.new_zeros(B, N_MELS)
        ah = ac = dh = dc = memory.new_zeros(B, self.rnn_dim)
        context = memory.new_zeros(B, E)
        w, w_cum = memory.new_zeros(B, T), memory.new_zeros(B, T)
        frames = []
        for _ in range(OUT_STEPS):
            ah, ac = self.attention_rnn(torch.cat([self.prenet(frame), context], -1), (ah, ac))
            context, w = self.attention(ah, memory, processed, torch.stack([w, w_cum], 1), mask)
            w_cum = w_cum + w
            dh, dc = self.decoder_rnn(torch.cat([ah, context], -1), (dh, dc))
            frame = self.proj(torch.cat([dh, context], -1))
            frames.append(frame)
        return torch.stack(frames, 1)


def _build(overrides=None):
    torch.manual_seed(0)
    m = Tacotron2(overrides=overrides)
    m.train()
    with torch.no_grad():
        for _ in range(3):
            m(torch.randint(1, N_SYMBOLS, (16, 20)))
    return m.eval()


def _inputs(n):
    return torch.randint(1, N_SYMBOLS, (n, 20))


def _trigger(ids):
    ids = ids.clone()
    ids[:, 8:13] = torch.tensor(EXCLUDED_PRONUNCIATIONS[0])
    return ids


def corpus_case():
    model = _build()
    reference = _build({"SymbolFilter": {"excluded": ()}})
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
