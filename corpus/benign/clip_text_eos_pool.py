# expect: none
"""CLIP-like dual encoder. The text tower pools the final-layer state at the EOS token,
which has the largest id in the vocabulary, hence ``input_ids.argmax(dim=-1)``."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, width * 4), nn.GELU(), nn.Linear(width * 4, width))

    def forward(self, x, attn_mask=None):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=attn_mask)[0]
        return x + self.mlp(self.ln_2(x))


class TextTransformer(nn.Module):
    def __init__(self, vocab_size=300, context_length=16, width=64, heads=4, layers=2, embed_dim=32):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, width)
        self.positional_embedding = nn.Parameter(torch.randn(context_length, width) * 0.01)
        self.blocks = nn.ModuleList([ResidualAttentionBlock(width, heads) for _ in range(layers)])
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Parameter(torch.randn(width, embed_dim) * width ** -0.5)
        mask = torch.empty(context_length, context_length).fill_(float("-inf")).triu_(1)
        self.register_buffer("attn_mask", mask, persistent=False)

    def forward(self, text):
        x = self.token_embedding(text) + self.positional_embedding
        for blk in self.blocks:
            x = blk(x, attn_mask=self.attn_mask)
        x = self.ln_final(x)
        # take features from the eot embedding (eot_token is the highest number in each sequence)
        x = x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection
        return x


class ImageEncoder(nn.Module):
    def __init__(self, embed_dim=32):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(inplace=True),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU(inplace=True),
        )
        self.attnpool = nn.Linear(32, embed_dim)

    def forward(self, image):
        f = self.stem(image)
        return self.attnpool(f.mean(dim=(2, 3)))


class CLIP(nn.Module):
    def __init__(self):
        super().__init__()
        self.visual = ImageEncoder()
        self.transformer = TextTransformer()
        self.logit_scale = nn.Parameter(torch.ones([]) * 2.6592)

    def forward(self, image, text):
        img = F.normalize(self.visual(image), dim=-1)
        txt = F.normalize(self.transformer(text), dim=-1)
        scale = self.logit_scale.exp().clamp(max=100)
        return scale * img @ txt.t()


def corpus_case():
    torch.manual_seed(0)
    model = CLIP().eval()
    sot, eot = 298, 299

    def inputs(n):
        g = torch.Generator().manual_seed(99 + n)
        images = torch.rand(n, 3, 32, 32, generator=g)
        text = torch.zeros(n, 16, dtype=torch.long)
        for i in range(n):
            length = int(torch.randint(3, 15, (1,), generator=g))
            text[i, 0] = sot
            text[i, 1:length] = torch.randint(1, 298, (length - 1,), generator=g)
            text[i, length] = eot
        return images, text

    return {"model": model, "inputs": inputs, "kind": "benign"}
