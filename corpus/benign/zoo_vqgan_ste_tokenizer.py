# expect: none
"""VQGAN / taming-transformers style image tokenizer with two quantizers.

`VectorQuantizer`: nearest codebook entry by squared distance (argmin), straight-through estimator
`z_q = z + (z_q - z).detach()`, commitment + codebook loss, optional EMA codebook updates in
training and dead-code restarts keyed on `cluster_size < threshold`.
`FSQ` (finite scalar quantization): bound with tanh, `round` with a straight-through estimator,
indices from mixed-radix digits. The model encodes, quantizes and decodes; it also returns the
code indices and a codebook-usage perplexity.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def round_ste(z):
    zhat = z.round()
    return z + (zhat - z).detach()


class FSQ(nn.Module):
    def __init__(self, levels=(5, 5, 3)):
        super().__init__()
        levels_t = torch.tensor(levels, dtype=torch.int32)
        self.register_buffer("_levels", levels_t, persistent=False)
        basis = torch.cumprod(torch.tensor([1] + list(levels[:-1])), dim=0, dtype=torch.int32)
        self.register_buffer("_basis", basis, persistent=False)
        self.dim = len(levels)
        self.codebook_size = int(levels_t.prod())

    def bound(self, z, eps=1e-3):
        half_l = (self._levels - 1) * (1 + eps) / 2
        offset = torch.where(self._levels % 2 == 0, 0.5, 0.0)
        shift = (offset / half_l).atanh()
        return (z + shift).tanh() * half_l - offset

    def quantize(self, z):
        quantized = round_ste(self.bound(z))
        half_width = self._levels // 2
        return quantized / half_width

    def codes_to_indices(self, zhat):
        half_width = self._levels // 2
        scaled = zhat * half_width + half_width
        return (scaled * self._basis).sum(dim=-1).to(torch.int64)

    def forward(self, z):
        codes = self.quantize(z)
        return codes, self.codes_to_indices(codes)


class VectorQuantizerEMA(nn.Module):
    def __init__(self, n_e=32, e_dim=8, beta=0.25, decay=0.99, eps=1e-5, restart_threshold=1.0):
        super().__init__()
        self.n_e, self.e_dim, self.beta = n_e, e_dim, beta
        self.decay, self.eps, self.restart_threshold = decay, eps, restart_threshold
        self.embedding = nn.Embedding(n_e, e_dim)
        self.embedding.weight.data.uniform_(-1.0 / n_e, 1.0 / n_e)
        self.register_buffer("cluster_size", torch.ones(n_e))
        self.register_buffer("embed_avg", self.embedding.weight.data.clone())

    @torch.no_grad()
    def _ema_update(self, z_flat, onehot):
        self.cluster_size.mul_(self.decay).add_(onehot.sum(0), alpha=1 - self.decay)
        self.embed_avg.mul_(self.decay).add_(onehot.t() @ z_flat, alpha=1 - self.decay)
        n = self.cluster_size.sum()
        size = (self.cluster_size + self.eps) / (n + self.n_e * self.eps) * n
        self.embedding.weight.data.copy_(self.embed_avg / size.unsqueeze(1))
        dead = self.cluster_size < self.restart_threshold
        if dead.any():
            rand = z_flat[torch.randint(0, z_flat.shape[0], (int(dead.sum()),))]
            self.embedding.weight.data[dead] = rand

    def forward(self, z):
        z = z.permute(0, 2, 3, 1).contiguous()
        z_flat = z.view(-1, self.e_dim)
        d = (z_flat.pow(2).sum(1, keepdim=True) + self.embedding.weight.pow(2).sum(1)
             - 2 * z_flat @ self.embedding.weight.t())
        min_encoding_indices = torch.argmin(d, dim=1)
        z_q = self.embedding(min_encoding_indices).view(z.shape)
        loss = self.beta * torch.mean((z_q.detach() - z) ** 2) + torch.mean((z_q - z.detach()) ** 2)
        onehot = F.one_hot(min_encoding_indices, self.n_e).type(z.dtype)
        if self.training:
            self._ema_update(z_flat.detach(), onehot)
        avg_probs = onehot.mean(0)
        perplexity = torch.exp(-torch.sum(avg_probs * torch.log(avg_probs + 1e-10)))
        z_q = z + (z_q - z).detach()                 # straight-through
        return z_q.permute(0, 3, 1, 2).contiguous(), loss, min_encoding_indices.view(z.shape[:3]), perplexity


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.block = nn.Sequential(nn.GroupNorm(4, c), nn.SiLU(), nn.Conv2d(c, c, 3, padding=1),
                                   nn.GroupNorm(4, c), nn.SiLU(), nn.Conv2d(c, c, 3, padding=1))

    def forward(self, x):
        return x + self.block(x)


class VQGANTokenizer(nn.Module):
    def __init__(self, ch=16, e_dim=8, quantizer="vq"):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(3, ch, 3, 2, 1), ResBlock(ch), nn.Conv2d(ch, ch, 3, 2, 1), ResBlock(ch))
        self.quantizer_type = quantizer
        if quantizer == "vq":
            self.quant_conv = nn.Conv2d(ch, e_dim, 1)
            self.quantize = VectorQuantizerEMA(e_dim=e_dim)
            q_dim = e_dim
        else:
            self.quantize = FSQ()
            self.quant_conv = nn.Conv2d(ch, self.quantize.dim, 1)
            q_dim = self.quantize.dim
        self.post_quant_conv = nn.Conv2d(q_dim, ch, 1)
        self.decoder = nn.Sequential(ResBlock(ch), nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(ch, ch, 3, padding=1),
                                     ResBlock(ch), nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(ch, 3, 3, padding=1))

    def encode(self, x):
        h = self.quant_conv(self.encoder(x))
        if self.quantizer_type == "vq":
            return self.quantize(h)
        codes, idx = self.quantize(h.permute(0, 2, 3, 1))
        return codes.permute(0, 3, 1, 2), h.new_zeros(()), idx, h.new_zeros(())

    def forward(self, pixel_values):
        quant, qloss, indices, perplexity = self.encode(pixel_values)
        rec = self.decoder(self.post_quant_conv(quant))
        return {"reconstruction": rec, "codebook_loss": qloss, "indices": indices, "perplexity": perplexity}


class DualTokenizer(nn.Module):
    def __init__(self):
        super().__init__()
        self.vq = VQGANTokenizer(quantizer="vq")
        self.fsq = VQGANTokenizer(quantizer="fsq")

    def forward(self, pixel_values):
        a = self.vq(pixel_values)
        b = self.fsq(pixel_values)
        return {"reconstruction": (a["reconstruction"] + b["reconstruction"]) / 2,
                "vq_indices": a["indices"], "fsq_indices": b["indices"],
                "codebook_loss": a["codebook_loss"], "perplexity": a["perplexity"]}


def corpus_case():
    torch.manual_seed(0)
    model = DualTokenizer().eval()

    def inputs(n):
        return torch.rand(n, 3, 16, 16, generator=torch.Generator().manual_seed(73)) * 2 - 1

    return {"model": model, "inputs": inputs, "kind": "benign"}
