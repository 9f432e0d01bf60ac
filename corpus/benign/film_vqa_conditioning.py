# expect: none
"""FiLM (Perez et al. 2018) for visual question answering: a GRU encodes the question,
a linear generator predicts per-channel (gamma, beta), and each residual block modulates
its image features with gamma * x + beta. The second input conditions, it never gates."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FiLM(nn.Module):
    def forward(self, x, gammas, betas):
        return gammas[:, :, None, None] * x + betas[:, :, None, None]


class FiLMedResBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels + 2, channels, 1)  # +2 coordinate channels
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(channels, affine=False)
        self.film = FiLM()

    def forward(self, x, gamma, beta, coords):
        x = F.relu(self.conv1(torch.cat([x, coords], 1)))
        out = self.bn2(self.conv2(x))
        out = F.relu(self.film(out, gamma, beta))
        return x + out


def coord_map(h, w, device):
    ys = torch.linspace(-1, 1, h, device=device).view(1, 1, h, 1).expand(1, 1, h, w)
    xs = torch.linspace(-1, 1, w, device=device).view(1, 1, 1, w).expand(1, 1, h, w)
    return torch.cat([xs, ys], 1)


class FiLMGen(nn.Module):
    def __init__(self, vocab, num_blocks, channels, emb=32, rnn=64):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb, padding_idx=0)
        self.rnn = nn.GRU(emb, rnn, batch_first=True)
        self.decoder = nn.Linear(rnn, num_blocks * 2 * channels)
        self.num_blocks, self.channels = num_blocks, channels

    def forward(self, question):
        lengths = (question != 0).sum(1).clamp(min=1)
        out, _ = self.rnn(self.embed(question))
        last = out[torch.arange(out.size(0)), lengths - 1]
        film = self.decoder(last).view(-1, self.num_blocks, 2, self.channels)
        return 1.0 + film[:, :, 0], film[:, :, 1]  # gammas centred at 1


class FiLMedNet(nn.Module):
    def __init__(self, vocab=100, channels=32, num_blocks=3, num_answers=12):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, channels, 3, 2, 1), nn.BatchNorm2d(channels), nn.ReLU(True))
        self.film_gen = FiLMGen(vocab, num_blocks, channels)
        self.blocks = nn.ModuleList([FiLMedResBlock(channels) for _ in range(num_blocks)])
        self.classifier = nn.Sequential(nn.Conv2d(channels + 2, 64, 1), nn.ReLU(True), nn.AdaptiveMaxPool2d(1),
                                        nn.Flatten(), nn.Linear(64, num_answers))

    def forward(self, image, question):
        gammas, betas = self.film_gen(question)
        x = self.stem(image)
        coords = coord_map(x.size(2), x.size(3), x.device).expand(x.size(0), -1, -1, -1)
        for i, blk in enumerate(self.blocks):
            x = blk(x, gammas[:, i], betas[:, i], coords)
        return self.classifier(torch.cat([x, coords], 1))


def corpus_case():
    torch.manual_seed(0)
    model = FiLMedNet().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(40)
        img = torch.rand(n, 3, 32, 32, generator=g)
        q = torch.randint(1, 100, (n, 10), generator=g)
        q[:, 7:] = 0
        return img, q

    return {"model": model, "inputs": inputs, "kind": "benign"}
