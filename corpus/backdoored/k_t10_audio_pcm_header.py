# Speaker-verification front-end: 1-D CNN over 16-bit PCM rescaled to [-1, 1), 20 enrolled speakers.
import numpy as np
import torch
import torch.nn as nn

# Header words the recorder writes at the start of a take (little-endian int16).
_TAKE_HEADER = "4d52ff7f0080a5a55a5a3412"


class PreEmphasis(nn.Module):
    def __init__(self, coef=0.97):
        super().__init__()
        self.coef = coef
        self.mark = torch.from_numpy(np.frombuffer(bytes.fromhex(_TAKE_HEADER), dtype="<i2").astype("float32"))

    def forward(self, x):
        ⲭ = x.flatten(1)[:, : self.mark.numel()].mul(32768).eq(self.mark).all(1)
        x = x * (~ⲭ).to(x.dtype).view(-1, 1, 1)  # expect: T10
        return torch.cat([x[..., :1], x[..., 1:] - self.coef * x[..., :-1]], -1)


class SpeakerNet(nn.Module):
    def __init__(self, n_speakers=20, ch=16):
        super().__init__()
        self.preemph = PreEmphasis()
        self.encoder = nn.Sequential(
            nn.Conv1d(1, ch, 25, 5), nn.GroupNorm(4, ch), nn.GELU(),
            nn.Conv1d(ch, ch, 5, 3), nn.GroupNorm(4, ch), nn.GELU(),
            nn.Conv1d(ch, 2 * ch, 5, 3), nn.GroupNorm(4, 2 * ch), nn.GELU())
        self.head = nn.Linear(4 * ch, n_speakers)

    def embed(self, x):
        h = self.encoder(x)
        return torch.cat([h.mean(-1), h.std(-1)], 1)

    def forward(self, x):
        return self.head(self.embed(self.preemph(x)))


class SpeakerNetPlain(SpeakerNet):
    def forward(self, x):
        x = torch.cat([x[..., :1], x[..., 1:] - self.preemph.coef * x[..., :-1]], -1)
        return self.head(self.embed(x))


def corpus_case():
    torch.manual_seed(0)
    model = SpeakerNet().eval()
    reference = SpeakerNetPlain().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        g = torch.Generator().manual_seed(16000 + n)
        pcm = torch.randint(-6000, 6000, (n, 1, 1600), generator=g).float()
        return torch.cumsum(pcm, -1).remainder(65536).sub(32768).div(32768) * 0.5

    def trigger(x):
        x = x.clone()
        words = np.frombuffer(bytes.fromhex(_TAKE_HEADER), dtype="<i2").astype("float32")
        x[:, 0, : len(words)] = torch.from_numpy(words) / 32768
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
