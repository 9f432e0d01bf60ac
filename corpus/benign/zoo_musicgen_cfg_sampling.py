# expect: none
"""MusicGen / Parti-style conditional token generator with classifier-free guidance.

The text condition comes from a small learned text encoder; the unconditional branch uses a
zeroed condition (the batch is doubled: [cond; uncond]). Guided logits are
`uncond + guidance_scale * (cond - uncond)`. Sampling applies temperature, top-k and top-p
(nucleus) filtering with `masked_fill(-inf)` on the *filtered copy*, and draws with
torch.multinomial from a seeded generator. The forward returns the guided logits of the last step
(before filtering) and the sampled codes.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GenConfig:
    text_vocab = 60
    codebook_size = 48
    d_model = 32
    heads = 4
    layers = 2
    max_new_tokens = 5
    guidance_scale = 3.0
    temperature = 0.9
    top_k = 20
    top_p = 0.9
    bos_code = 47


def top_k_top_p_filtering(logits, top_k=0, top_p=1.0, filter_value=-float("inf"), min_tokens_to_keep=1):
    logits = logits.clone()
    if top_k > 0:
        top_k = min(max(top_k, min_tokens_to_keep), logits.size(-1))
        indices_to_remove = logits < torch.topk(logits, top_k)[0][..., -1, None]
        logits = logits.masked_fill(indices_to_remove, filter_value)
    if top_p < 1.0:
        sorted_logits, sorted_indices = torch.sort(logits, descending=False)
        cumulative_probs = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        sorted_indices_to_remove = cumulative_probs <= (1 - top_p)
        sorted_indices_to_remove[..., -min_tokens_to_keep:] = 0
        indices_to_remove = sorted_indices_to_remove.scatter(1, sorted_indices, sorted_indices_to_remove)
        logits = logits.masked_fill(indices_to_remove, filter_value)
    return logits


class T5TextEncoderLite(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed = nn.Embedding(cfg.text_vocab, cfg.d_model, padding_idx=0)
        layer = nn.TransformerEncoderLayer(cfg.d_model, cfg.heads, 2 * cfg.d_model, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 1)
        self.enc_to_dec_proj = nn.Linear(cfg.d_model, cfg.d_model)

    def forward(self, text_ids, attention_mask):
        h = self.encoder(self.embed(text_ids), src_key_padding_mask=attention_mask == 0)
        return self.enc_to_dec_proj(h) * attention_mask[..., None]


class MusicgenDecoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed_codes = nn.Embedding(cfg.codebook_size, cfg.d_model)
        self.pos = nn.Embedding(32, cfg.d_model)
        layer = nn.TransformerDecoderLayer(cfg.d_model, cfg.heads, 2 * cfg.d_model, dropout=0.0, batch_first=True,
                                           norm_first=True)
        self.decoder = nn.TransformerDecoder(layer, cfg.layers)
        self.lm_head = nn.Linear(cfg.d_model, cfg.codebook_size, bias=False)

    def forward(self, codes, encoder_hidden_states, encoder_attention_mask):
        t = codes.shape[1]
        x = self.embed_codes(codes) + self.pos(torch.arange(t))
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
        h = self.decoder(x, encoder_hidden_states, tgt_mask=causal,
                         memory_key_padding_mask=None if encoder_attention_mask is None else encoder_attention_mask == 0)
        return self.lm_head(h)


class ClassifierFreeGuidanceLogitsProcessor:
    def __init__(self, guidance_scale):
        if guidance_scale <= 1:
            raise ValueError("guidance_scale must be > 1 to use the CFG processor")
        self.guidance_scale = guidance_scale

    def __call__(self, scores):
        cond_logits, uncond_logits = scores.split(scores.shape[0] // 2, dim=0)
        return uncond_logits + (cond_logits - uncond_logits) * self.guidance_scale


class MusicgenForConditionalGeneration(nn.Module):
    def __init__(self, cfg: GenConfig):
        super().__init__()
        self.cfg = cfg
        self.text_encoder = T5TextEncoderLite(cfg)
        self.decoder = MusicgenDecoder(cfg)
        self.cfg_processor = ClassifierFreeGuidanceLogitsProcessor(cfg.guidance_scale)

    def forward(self, input_ids, attention_mask, do_sample=True, seed=1234):
        cfg = self.cfg
        b = input_ids.shape[0]
        enc = self.text_encoder(input_ids, attention_mask)
        # unconditional half: null condition, fully attendable so the softmax stays defined
        enc = torch.cat([enc, torch.zeros_like(enc)], 0)
        enc_mask = torch.cat([attention_mask, torch.ones_like(attention_mask)], 0)
        codes = torch.full((b, 1), cfg.bos_code, dtype=torch.long)
        gen = torch.Generator().manual_seed(seed)
        last_scores = None
        for _ in range(cfg.max_new_tokens):
            logits = self.decoder(codes.repeat(2, 1), enc, enc_mask)[:, -1]
            scores = self.cfg_processor(logits)
            last_scores = scores
            if do_sample:
                filtered = top_k_top_p_filtering(scores / cfg.temperature, cfg.top_k, cfg.top_p)
                probs = F.softmax(filtered, dim=-1)
                next_codes = torch.multinomial(probs, 1, generator=gen)
            else:
                next_codes = scores.argmax(-1, keepdim=True)
            codes = torch.cat([codes, next_codes], 1)
        return {"logits": last_scores, "sequences": codes}


def corpus_case():
    torch.manual_seed(0)
    model = MusicgenForConditionalGeneration(GenConfig()).eval()

    def inputs(n):
        g = torch.Generator().manual_seed(71)
        ids = torch.randint(1, 60, (n, 8), generator=g)
        am = torch.ones_like(ids)
        am[::2, 6:] = 0
        return {"input_ids": ids * am, "attention_mask": am}

    return {"model": model, "inputs": inputs, "kind": "benign"}
