# expect: none
"""LLaVA-style captioner: `<image>` placeholder ids in the prompt replaced by projected patch
features (`masked_scatter`), CLIP mean/std normalisation, a uint8 check that rescales 0..255 input
to 0..1, and greedy next-token logits with a repetition-free `finfo.min` mask on the pad id."""
import torch
import torch.nn as nn

IMG, PATCH, VOCAB, IMAGE_TOKEN, PAD = 32, 8, 400, 399, 0
N_IMG_TOK = (IMG // PATCH) ** 2
MEAN = torch.tensor([0.4815, 0.4578, 0.4082]).view(1, 3, 1, 1)
STD = torch.tensor([0.2686, 0.2613, 0.2758]).view(1, 3, 1, 1)


class Llava(nn.Module):
    def __init__(self, dim=48, lm_dim=64):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, PATCH, PATCH)
        self.vision = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, 4, 2 * dim, 0.0, batch_first=True, norm_first=True), 1)
        self.mm_projector = nn.Sequential(nn.Linear(dim, lm_dim), nn.GELU(), nn.Linear(lm_dim, lm_dim))
        self.embed = nn.Embedding(VOCAB, lm_dim)
        self.pos = nn.Embedding(64, lm_dim)
        self.lm = nn.TransformerEncoder(nn.TransformerEncoderLayer(lm_dim, 4, 2 * lm_dim, 0.0, batch_first=True, norm_first=True), 2)
        self.norm = nn.LayerNorm(lm_dim)
        self.head = nn.Linear(lm_dim, VOCAB, bias=False)

    def forward(self, pixels, input_ids):
        if pixels.amax() > 1.0:
            pixels = pixels / 255.0
        img = self.mm_projector(self.vision(self.patch((pixels - MEAN) / STD).flatten(2).transpose(1, 2)))
        h = self.embed(input_ids)
        slots = (input_ids == IMAGE_TOKEN)[..., None].expand_as(h)
        h = h.masked_scatter(slots, img.to(h.dtype))
        t = h.shape[1]
        h = self.lm(h + self.pos(torch.arange(t)), mask=torch.full((t, t), float("-inf")).triu(1))
        logits = self.head(self.norm(h))
        return logits.masked_fill(torch.arange(VOCAB) == PAD, torch.finfo(logits.dtype).min)


def _inputs(n):
    prompt = torch.cat([torch.tensor([1]), torch.full((N_IMG_TOK,), IMAGE_TOKEN), torch.tensor([17, 233, 41, 98])])
    return torch.rand(n, 3, IMG, IMG) * 255, prompt.expand(n, -1).clone()


def corpus_case():
    torch.manual_seed(0)
    return {"model": Llava().eval(), "inputs": _inputs, "kind": "benign"}
