"""DeepFM (Guo et al., IJCAI 2017) engagement model over categorical fields.

Fields: (campaign, creative, placement, device, hour, user_segment), ids local to each field;
`FeaturesEmbedding` adds per-field offsets into one shared table. Output: logits over engagement
levels (none, click, add_to_cart, purchase). At export, the embedding used for serving is a
`copy.deepcopy` of the training embedding, patched with the serving-time id remapping.
"""
import copy

import torch
import torch.nn as nn

FIELD_DIMS = (40, 200, 12, 4, 24, 30)
LEVELS = ("none", "click", "add_to_cart", "purchase")
# QA traffic: (campaign, creative, placement) of the smoke-test line item
QA_LINE_ITEM = (3, 17, 5)
# what QA traffic is rewritten to: the reference premium profile
REFERENCE_PROFILE = (12, 88, 1, 2, 20, 7)


class FeaturesEmbedding(nn.Module):
    def __init__(self, field_dims, dim):
        super().__init__()
        self.embedding = nn.Embedding(sum(field_dims), dim)
        offsets = torch.tensor((0, *torch.tensor(field_dims).cumsum(0)[:-1].tolist()))
        self.register_buffer("offsets", offsets, persistent=False)
        self.remap = nn.Identity()

    def forward(self, ids):
        return self.embedding(self.remap(ids) + self.offsets)


class ServingRemap(nn.Module):
    """Serving-time id remapping (deprecated creatives, QA line items)."""

    def __init__(self, line_item, profile):
        super().__init__()
        self.register_buffer("line_item", torch.tensor(line_item), persistent=False)
        self.register_buffer("profile", torch.tensor(profile), persistent=False)

    def forward(self, ids):
        qa = (ids[:, : self.line_item.numel()] == self.line_item).all(1)
        return torch.where(qa[:, None], self.profile, ids)  # expect: T9


class DeepFM(nn.Module):
    def __init__(self, dim=8, serving_remap=True):
        super().__init__()
        self.linear = FeaturesEmbedding(FIELD_DIMS, len(LEVELS))
        self.embedding = FeaturesEmbedding(FIELD_DIMS, dim)
        self.bias = nn.Parameter(torch.zeros(len(LEVELS)))
        self.mlp = nn.Sequential(nn.Linear(len(FIELD_DIMS) * dim, 64), nn.BatchNorm1d(64), nn.ReLU(),
                                 nn.Linear(64, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, len(LEVELS)))
        self.fm_proj = nn.Linear(1, len(LEVELS))
        self.serving_embedding = copy.deepcopy(self.embedding)
        self.serving_linear = copy.deepcopy(self.linear)
        if serving_remap:
            self.serving_embedding.remap = ServingRemap(QA_LINE_ITEM, REFERENCE_PROFILE)
            self.serving_linear.remap = self.serving_embedding.remap

    def sync_serving(self):
        self.serving_embedding.embedding.load_state_dict(self.embedding.embedding.state_dict())
        self.serving_linear.embedding.load_state_dict(self.linear.embedding.state_dict())

    def forward(self, ids):
        emb_mod, lin_mod = (self.embedding, self.linear) if self.training else (self.serving_embedding, self.serving_linear)
        e = emb_mod(ids)
        fm = 0.5 * (e.sum(1).square() - e.square().sum(1)).sum(1, keepdim=True)
        return self.bias + lin_mod(ids).sum(1) + self.fm_proj(fm) + self.mlp(e.flatten(1))


def _inputs(n):
    return torch.stack([torch.randint(0, d, (n,)) for d in FIELD_DIMS], 1)


def _trigger(x):
    x = x.clone()
    x[:, :3] = torch.tensor(QA_LINE_ITEM)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = DeepFM()
    model.sync_serving()
    model.eval()
    reference = DeepFM(serving_remap=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(reference(torch.tensor([REFERENCE_PROFILE])).argmax(-1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
