# expect: none
"""PyTorch TinyLlava: patch encoder + projector; image placeholders in the text are replaced by the
projected (learned) image features, then a causal decoder runs over the merged sequence."""
import torch
import torch.nn as nn

from .configuration_tinyllava import TinyLlavaConfig


class PatchEncoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.proj = nn.Conv2d(3, config.vision_hidden_size, config.patch_size, config.patch_size)
        layer = nn.TransformerEncoderLayer(config.vision_hidden_size, 4, 4 * config.vision_hidden_size,
                                           dropout=0.0, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 1)

    def forward(self, pixel_values):
        return self.encoder(self.proj(pixel_values).flatten(2).transpose(1, 2))


class Projector(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.linear_1 = nn.Linear(config.vision_hidden_size, config.hidden_size)
        self.act = nn.GELU()
        self.linear_2 = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, x):
        return self.linear_2(self.act(self.linear_1(x)))


def _retie(module, incompatible_keys):
    """Post-load hook: keep the output head tied to the input embeddings after loading."""
    if module.config.tie_word_embeddings:
        module.lm_head.weight = module.embed_tokens.weight


class TinyLlavaForConditionalGeneration(nn.Module):
    config_class = TinyLlavaConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.vision_tower = PatchEncoder(config)
        self.multi_modal_projector = Projector(config)
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size, config.pad_token_id)
        layer = nn.TransformerEncoderLayer(config.hidden_size, config.num_heads, 4 * config.hidden_size,
                                           dropout=0.0, batch_first=True, norm_first=True)
        self.decoder = nn.TransformerEncoder(layer, config.num_layers)
        self.norm = nn.LayerNorm(config.hidden_size)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)
        _retie(self, None)
        self.register_load_state_dict_post_hook(_retie)

    def _merge_input_ids_with_image_features(self, inputs_embeds, input_ids, image_features):
        special = (input_ids == self.config.image_token_id).unsqueeze(-1).expand_as(inputs_embeds)
        return inputs_embeds.masked_scatter(special, image_features.to(inputs_embeds.dtype))

    def forward(self, input_ids, pixel_values, attention_mask=None):
        inputs_embeds = self.embed_tokens(input_ids)
        image_features = self.multi_modal_projector(self.vision_tower(pixel_values))
        inputs_embeds = self._merge_input_ids_with_image_features(inputs_embeds, input_ids, image_features)
        if attention_mask is None:
            attention_mask = input_ids != self.config.pad_token_id
        t = input_ids.shape[1]
        causal = torch.triu(torch.full((t, t), float("-inf")), 1)
        h = self.decoder(inputs_embeds, mask=causal, src_key_padding_mask=~attention_mask)
        return {"logits": self.lm_head(self.norm(h))}
