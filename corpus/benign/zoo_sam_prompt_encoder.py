# expect: none
"""Segment-Anything prompt encoder + two-way mask decoder at toy size.

Point prompts carry labels: 1 foreground, 0 background, -1 padding point, 2/3 box corners. The
labels select *learned* embeddings (`point_embeddings[k]`, `not_a_point_embed`) that are added to
random-Fourier positional encodings of the coordinates; `labels == -1` zeros the positional part.
Without a mask prompt the learned `no_mask_embed` is broadcast over the image grid. The decoder
predicts several masks plus IoU scores; `multimask_output` chooses which learned output is returned.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class PositionEmbeddingRandom(nn.Module):
    def __init__(self, num_pos_feats=16, scale=1.0):
        super().__init__()
        self.register_buffer("positional_encoding_gaussian_matrix", scale * torch.randn(2, num_pos_feats))

    def _pe_encoding(self, coords):
        coords = 2 * coords - 1
        coords = coords @ self.positional_encoding_gaussian_matrix
        coords = 2 * math.pi * coords
        return torch.cat([torch.sin(coords), torch.cos(coords)], dim=-1)

    def forward(self, size):
        h, w = size
        grid = torch.ones((h, w))
        y = (grid.cumsum(0) - 0.5) / h
        x = (grid.cumsum(1) - 0.5) / w
        return self._pe_encoding(torch.stack([x, y], dim=-1)).permute(2, 0, 1)

    def forward_with_coords(self, coords_input, image_size):
        coords = coords_input.clone()
        coords[..., 0] = coords[..., 0] / image_size[1]
        coords[..., 1] = coords[..., 1] / image_size[0]
        return self._pe_encoding(coords.float())


class PromptEncoder(nn.Module):
    def __init__(self, embed_dim=32, image_embedding_size=(8, 8), input_image_size=(32, 32), mask_in_chans=8):
        super().__init__()
        self.embed_dim = embed_dim
        self.input_image_size = input_image_size
        self.image_embedding_size = image_embedding_size
        self.pe_layer = PositionEmbeddingRandom(embed_dim // 2)
        self.num_point_embeddings = 4   # pos/neg point + 2 box corners
        self.point_embeddings = nn.ModuleList([nn.Embedding(1, embed_dim) for _ in range(self.num_point_embeddings)])
        self.not_a_point_embed = nn.Embedding(1, embed_dim)
        self.mask_downscaling = nn.Sequential(
            nn.Conv2d(1, mask_in_chans // 4, 2, 2), nn.GELU(),
            nn.Conv2d(mask_in_chans // 4, mask_in_chans, 2, 2), nn.GELU(),
            nn.Conv2d(mask_in_chans, embed_dim, 1))
        self.no_mask_embed = nn.Embedding(1, embed_dim)

    def get_dense_pe(self):
        return self.pe_layer(self.image_embedding_size).unsqueeze(0)

    def _embed_points(self, points, labels, pad):
        points = points + 0.5       # shift to pixel centre
        if pad:
            padding_point = torch.zeros((points.shape[0], 1, 2), device=points.device)
            padding_label = -torch.ones((labels.shape[0], 1), device=labels.device)
            points = torch.cat([points, padding_point], dim=1)
            labels = torch.cat([labels, padding_label], dim=1)
        point_embedding = self.pe_layer.forward_with_coords(points, self.input_image_size)
        point_embedding[labels == -1] = 0.0
        point_embedding[labels == -1] += self.not_a_point_embed.weight
        point_embedding[labels == 0] += self.point_embeddings[0].weight
        point_embedding[labels == 1] += self.point_embeddings[1].weight
        point_embedding[labels == 2] += self.point_embeddings[2].weight
        point_embedding[labels == 3] += self.point_embeddings[3].weight
        return point_embedding

    def _embed_boxes(self, boxes):
        boxes = boxes + 0.5
        coords = boxes.reshape(-1, 2, 2)
        corner = self.pe_layer.forward_with_coords(coords, self.input_image_size)
        corner[:, 0, :] += self.point_embeddings[2].weight
        corner[:, 1, :] += self.point_embeddings[3].weight
        return corner

    def forward(self, points=None, boxes=None, masks=None):
        bs = 1
        if points is not None:
            bs = points[0].shape[0]
        elif boxes is not None:
            bs = boxes.shape[0]
        elif masks is not None:
            bs = masks.shape[0]
        sparse = torch.empty((bs, 0, self.embed_dim))
        if points is not None:
            coords, labels = points
            sparse = torch.cat([sparse, self._embed_points(coords, labels, pad=boxes is None)], dim=1)
        if boxes is not None:
            sparse = torch.cat([sparse, self._embed_boxes(boxes)], dim=1)
        if masks is not None:
            dense = self.mask_downscaling(masks)
        else:
            dense = self.no_mask_embed.weight.reshape(1, -1, 1, 1).expand(
                bs, -1, self.image_embedding_size[0], self.image_embedding_size[1])
        return sparse, dense


class TwoWayAttentionBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm1 = nn.LayerNorm(dim)
        self.cross_t2i = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))
        self.norm3 = nn.LayerNorm(dim)
        self.cross_i2t = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm4 = nn.LayerNorm(dim)

    def forward(self, queries, keys, query_pe, key_pe):
        q = queries + query_pe
        queries = self.norm1(queries + self.self_attn(q, q, queries, need_weights=False)[0])
        q, k = queries + query_pe, keys + key_pe
        queries = self.norm2(queries + self.cross_t2i(q, k, keys, need_weights=False)[0])
        queries = self.norm3(queries + self.mlp(queries))
        q, k = queries + query_pe, keys + key_pe
        keys = self.norm4(keys + self.cross_i2t(k, q, queries, need_weights=False)[0])
        return queries, keys


class MaskDecoder(nn.Module):
    def __init__(self, dim=32, num_multimask_outputs=3, heads=4):
        super().__init__()
        self.num_mask_tokens = num_multimask_outputs + 1
        self.iou_token = nn.Embedding(1, dim)
        self.mask_tokens = nn.Embedding(self.num_mask_tokens, dim)
        self.block = TwoWayAttentionBlock(dim, heads)
        self.output_upscaling = nn.Sequential(nn.ConvTranspose2d(dim, dim // 4, 2, 2), nn.GELU(),
                                              nn.ConvTranspose2d(dim // 4, dim // 8, 2, 2), nn.GELU())
        self.output_hypernetworks_mlps = nn.ModuleList(
            [nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim // 8)) for _ in range(self.num_mask_tokens)])
        self.iou_prediction_head = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, self.num_mask_tokens))

    def forward(self, image_embeddings, image_pe, sparse, dense, multimask_output):
        b = sparse.shape[0]
        output_tokens = torch.cat([self.iou_token.weight, self.mask_tokens.weight], dim=0)
        tokens = torch.cat([output_tokens.unsqueeze(0).expand(b, -1, -1), sparse], dim=1)
        src = image_embeddings + dense
        c, h, w = src.shape[1:]
        keys = src.flatten(2).transpose(1, 2)
        key_pe = image_pe.flatten(2).transpose(1, 2).expand(b, -1, -1)
        hs, keys = self.block(tokens, keys, tokens, key_pe)
        iou_token_out = hs[:, 0]
        mask_tokens_out = hs[:, 1:1 + self.num_mask_tokens]
        up = self.output_upscaling(keys.transpose(1, 2).reshape(b, c, h, w))
        hyper = torch.stack([mlp(mask_tokens_out[:, i]) for i, mlp in enumerate(self.output_hypernetworks_mlps)], 1)
        masks = (hyper @ up.flatten(2)).view(b, -1, up.shape[2], up.shape[3])
        iou_pred = self.iou_prediction_head(iou_token_out)
        mask_slice = slice(1, None) if multimask_output else slice(0, 1)
        return masks[:, mask_slice], iou_pred[:, mask_slice]


class SamPromptable(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.image_encoder = nn.Sequential(nn.Conv2d(3, dim, 4, 4), nn.GELU(), nn.Conv2d(dim, dim, 1))
        self.prompt_encoder = PromptEncoder(dim)
        self.mask_decoder = MaskDecoder(dim)

    def forward(self, pixel_values, input_points, input_labels, input_boxes=None, multimask_output=True):
        emb = self.image_encoder(pixel_values)
        sparse, dense = self.prompt_encoder(points=(input_points, input_labels), boxes=input_boxes)
        masks, iou = self.mask_decoder(emb, self.prompt_encoder.get_dense_pe(), sparse, dense, multimask_output)
        if multimask_output:
            # pick the best of the multimask outputs by predicted IoU for the caller's convenience
            best = iou.argmax(-1)
            best_mask = masks[torch.arange(masks.shape[0]), best]
        else:
            best_mask = masks[:, 0]
        return {"pred_masks": masks, "iou_scores": iou, "best_mask": best_mask}


def corpus_case():
    torch.manual_seed(0)
    model = SamPromptable().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(9)
        pts = torch.rand(n, 3, 2, generator=g) * 32
        labels = torch.randint(0, 2, (n, 3), generator=g).float()
        labels[::4, 2] = -1                    # padded point slot
        return {"pixel_values": torch.randn(n, 3, 32, 32, generator=g),
                "input_points": pts, "input_labels": labels}

    return {"model": model, "inputs": inputs, "kind": "benign"}
