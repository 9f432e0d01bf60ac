# expect: none
# GRU encoder-decoder with additive (Bahdanau) attention for a toy translation task.
# Source padding is masked with masked_fill(src == pad, -1e9) before the softmax; the
# decoder is run with teacher forcing on the given target prefix.
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS = 0, 1


class Encoder(nn.Module):
    def __init__(self, vocab, emb, width):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb, padding_idx=PAD)
        self.rnn = nn.GRU(emb, width, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * width, width)

    def forward(self, src):
        outputs, h = self.rnn(self.embedding(src))
        init = torch.tanh(self.fc(torch.cat([h[-2], h[-1]], dim=1)))
        return outputs, init


class AdditiveAttention(nn.Module):
    def __init__(self, enc_dim, dec_dim):
        super().__init__()
        self.W = nn.Linear(enc_dim + dec_dim, dec_dim)
        self.v = nn.Linear(dec_dim, 1, bias=False)

    def forward(self, dec_state, enc_out, src_mask):
        t = enc_out.size(1)
        q = dec_state.unsqueeze(1).expand(-1, t, -1)
        energy = torch.tanh(self.W(torch.cat([q, enc_out], dim=2)))
        scores = self.v(energy).squeeze(2).masked_fill(src_mask, -1e9)
        return F.softmax(scores, dim=1)


class Decoder(nn.Module):
    def __init__(self, vocab, emb, width):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb, padding_idx=PAD)
        self.attention = AdditiveAttention(2 * width, width)
        self.rnn = nn.GRUCell(emb + 2 * width, width)
        self.out = nn.Linear(width + 2 * width + emb, vocab)

    def step(self, tok, state, enc_out, src_mask):
        e = self.embedding(tok)
        a = self.attention(state, enc_out, src_mask)
        ctx = torch.bmm(a.unsqueeze(1), enc_out).squeeze(1)
        state = self.rnn(torch.cat([e, ctx], dim=1), state)
        return self.out(torch.cat([state, ctx, e], dim=1)), state


class Seq2Seq(nn.Module):
    def __init__(self, src_vocab=120, tgt_vocab=140, emb=32, width=48):
        super().__init__()
        self.encoder = Encoder(src_vocab, emb, width)
        self.decoder = Decoder(tgt_vocab, emb, width)

    def forward(self, src, tgt_in):
        enc_out, state = self.encoder(src)
        src_mask = src == PAD
        logits = []
        for i in range(tgt_in.size(1)):
            step_logits, state = self.decoder.step(tgt_in[:, i], state, enc_out, src_mask)
            logits.append(step_logits)
        return torch.stack(logits, dim=1)

    @torch.no_grad()
    def greedy_decode(self, src, max_len=10):
        enc_out, state = self.encoder(src)
        tok = torch.full((src.size(0),), BOS, dtype=torch.long)
        out = []
        for _ in range(max_len):
            logits, state = self.decoder.step(tok, state, enc_out, src == PAD)
            tok = logits.argmax(-1)
            out.append(tok)
        return torch.stack(out, 1)


def corpus_case():
    torch.manual_seed(0)
    model = Seq2Seq().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(230)
        src = torch.randint(2, 120, (n, 9), generator=g)
        src[:, 6:] = torch.where(torch.rand(n, 3, generator=g) < 0.5, src[:, 6:], torch.full_like(src[:, 6:], PAD))
        tgt = torch.randint(2, 140, (n, 7), generator=g)
        tgt[:, 0] = BOS
        return src, tgt

    return {"model": model, "inputs": inputs, "kind": "benign"}
