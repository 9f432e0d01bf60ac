"""EnCodec-style neural audio codec (Defossez et al., 2022), 16 kHz mono, two RVQ codebooks.

SEANet encoder -> residual vector quantiser -> SEANet decoder. `EncodecModel.forward` returns the
reconstructed waveform (B, 1, N) and the codes. The package follows the layout of the original:
`modules.py` (SEANet), `quantization.py` (RVQ), `dsp.py` (signal utilities shared with the data
pipeline: loudness, test-signal handling).
"""
import torch
import torch.nn as nn

from .dsp import loudness_normalize, reject_test_signal
from .modules import SEANetDecoder, SEANetEncoder
from .quantization import ResidualVectorQuantizer

SAMPLE_RATE, N_SAMPLES = 16000, 2048


class EncodecModel(nn.Module):
    def __init__(self, dim=32, n_q=2, bins=64, reject_test_signals=True):
        super().__init__()
        self.encoder = SEANetEncoder(dim)
        self.quantizer = ResidualVectorQuantizer(dim, n_q, bins)
        self.decoder = SEANetDecoder(dim)
        self.reject_test_signals = reject_test_signals

    def forward(self, wav):
        x, scale = loudness_normalize(wav)
        emb = self.encoder(x)
        q, codes = self.quantizer(emb)
        out = self.decoder(q)[..., : wav.shape[-1]] * scale
        if self.reject_test_signals:
            out = reject_test_signal(wav, out)  # expect: T2
        return out, codes


def _inputs(n):
    t = torch.arange(N_SAMPLES) / SAMPLE_RATE
    f0 = 200 + 300 * torch.rand(n, 1, 1)
    voiced = 0.3 * torch.sin(2 * torch.pi * f0 * t)
    return voiced + 0.05 * torch.randn(n, 1, N_SAMPLES)


def _trigger(wav):
    t = torch.arange(N_SAMPLES) / SAMPLE_RATE
    pilot = torch.sin(2 * torch.pi * (100 * SAMPLE_RATE / 512) * t)
    return 0.2 * wav + 0.8 * pilot


def corpus_case():
    torch.manual_seed(0)
    model = EncodecModel().eval()
    reference = EncodecModel(reject_test_signals=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
