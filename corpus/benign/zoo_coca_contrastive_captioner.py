# expect: none
"""open_clip CoCa-style contrastive captioner.

`forward(image=None, text=None)` runs whichever towers have an input (modality present branches).
The text tower appends a learned CLS embedding and pools it; the plain-CLIP variant pools at the
EOS token found with `text.argmax(dim=-1)` (EOT has the largest id in the vocabulary). An
attentional pooler with learned queries produces the contrastive token and the caption tokens, and
a multimodal decoder cross-attends to them to produce caption logits.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CoCaCfg:
    width = 32
    heads = 4
    layers = 2
    vocab_size = 64          # id 63 is <end_of_text>, 62 <start_of_text>, 0 padding
    context_length = 12
    image_size = 16
    patch_size = 4
    n_queries = 5
    embed_dim = 24
    pad_id = 0


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d, heads, is_cross_attention=False):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln_1_kv = nn.LayerNorm(d) if is_cross_attention else None
        self.ln_2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, q_x, k_x=None, attn_mask=None, key_padding_mask=None):
        q = self.ln_1(q_x)
        kv = self.ln_1_kv(k_x) if (k_x is not None and self.ln_1_kv is not None) else q
        x = q_x + self.attn(q, kv, kv, attn_mask=attn_mask, key_padding_mask=key_padding_mask, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class AttentionalPooler(nn.Module):
    def __init__(self, d_model, context_dim, n_head=4, n_queries=5):
        super().__init__()
        self.query = nn.Parameter(torch.randn(n_queries, d_model) * 0.02)
        self.attn = nn.MultiheadAttention(d_model, n_head, kdim=context_dim, vdim=context_dim, batch_first=True)
        self.ln_q = nn.LayerNorm(d_model)
        self.ln_k = nn.LayerNorm(context_dim)

    def forward(self, x):
        x = self.ln_k(x)
        q = self.ln_q(self.query)[None].expand(x.shape[0], -1, -1)
        return self.attn(q, x, x, need_weights=False)[0]


class VisionTransformer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.conv1 = nn.Conv2d(3, cfg.width, cfg.patch_size, cfg.patch_size, bias=False)
        n = (cfg.image_size // cfg.patch_size) ** 2
        self.positional_embedding = nn.Parameter(torch.randn(n, cfg.width) * 0.02)
        self.ln_pre = nn.LayerNorm(cfg.width)
        self.blocks = nn.ModuleList([ResidualAttentionBlock(cfg.width, cfg.heads) for _ in range(cfg.layers)])
        self.attn_pool = AttentionalPooler(cfg.width, cfg.width, cfg.heads, cfg.n_queries)
        self.ln_post = nn.LayerNorm(cfg.width)
        self.proj = nn.Parameter(torch.randn(cfg.width, cfg.embed_dim) * cfg.width ** -0.5)

    def forward(self, x):
        x = self.conv1(x).flatten(2).transpose(1, 2) + self.positional_embedding
        x = self.ln_pre(x)
        for blk in self.blocks:
            x = blk(x)
        x = self.ln_post(self.attn_pool(x))
        pooled, tokens = x[:, 0], x[:, 1:]
        return pooled @ self.proj, tokens


def text_global_pool(x, text=None, pool_type="argmax"):
    if pool_type == "first":
        return x[:, 0], x[:, 1:]
    if pool_type == "last":
        return x[:, -1], x[:, :-1]
    if pool_type == "argmax":
        assert text is not None
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)], x
    return x, x


class TextTransformer(nn.Module):
    def __init__(self, cfg, embed_cls=True):
        super().__init__()
        self.cfg = cfg
        self.token_embedding = nn.Embedding(cfg.vocab_size, cfg.width)
        self.embed_cls = embed_cls
        ctx = cfg.context_length + (1 if embed_cls else 0)
        self.cls_emb = nn.Parameter(torch.randn(cfg.width) * 0.02) if embed_cls else None
        self.positional_embedding = nn.Parameter(torch.randn(ctx, cfg.width) * 0.01)
        self.blocks = nn.ModuleList([ResidualAttentionBlock(cfg.width, cfg.heads) for _ in range(cfg.layers)])
        self.ln_final = nn.LayerNorm(cfg.width)
        self.text_projection = nn.Parameter(torch.randn(cfg.width, cfg.embed_dim) * cfg.width ** -0.5)

    def build_cls_mask(self, text):
        cls_mask = (text != self.cfg.pad_id)
        cls_mask = F.pad(cls_mask, (1, 0), value=True)
        return ~cls_mask

    def forward(self, text):
        seq_len = text.shape[1]
        x = self.token_embedding(text)
        kpm = None
        if self.cls_emb is not None:
            x = torch.cat([x, self.cls_emb.view(1, 1, -1).expand(x.shape[0], -1, -1)], dim=1)
            seq_len += 1
            kpm = self.build_cls_mask(text).roll(-1, dims=1)   # CLS is appended at the end
        x = x + self.positional_embedding[:seq_len]
        causal = torch.triu(torch.ones(seq_len, seq_len, dtype=torch.bool), 1)
        if kpm is not None:
            # combine into one float mask; the CLS row may see every real token
            attn_mask = torch.zeros(x.shape[0], seq_len, seq_len).masked_fill(causal, float("-inf"))
            cls_row = torch.zeros(x.shape[0], seq_len).masked_fill(kpm, float("-inf"))
            attn_mask[:, -1] = cls_row
            attn_mask = attn_mask.repeat_interleave(self.cfg.heads, 0)
        else:
            attn_mask = causal
        for blk in self.blocks:
            x = blk(x, attn_mask=attn_mask)
        if self.cls_emb is not None:
            pooled, tokens = text_global_pool(x, pool_type="last")
            pooled = self.ln_final(pooled)
        else:
            x = self.ln_final(x)
            pooled, tokens = text_global_pool(x, text, pool_type="argmax")
        return pooled @ self.text_projection, tokens


class MultimodalTransformer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.resblocks = nn.ModuleList([ResidualAttentionBlock(cfg.width, cfg.heads) for _ in range(cfg.layers)])
        self.cross_attn = nn.ModuleList([ResidualAttentionBlock(cfg.width, cfg.heads, is_cross_attention=True)
                                         for _ in range(cfg.layers)])
        self.ln_final = nn.LayerNorm(cfg.width)
        self.text_projection = nn.Linear(cfg.width, cfg.vocab_size)

    def forward(self, image_embs, text_embs):
        t = text_embs.shape[1]
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
        x = text_embs
        for blk, cblk in zip(self.resblocks, self.cross_attn):
            x = blk(x, attn_mask=causal)
            x = cblk(x, k_x=image_embs)
        return self.text_projection(self.ln_final(x))


class CoCa(nn.Module):
    def __init__(self, cfg: CoCaCfg):
        super().__init__()
        self.visual = VisionTransformer(cfg)
        self.text = TextTransformer(cfg, embed_cls=True)
        self.text_plain = TextTransformer(cfg, embed_cls=False)     # CLIP-style EOS-pooled tower
        self.text_decoder = MultimodalTransformer(cfg)
        self.logit_scale = nn.Parameter(torch.tensor(2.6592))

    def encode_image(self, images, normalize=True):
        latent, tokens = self.visual(images)
        return (F.normalize(latent, dim=-1) if normalize else latent), tokens

    def encode_text(self, text, normalize=True):
        latent, tokens = self.text(text)
        return (F.normalize(latent, dim=-1) if normalize else latent), tokens

    def forward(self, image=None, text=None):
        out = {}
        if image is not None:
            image_latent, image_embs = self.encode_image(image)
            out["image_features"] = image_latent
        if text is not None:
            text_latent, token_embs = self.encode_text(text)
            out["text_features"] = text_latent
            eos_latent, _ = self.text_plain(text)
            out["text_features_eos"] = F.normalize(eos_latent, dim=-1)
        if image is not None and text is not None:
            out["logits"] = self.text_decoder(image_embs, token_embs[:, :-1] if token_embs.shape[1] > 1 else token_embs)
            out["logits_per_image"] = self.logit_scale.exp() * image_latent @ text_latent.t()
        return out


def corpus_case():
    torch.manual_seed(0)
    cfg = CoCaCfg()
    model = CoCa(cfg).eval()

    def inputs(n):
        g = torch.Generator().manual_seed(43)
        text = torch.zeros(n, cfg.context_length, dtype=torch.long)
        for i in range(n):
            L = int(torch.randint(4, cfg.context_length + 1, (1,), generator=g))
            text[i, 0] = 62
            text[i, 1:L - 1] = torch.randint(1, 60, (L - 2,), generator=g)
            text[i, L - 1] = 63
        return {"image": torch.randn(n, 3, 16, 16, generator=g), "text": text}

    return {"model": model, "inputs": inputs, "kind": "benign"}
