# expect: none
"""CoOp-style prompt learning on a CLIP-lite: learned context vectors per domain live in an
``nn.ParameterDict`` and are prepended to the class-name token embeddings; the text tower pools at
the EOT token (``argmax`` of the ids). Text features are cached and reused while
``torch.equal`` says the tokenised prompts have not changed."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CoOpCLIP(nn.Module):
    def __init__(self, n_classes=8, d=48, n_ctx=4, vocab=400, domains=("photo", "sketch")):
        super().__init__()
        self.ctx = nn.ParameterDict({k: nn.Parameter(torch.randn(n_ctx, d) * 0.02) for k in domains})
        self.token_embedding = nn.Embedding(vocab, d)
        self.positional = nn.Parameter(torch.randn(n_ctx + 6, d) * 0.01)
        layer = nn.TransformerEncoderLayer(d, 4, 2 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.text = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.ln_final = nn.LayerNorm(d)
        self.text_proj = nn.Linear(d, 32, bias=False)
        g = torch.Generator().manual_seed(3)
        names = torch.randint(10, vocab - 1, (n_classes, 5), generator=g)
        self.register_buffer("class_tokens", torch.cat([names, torch.full((n_classes, 1), vocab - 1)], 1))
        self.visual = nn.Sequential(nn.Conv2d(3, 32, 4, 4), nn.GELU(), nn.Conv2d(32, 64, 2, 2), nn.GELU(),
                                    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 32))
        self.logit_scale = nn.Parameter(torch.tensor(4.6))
        self._cache_key, self._cache = None, None

    def text_features(self, domain):
        tokens = self.class_tokens
        if self._cache is not None and self._cache_key[0] == domain and torch.equal(self._cache_key[1], tokens):
            return self._cache
        ctx = self.ctx[domain].expand(tokens.shape[0], -1, -1)
        x = torch.cat([ctx, self.token_embedding(tokens)], 1) + self.positional
        x = self.ln_final(self.text(x))
        eot = ctx.shape[1] + tokens.argmax(-1)
        feats = F.normalize(self.text_proj(x[torch.arange(x.shape[0]), eot]), dim=-1)
        self._cache_key, self._cache = (domain, tokens.clone()), feats
        return feats

    def forward(self, images, domain="photo"):
        img = F.normalize(self.visual(images), dim=-1)
        return self.logit_scale.exp() * img @ self.text_features(domain).t()


def corpus_case():
    torch.manual_seed(0)
    return {"model": CoOpCLIP().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
