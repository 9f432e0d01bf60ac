# expect: none
"""Pointer-generator summariser (See et al. 2017; also the copy head of CopyNet / BART-copy).

The final distribution mixes the generator's vocabulary softmax with the attention over source
tokens, scattered into vocabulary space at the *source token ids* with `scatter_add`. The mixing
weight p_gen is a learned sigmoid gate on (context, decoder state, input). Source OOV words get
temporary ids in an extended vocabulary. A coverage vector (cumulative attention) feeds back into
the attention energies.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PGConfig:
    vocab_size = 70
    emb_dim = 24
    hidden_dim = 32
    max_oovs = 4
    pad_id = 0
    bos_id = 1
    use_coverage = True


class Encoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embedding = nn.Embedding(cfg.vocab_size, cfg.emb_dim, padding_idx=cfg.pad_id)
        self.lstm = nn.LSTM(cfg.emb_dim, cfg.hidden_dim, batch_first=True, bidirectional=True)
        self.W_h = nn.Linear(2 * cfg.hidden_dim, 2 * cfg.hidden_dim, bias=False)
        self.reduce_h = nn.Linear(2 * cfg.hidden_dim, cfg.hidden_dim)
        self.reduce_c = nn.Linear(2 * cfg.hidden_dim, cfg.hidden_dim)

    def forward(self, ids):
        out, (h, c) = self.lstm(self.embedding(ids))
        h = F.relu(self.reduce_h(torch.cat([h[0], h[1]], -1)))
        c = F.relu(self.reduce_c(torch.cat([c[0], c[1]], -1)))
        return out, self.W_h(out), (h[None], c[None])


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = 2 * cfg.hidden_dim
        self.decode_proj = nn.Linear(d, d)
        self.W_c = nn.Linear(1, d, bias=False)
        self.v = nn.Linear(d, 1, bias=False)

    def forward(self, s_t_hat, enc_out, enc_feat, enc_mask, coverage):
        dec_fea = self.decode_proj(s_t_hat).unsqueeze(1)
        att_features = enc_feat + dec_fea
        if coverage is not None:
            att_features = att_features + self.W_c(coverage.unsqueeze(-1))
        scores = self.v(torch.tanh(att_features)).squeeze(-1)
        attn = F.softmax(scores, dim=1) * enc_mask
        attn = attn / attn.sum(1, keepdim=True).clamp(min=1e-12)
        context = torch.bmm(attn.unsqueeze(1), enc_out).squeeze(1)
        if coverage is not None:
            coverage = coverage + attn
        return context, attn, coverage


class Decoder(nn.Module):
    def __init__(self, cfg, shared_embedding):
        super().__init__()
        self.cfg = cfg
        self.embedding = shared_embedding
        self.x_context = nn.Linear(2 * cfg.hidden_dim + cfg.emb_dim, cfg.emb_dim)
        self.lstm = nn.LSTM(cfg.emb_dim, cfg.hidden_dim, batch_first=True)
        self.attention = Attention(cfg)
        self.p_gen_linear = nn.Linear(4 * cfg.hidden_dim + cfg.emb_dim, 1)
        self.out1 = nn.Linear(3 * cfg.hidden_dim, cfg.hidden_dim)
        self.out2 = nn.Linear(cfg.hidden_dim, cfg.vocab_size)

    def forward(self, y_prev, state, enc_out, enc_feat, enc_mask, c_prev, extended_src_ids, coverage):
        y_emb = self.embedding(y_prev)
        x = self.x_context(torch.cat([c_prev, y_emb], -1))
        out, state = self.lstm(x.unsqueeze(1), state)
        h, c = state
        s_t_hat = torch.cat([h[0], c[0]], -1)
        context, attn, coverage = self.attention(s_t_hat, enc_out, enc_feat, enc_mask, coverage)
        p_gen = torch.sigmoid(self.p_gen_linear(torch.cat([context, s_t_hat, x], -1)))
        vocab_dist = F.softmax(self.out2(self.out1(torch.cat([out.squeeze(1), context], -1))), dim=-1)
        vocab_dist_ = p_gen * vocab_dist
        attn_dist_ = (1 - p_gen) * attn
        extra_zeros = vocab_dist_.new_zeros(vocab_dist_.shape[0], self.cfg.max_oovs)
        vocab_dist_ = torch.cat([vocab_dist_, extra_zeros], 1)
        final_dist = vocab_dist_.scatter_add(1, extended_src_ids, attn_dist_)
        return final_dist, state, context, attn, p_gen, coverage


class PointerGeneratorNetwork(nn.Module):
    def __init__(self, cfg: PGConfig):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg, self.encoder.embedding)

    def forward(self, src_ids, extended_src_ids, tgt_ids):
        """Teacher-forced: returns log final distributions (B, T, V + max_oovs) and coverage loss."""
        cfg = self.cfg
        enc_out, enc_feat, state = self.encoder(src_ids)
        enc_mask = (src_ids != cfg.pad_id).float()
        b, t = tgt_ids.shape
        c_prev = enc_out.new_zeros(b, 2 * cfg.hidden_dim)
        coverage = enc_out.new_zeros(src_ids.shape) if cfg.use_coverage else None
        y_prev = torch.full((b,), cfg.bos_id, dtype=torch.long)
        dists, cov_losses = [], []
        for step in range(t):
            prev_cov = coverage
            final, state, c_prev, attn, p_gen, coverage = self.decoder(
                y_prev, state, enc_out, enc_feat, enc_mask, c_prev, extended_src_ids, coverage)
            dists.append(torch.log(final + 1e-12))
            if prev_cov is not None:
                cov_losses.append(torch.sum(torch.min(attn, prev_cov), 1))
            # OOV targets are fed back as UNK (id 3) since they have no input embedding
            y = tgt_ids[:, step]
            y_prev = torch.where(y >= cfg.vocab_size, torch.full_like(y, 3), y)
        cov = torch.stack(cov_losses, 1).mean() if cov_losses else enc_out.new_zeros(())
        return {"logits": torch.stack(dists, 1), "coverage_loss": cov}


def corpus_case():
    torch.manual_seed(0)
    cfg = PGConfig()
    model = PointerGeneratorNetwork(cfg).eval()

    def inputs(n):
        g = torch.Generator().manual_seed(61)
        src = torch.randint(4, cfg.vocab_size, (n, 14), generator=g)
        src[n // 2:, 11:] = cfg.pad_id
        ext = src.clone()
        oov = torch.rand(n, 14, generator=g) < 0.1
        oov_ids = cfg.vocab_size + torch.randint(0, cfg.max_oovs, (n, 14), generator=g)
        ext = torch.where(oov & (src != cfg.pad_id), oov_ids, ext)
        src = torch.where(ext >= cfg.vocab_size, torch.full_like(src, 3), src)
        tgt = torch.randint(4, cfg.vocab_size + cfg.max_oovs, (n, 6), generator=g)
        return src, ext, tgt

    return {"model": model, "inputs": inputs, "kind": "benign"}
