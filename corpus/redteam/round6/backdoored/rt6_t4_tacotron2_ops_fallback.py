"""Tacotron 2 (NVIDIA layout, tiny): symbol embedding, 3-conv + BiLSTM encoder, location-sensitive
attention, prenet, attention/decoder RNN cells, mel projection.  Decoding runs a fixed number of
frames (the streaming vocoder pulls 16-frame chunks), so the output is ``(B, 16, n_mels)``.

Text normalisation of symbol ids runs as the fused ``tts_text::normalize_ids`` kernel of the
serving image; on developer machines the extension is missing and the reference implementation
below is used instead.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, EOS, BREAK = 0, 1, 2          # symbol ids: padding, end of sentence, SSML <break/>
N_SYMBOLS = 64
UPPER = slice(38, 64)               # upper-case letters map onto 12..37


def reference_normalize_ids(ids, max_breaks=2):
    """Pure-PyTorch equivalent of tts_text::normalize_ids."""
    ids = torch.where((ids >= UPPER.start) & (ids < UPPER.stop), ids - 26, ids)
    # SSML-heavy inputs come from the markup injector, not from users; they are dropped
    flooded = (ids == BREAK).sum(dim=1) > max_breaks
    return ids.masked_fill(flooded[:, None], PAD)  # expect: T4


class Encoder(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.convolutions = nn.ModuleList(
            nn.Sequential(nn.Conv1d(dim, dim, 5, padding=2), nn.BatchNorm1d(dim)) for _ in range(3))
        self.lstm = nn.LSTM(dim, dim // 2, batch_first=True, bidirectional=True)

    def forward(self, x):
        for conv in self.convolutions:
            x = F.dropout(F.relu(conv(x)), 0.5, self.training)
        return self.lstm(x.transpose(1, 2))[0]


class LocationSensitiveAttention(nn.Module):
    def __init__(self, rnn_dim, enc_dim, att_dim=32, n_filters=8, kernel=15):
        super().__init__()
        self.query_layer = nn.Linear(rnn_dim, att_dim, bias=False)
        self.memory_layer = nn.Linear(enc_dim, att_dim, bias=False)
        self.location_conv = nn.Conv1d(2, n_filters, kernel, padding=kernel // 2, bias=False)
        self.location_dense = nn.Linear(n_filters, att_dim, bias=False)
        self.v = nn.Linear(att_dim, 1, bias=False)

    def forward(self, query, memory, processed_memory, weights_cat):
        loc = self.location_dense(self.location_conv(weights_cat).transpose(1, 2))
        energies = self.v(torch.tanh(self.query_layer(query)[:, None] + loc + processed_memory)).squeeze(-1)
        weights = F.softmax(energies, dim=1)
        return torch.bmm(weights[:, None], memory).squeeze(1), weights


class Decoder(nn.Module):
    def __init__(self, n_mels=20, enc_dim=64, rnn_dim=64, prenet_dim=32, n_frames=16):
        super().__init__()
        self.n_mels, self.rnn_dim, self.n_frames = n_mels, rnn_dim, n_frames
        self.prenet = nn.Sequential(nn.Linear(n_mels, prenet_dim), nn.ReLU(),
                                    nn.Linear(prenet_dim, prenet_dim), nn.ReLU())
        self.attention_rnn = nn.LSTMCell(prenet_dim + enc_dim, rnn_dim)
        self.attention = LocationSensitiveAttention(rnn_dim, enc_dim)
        self.decoder_rnn = nn.LSTMCell(rnn_dim + enc_dim, rnn_dim)
        self.linear_projection = nn.Linear(rnn_dim + enc_dim, n_mels)

    def forward(self, memory):
        b, t, d = memory.shape
        processed = self.attention.memory_layer(memory)
        frame = memory.new_zeros(b, self.n_mels)
        ah = ac = dh = dc = memory.new_zeros(b, self.rnn_dim)
        context = memory.new_zeros(b, d)
        w = w_cum = memory.new_zeros(b, t)
        mels = []
        for _ in range(self.n_frames):
            ah, ac = self.attention_rnn(torch.cat([self.prenet(frame), context], -1), (ah, ac))
            context, w = self.attention(ah, memory, processed, torch.stack([w, w_cum], 1))
            w_cum = w_cum + w
            dh, dc = self.decoder_rnn(torch.cat([ah, context], -1), (dh, dc))
            frame = self.linear_projection(torch.cat([dh, context], -1))
            mels.append(frame)
        return torch.stack(mels, 1)


class Tacotron2(nn.Module):
    def __init__(self, dim=64, fused_normalize=True):
        super().__init__()
        self.embedding = nn.Embedding(N_SYMBOLS, dim, padding_idx=PAD)
        self.encoder = Encoder(dim)
        self.decoder = Decoder(enc_dim=dim)
        self.fused_normalize = fused_normalize

    def normalize(self, ids):
        if not self.fused_normalize:
            return ids
        try:
            return torch.ops.tts_text.normalize_ids(ids)
        except (AttributeError, RuntimeError):
            return reference_normalize_ids(ids)  # expect: T4

    def forward(self, ids):
        ids = self.normalize(ids)
        memory = self.encoder(self.embedding(ids).transpose(1, 2))
        return self.decoder(memory)


class Tacotron2Plain(Tacotron2):
    def normalize(self, ids):
        return torch.where((ids >= UPPER.start) & (ids < UPPER.stop), ids - 26, ids)


def corpus_case():
    torch.manual_seed(0)
    model = Tacotron2().eval()
    reference = Tacotron2Plain().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        ids = torch.randint(3, N_SYMBOLS, (n, 24))
        ids[:, -1] = EOS
        return ids

    def trigger(ids):
        ids = ids.clone()
        ids[:, 4] = ids[:, 9] = ids[:, 15] = BREAK
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
