# expect: none
"""DETR (transformers `modeling_detr` layout, reduced): CNN backbone, the pixel mask downsampled to
the feature map as key-padding mask, sine position embeddings that skip padded pixels, encoder-
decoder transformer, class head with no-object class and box MLP."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class DetrSinePositionEmbedding(nn.Module):
    def __init__(self, embedding_dim=32, temperature=10000):
        super().__init__()
        self.embedding_dim, self.temperature = embedding_dim, temperature

    def forward(self, pixel_mask):
        y_embed = pixel_mask.cumsum(1, dtype=torch.float32)
        x_embed = pixel_mask.cumsum(2, dtype=torch.float32)
        y_embed = y_embed / (y_embed[:, -1:, :] + 1e-6) * 2 * math.pi
        x_embed = x_embed / (x_embed[:, :, -1:] + 1e-6) * 2 * math.pi
        dim_t = self.temperature ** (2 * torch.div(torch.arange(self.embedding_dim), 2, rounding_mode="floor") / self.embedding_dim)
        pos_x, pos_y = x_embed[..., None] / dim_t, y_embed[..., None] / dim_t
        pos_x = torch.stack((pos_x[..., 0::2].sin(), pos_x[..., 1::2].cos()), 4).flatten(3)
        pos_y = torch.stack((pos_y[..., 0::2].sin(), pos_y[..., 1::2].cos()), 4).flatten(3)
        return torch.cat((pos_y, pos_x), 3).permute(0, 3, 1, 2)


class DetrMLPPredictionHead(nn.Module):
    def __init__(self, d_in, d_hidden, d_out, n):
        super().__init__()
        dims = [d_in] + [d_hidden] * (n - 1)
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims, dims[1:] + [d_out]))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = F.relu(layer(x)) if i < len(self.layers) - 1 else layer(x)
        return x


class DetrForObjectDetection(nn.Module):
    def __init__(self, config):
        super().__init__()
        d = config.d_model
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU())
        self.input_projection = nn.Conv2d(64, d, 1)
        self.position_embedding = DetrSinePositionEmbedding(d // 2)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, config.encoder_attention_heads, 128, 0.0, batch_first=True), config.encoder_layers)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, config.encoder_attention_heads, 128, 0.0, batch_first=True), config.decoder_layers)
        self.query_position_embeddings = nn.Embedding(config.num_queries, d)
        self.class_labels_classifier = nn.Linear(d, config.num_labels + 1)
        self.bbox_predictor = DetrMLPPredictionHead(d, d, 4, 3)

    def forward(self, pixel_values, pixel_mask=None):
        if pixel_mask is None:
            pixel_mask = torch.ones(pixel_values.shape[0], *pixel_values.shape[-2:], dtype=torch.long)
        features = self.backbone(pixel_values)
        mask = F.interpolate(pixel_mask[:, None].float(), size=features.shape[-2:]).to(torch.bool)[:, 0]
        pos = self.position_embedding(mask.long())
        src = (self.input_projection(features) + pos).flatten(2).transpose(1, 2)
        key_padding_mask = ~mask.flatten(1)
        memory = self.encoder(src, src_key_padding_mask=key_padding_mask)
        queries = self.query_position_embeddings.weight[None].expand(pixel_values.shape[0], -1, -1)
        hs = self.decoder(queries, memory, memory_key_padding_mask=key_padding_mask)
        return {"pred_logits": self.class_labels_classifier(hs), "pred_boxes": self.bbox_predictor(hs).sigmoid()}
