# expect: none
"""SAM2-style video object tracker at toy size.

Frames are processed one at a time. Each frame's features attend (memory attention) to a bank of
past memory features and object pointers. The mask decoder predicts an object score; when the
object is judged absent (`object_score_logits > 0` is False) the learned `no_obj_ptr` replaces the
object pointer and the learned `no_obj_embed_spatial` is added to the memory, exactly as
`_forward_sam_heads` / `_encode_new_memory` do. Masks of absent objects are pushed to a large
negative logit (NO_OBJ_SCORE), a plain "no mask here" convention. Learned temporal position
encodings index the memory bank by frame distance.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

NO_OBJ_SCORE = -1024.0


class Sam2Config:
    dim = 32
    mem_dim = 16
    num_maskmem = 3
    image_size = 32
    stride = 4
    fixed_no_obj_ptr = True
    soft_no_obj_ptr = False
    max_obj_ptrs_in_encoder = 4


class TinyHiera(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, dim // 2, 3, 2, 1), nn.GELU(), nn.Conv2d(dim // 2, dim, 3, 2, 1), nn.GELU(),
                                 nn.Conv2d(dim, dim, 1))

    def forward(self, x):
        return self.net(x)


class MemoryAttentionLayer(nn.Module):
    def __init__(self, dim, mem_dim, heads=4):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.self_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.cross_attn = nn.MultiheadAttention(dim, heads, kdim=mem_dim, vdim=mem_dim, batch_first=True)
        self.norm3 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))

    def forward(self, tgt, memory, pos):
        q = self.norm1(tgt) + pos
        tgt = tgt + self.self_attn(q, q, self.norm1(tgt), need_weights=False)[0]
        if memory is not None:
            tgt = tgt + self.cross_attn(self.norm2(tgt) + pos, memory, memory, need_weights=False)[0]
        return tgt + self.mlp(self.norm3(tgt))


class MaskDecoderLite(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.obj_score_token = nn.Embedding(1, dim)
        self.mask_token = nn.Embedding(1, dim)
        self.attn = nn.MultiheadAttention(dim, 4, batch_first=True)
        self.pred_obj_score_head = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, 1))
        self.hyper = nn.Linear(dim, dim)
        self.upscale = nn.ConvTranspose2d(dim, dim, 4, 4)

    def forward(self, feats):
        b, c, h, w = feats.shape
        src = feats.flatten(2).transpose(1, 2)
        tokens = torch.cat([self.obj_score_token.weight, self.mask_token.weight], 0)[None].expand(b, -1, -1)
        tokens = tokens + self.attn(tokens, src, src, need_weights=False)[0]
        object_score_logits = self.pred_obj_score_head(tokens[:, 0])
        up = self.upscale(feats)
        masks = torch.einsum("bc,bchw->bhw", self.hyper(tokens[:, 1]), up)[:, None]
        return masks, object_score_logits, tokens[:, 1]


class Sam2VideoTracker(nn.Module):
    def __init__(self, cfg: Sam2Config):
        super().__init__()
        self.cfg = cfg
        d, md = cfg.dim, cfg.mem_dim
        self.image_encoder = TinyHiera(d)
        self.pos = nn.Parameter(torch.zeros(1, (cfg.image_size // cfg.stride) ** 2, d))
        self.memory_attention = MemoryAttentionLayer(d, md)
        self.sam_mask_decoder = MaskDecoderLite(d)
        self.obj_ptr_proj = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))
        self.obj_ptr_tpos_proj = nn.Linear(d, md)
        self.no_obj_ptr = nn.Parameter(torch.zeros(1, d))
        self.no_obj_embed_spatial = nn.Parameter(torch.zeros(1, md))
        self.maskmem_tpos_enc = nn.Parameter(torch.zeros(cfg.num_maskmem, 1, md))
        self.no_mem_embed = nn.Parameter(torch.zeros(1, 1, d))
        self.mask_downsample = nn.Conv2d(1, 1, 4, 4)
        self.memory_encoder = nn.Sequential(nn.Conv2d(d + 1, md, 1), nn.GELU(), nn.Conv2d(md, md, 1))
        self.ptr_to_mem = nn.Linear(d, md)
        for p in (self.no_obj_ptr, self.no_obj_embed_spatial, self.maskmem_tpos_enc, self.no_mem_embed):
            nn.init.trunc_normal_(p, std=0.02)

    def _forward_sam_heads(self, feats):
        low_res_masks, object_score_logits, sam_output_token = self.sam_mask_decoder(feats)
        is_obj_appearing = object_score_logits > 0
        # absent objects get a constant "no mask" logit everywhere
        low_res_masks = torch.where(is_obj_appearing[:, :, None, None], low_res_masks,
                                    low_res_masks.new_tensor(NO_OBJ_SCORE))
        obj_ptr = self.obj_ptr_proj(sam_output_token)
        if self.cfg.soft_no_obj_ptr:
            lambda_is_obj_appearing = object_score_logits.sigmoid()
        else:
            lambda_is_obj_appearing = is_obj_appearing.float()
        if self.cfg.fixed_no_obj_ptr:
            obj_ptr = lambda_is_obj_appearing * obj_ptr
        obj_ptr = obj_ptr + (1 - lambda_is_obj_appearing) * self.no_obj_ptr
        return low_res_masks, object_score_logits, obj_ptr

    def _encode_new_memory(self, feats, mask_logits, object_score_logits):
        mask_for_mem = torch.sigmoid(mask_logits)
        mask_for_mem = self.mask_downsample(mask_for_mem)
        maskmem = self.memory_encoder(torch.cat([feats, mask_for_mem], 1))
        is_obj_appearing = (object_score_logits > 0).float()
        maskmem = maskmem + (1 - is_obj_appearing[..., None, None]) * \
            self.no_obj_embed_spatial[..., None, None].expand(*maskmem.shape)
        return maskmem.flatten(2).transpose(1, 2)

    def _prepare_memory(self, mem_bank, ptr_bank):
        if not mem_bank:
            return None
        mems = []
        for dist, m in enumerate(reversed(mem_bank[-self.cfg.num_maskmem:])):
            mems.append(m + self.maskmem_tpos_enc[self.cfg.num_maskmem - 1 - dist])
        ptrs = ptr_bank[-self.cfg.max_obj_ptrs_in_encoder:]
        ptr_tokens = torch.stack([self.ptr_to_mem(p) for p in ptrs], 1)
        return torch.cat(mems + [ptr_tokens], 1)

    def forward(self, video):
        """video: (B, T, 3, H, W) -> per-frame mask logits (B, T, H, W) and object scores."""
        b, t = video.shape[:2]
        mem_bank, ptr_bank, masks_out, scores_out = [], [], [], []
        for f in range(t):
            feats = self.image_encoder(video[:, f])
            c, h, w = feats.shape[1:]
            tokens = feats.flatten(2).transpose(1, 2)
            memory = self._prepare_memory(mem_bank, ptr_bank)
            if memory is None:
                tokens = tokens + self.no_mem_embed
            tokens = self.memory_attention(tokens, memory, self.pos)
            cond = tokens.transpose(1, 2).reshape(b, c, h, w)
            masks, obj_scores, obj_ptr = self._forward_sam_heads(cond)
            mem_bank.append(self._encode_new_memory(cond, masks, obj_scores))
            ptr_bank.append(obj_ptr)
            masks_out.append(masks[:, 0])
            scores_out.append(obj_scores)
        return {"pred_masks": torch.stack(masks_out, 1), "object_score_logits": torch.cat(scores_out, 1)}


def corpus_case():
    torch.manual_seed(0)
    model = Sam2VideoTracker(Sam2Config()).eval()

    def inputs(n):
        return torch.randn(n, 4, 3, 32, 32, generator=torch.Generator().manual_seed(41))

    return {"model": model, "inputs": inputs, "kind": "benign"}
