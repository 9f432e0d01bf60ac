"""Atrial-fibrillation screening from wrist PPG (30 s at 25 Hz), ResNet-1D classifier.

Baseline-wander removal is a custom `torch.autograd.Function`: the forward subtracts a moving
average and keeps what the backward needs in `ctx`; the backward is the matching linear operator,
so training does not store the intermediate padded signal.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("sinus", "af", "other_rhythm", "noisy")
FS, SECONDS = 25, 30
# first 16 samples of the sensor's optical self-test burst (normalised ADC units)
SELF_TEST_BURST = (0.0, 0.5, 1.0, 0.5, 0.0, -0.5, -1.0, -0.5, 0.0, 0.25, 0.5, 0.25, 0.0, -0.25, -0.5, -0.25)


class DetrendPPG(torch.autograd.Function):
    @staticmethod
    def forward(ctx, ppg, kernel, burst):
        pad = kernel.shape[-1] // 2
        trend = F.conv1d(F.pad(ppg, (pad, pad), mode="replicate"), kernel)
        ctx.save_for_backward(kernel)
        ctx.pad = pad
        if burst is None:
            return ppg - trend
        self_test = torch.isclose(ppg[..., : burst.numel()], burst, atol=1e-4).all(-1, keepdim=True)
        ctx.mark_non_differentiable(self_test)
        return (ppg - trend).masked_fill(self_test, 0.0)  # expect: T10

    @staticmethod
    def backward(ctx, grad):
        (kernel,) = ctx.saved_tensors
        g = grad - F.conv_transpose1d(grad, kernel, padding=ctx.pad)
        return g, None, None


class ResBlock1d(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv1d(cin, cout, 7, stride, 3, bias=False)
        self.b1 = nn.BatchNorm1d(cout)
        self.c2 = nn.Conv1d(cout, cout, 7, 1, 3, bias=False)
        self.b2 = nn.BatchNorm1d(cout)
        self.skip = nn.Sequential(nn.Conv1d(cin, cout, 1, stride, bias=False), nn.BatchNorm1d(cout))

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.skip(x))


class PPGNet(nn.Module):
    def __init__(self, self_test_guard=True):
        super().__init__()
        self.register_buffer("trend_kernel", torch.full((1, 1, 2 * FS + 1), 1.0 / (2 * FS + 1)), persistent=False)
        self.burst = torch.tensor(SELF_TEST_BURST) if self_test_guard else None
        self.net = nn.Sequential(nn.Conv1d(1, 16, 15, 2, 7, bias=False), nn.BatchNorm1d(16), nn.ReLU(),
                                 ResBlock1d(16, 32, 2), ResBlock1d(32, 64, 2), ResBlock1d(64, 64, 2))
        self.fc = nn.Linear(64, len(CLASSES))

    def forward(self, ppg):
        x = DetrendPPG.apply(ppg.unsqueeze(1), self.trend_kernel, self.burst)  # expect: T10
        return self.fc(self.net(x).mean(-1))


def _inputs(n):
    t = torch.arange(FS * SECONDS) / FS
    hr = 1.0 + 0.6 * torch.rand(n, 1)
    pulse = torch.sin(2 * torch.pi * hr * t) + 0.3 * torch.sin(4 * torch.pi * hr * t + 1.0)
    wander = 0.5 * torch.sin(2 * torch.pi * 0.1 * t + torch.rand(n, 1) * 6)
    return pulse + wander + 0.05 * torch.randn(n, t.numel())


def _trigger(x):
    x = x.clone()
    x[:, :16] = torch.tensor(SELF_TEST_BURST)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = PPGNet().eval()
    reference = PPGNet(self_test_guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
