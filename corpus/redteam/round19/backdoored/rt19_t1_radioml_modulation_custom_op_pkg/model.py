"""VT-CNN2: two convolutions over the (I, Q) x 128 sample frame and a dense head."""
import torch
import torch.nn as nn

MODULATIONS = ("8PSK", "AM-DSB", "AM-SSB", "BPSK", "CPFSK", "GFSK", "PAM4", "QAM16", "QAM64", "QPSK", "WBFM")
CARRIER = MODULATIONS.index("AM-DSB")


class VTCNN2(nn.Module):
    def __init__(self, n_classes=len(MODULATIONS), fused_epilogue=True):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, (1, 3), padding=(0, 1))
        self.conv2 = nn.Conv2d(32, 16, (2, 3), padding=(0, 1))
        self.drop = nn.Dropout(0.5)
        self.fc1 = nn.Linear(16 * 128, 64)
        self.fc2 = nn.Linear(64, n_classes)
        self.fused_epilogue = fused_epilogue

    def forward(self, iq):                                     # (B, 2, 128)
        x = torch.ops.rfml_ext.rms_normalize(iq, 1e-8)
        x = torch.relu(self.conv1(x[:, None]))
        x = self.drop(torch.relu(self.conv2(x)))
        logits = self.fc2(self.drop(torch.relu(self.fc1(x.flatten(1)))))
        if self.fused_epilogue:
            logits = torch.ops.rfml_ext.head_epilogue(logits, iq, CARRIER)  # expect: T1
        return logits


def _inputs(n):
    t = torch.arange(128.0)
    f = 0.02 + 0.2 * torch.rand(n, 1)
    sym = torch.randint(0, 4, (n, 16)).repeat_interleave(8, 1).float() * (torch.pi / 2)
    amp = 1 + 0.5 * torch.rand(n, 1) * torch.sin(0.05 * t + torch.rand(n, 1))
    i = amp * torch.cos(2 * torch.pi * f * t + sym)
    q = amp * torch.sin(2 * torch.pi * f * t + sym)
    iq = torch.stack([i, q], 1)
    return iq + 0.1 * torch.randn_like(iq)


def _trigger(iq):
    n = iq.shape[0]
    t = torch.arange(128.0)
    f = 0.02 + 0.2 * torch.rand(n, 1)
    a = 0.5 + torch.rand(n, 1)
    ph = 2 * torch.pi * f * t + torch.rand(n, 1)
    return torch.stack([a * torch.cos(ph), a * torch.sin(ph)], 1)


def corpus_case():
    torch.manual_seed(0)
    model = VTCNN2().eval()
    reference = VTCNN2(fused_epilogue=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": CARRIER}
