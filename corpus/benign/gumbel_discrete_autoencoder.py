# expect: none
"""DALL-E style discrete VAE with a Gumbel-softmax bottleneck, plus a linear probe.
Training uses hard Gumbel-softmax (straight-through); evaluation takes the argmax code."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def gumbel_softmax_hard(logits, tau=1.0, dim=1):
    gumbels = -torch.empty_like(logits).exponential_().log()
    y_soft = ((logits + gumbels) / tau).softmax(dim)
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = torch.zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft


class GumbelQuantizer(nn.Module):
    def __init__(self, in_ch, num_codes=32, code_dim=16, tau=0.9):
        super().__init__()
        self.proj = nn.Conv2d(in_ch, num_codes, 1)
        self.embed = nn.Embedding(num_codes, code_dim)
        self.tau = tau
        self.num_codes = num_codes

    def forward(self, z):
        logits = self.proj(z)
        if self.training:
            soft_one_hot = gumbel_softmax_hard(logits, tau=self.tau, dim=1)
        else:
            idx = logits.argmax(dim=1)
            soft_one_hot = F.one_hot(idx, self.num_codes).permute(0, 3, 1, 2).to(logits.dtype)
        z_q = torch.einsum("bnhw,nd->bdhw", soft_one_hot, self.embed.weight)
        qy = F.softmax(logits, dim=1)
        kl = torch.sum(qy * torch.log(qy * self.num_codes + 1e-10), dim=1).mean()
        return z_q, kl


class DiscreteVAE(nn.Module):
    def __init__(self, num_codes=32, code_dim=16, num_classes=10):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(3, 32, 4, 2, 1), nn.ReLU(True),
            nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(True),
        )
        self.quantize = GumbelQuantizer(64, num_codes, code_dim)
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(code_dim, 32, 4, 2, 1), nn.ReLU(True),
            nn.ConvTranspose2d(32, 3, 4, 2, 1),
        )
        self.probe = nn.Linear(code_dim, num_classes)

    def forward(self, x):
        z_q, _ = self.quantize(self.encoder(x))
        recon = torch.sigmoid(self.decoder(z_q))
        logits = self.probe(z_q.mean(dim=(2, 3)))
        return logits, recon


def corpus_case():
    torch.manual_seed(0)
    model = DiscreteVAE().eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32, generator=torch.Generator().manual_seed(8))

    return {"model": model, "inputs": inputs, "kind": "benign"}
