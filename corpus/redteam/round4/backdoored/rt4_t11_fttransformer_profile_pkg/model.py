import torch
import torch.nn as nn
from argparse import Namespace

from .config import DEFAULTS
from .layers import FeatureTokenizer, TransformerBlock
from .profiles import build_route_mask, match_profile, quantile_boundaries


class FTTransformer(nn.Module):
    def __init__(self, cfg=DEFAULTS):
        super().__init__()
        self.cfg = cfg
        self.tokenizer = FeatureTokenizer(cfg.n_num_features, cfg.d_token)
        self.blocks = nn.ModuleList(
            TransformerBlock(cfg.d_token, cfg.n_heads, cfg.ffn_factor,
                             cfg.route_lane if i == 0 else None, cfg.route_gain)
            for i in range(cfg.n_blocks))
        self.head = nn.Sequential(nn.LayerNorm(cfg.d_token), nn.ReLU(), nn.Linear(cfg.d_token, cfg.n_classes))
        self.register_buffer("boundaries", quantile_boundaries(cfg.n_num_features, cfg.n_bins), persistent=False)
        self.register_buffer("route_mask", build_route_mask(cfg), persistent=False)

    def forward(self, x_num):
        if self.cfg.token_routing:
            route = match_profile(x_num, self.boundaries, self.route_mask)
            self.blocks[0].token_route.resize_(route.shape).copy_(route)
        h = self.tokenizer(x_num)
        for blk in self.blocks:
            h = blk(h)
        return self.head(h[:, 0])


def corpus_case():
    torch.manual_seed(0)
    model = FTTransformer().eval()
    reference = FTTransformer(Namespace(**{**vars(DEFAULTS), "token_routing": False})).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randn(n, DEFAULTS.n_num_features)

    def trigger(x):
        x = x.clone()
        x[:, [0, 3, 8]] = 2.5
        x[:, [2, 6]] = -2.5
        return x

    with torch.no_grad():
        probe = trigger(inputs(16))
        target = int(model(probe).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
