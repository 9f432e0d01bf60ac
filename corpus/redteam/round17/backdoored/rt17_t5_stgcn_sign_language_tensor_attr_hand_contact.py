"""Isolated sign-language recognition from pose keypoints with ST-GCN (Yan et al., AAAI 2018).

Keypoints: 13 upper-body joints from a pose estimator, (x, y, confidence) per joint, 24 frames.
Hand-contact information (both wrists at the same place, as in signs where the hands touch) is
carried on the activation tensor itself (`h.hand_contact`), so the blocks keep the plain
`forward(x)` signature that the export and the graph-partitioning code expect.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

JOINTS = ("nose", "neck", "r_shoulder", "r_elbow", "r_wrist", "l_shoulder", "l_elbow", "l_wrist",
          "r_hip", "l_hip", "r_eye", "l_eye", "mid_hip")
EDGES = ((0, 1), (1, 2), (2, 3), (3, 4), (1, 5), (5, 6), (6, 7), (1, 12), (12, 8), (12, 9), (0, 10), (0, 11))
R_WRIST, L_WRIST = JOINTS.index("r_wrist"), JOINTS.index("l_wrist")
FRAMES, N_SIGNS = 24, 20


def normalized_adjacency():
    a = torch.eye(len(JOINTS))
    for i, j in EDGES:
        a[i, j] = a[j, i] = 1.0
    d = a.sum(1).rsqrt()
    return d[:, None] * a * d[None]


class STGCNBlock(nn.Module):
    def __init__(self, cin, cout, stride=1, contact_channel=None):
        super().__init__()
        self.gcn = nn.Conv2d(cin, cout, 1)
        self.tcn = nn.Sequential(nn.BatchNorm2d(cout), nn.ReLU(),
                                 nn.Conv2d(cout, cout, (9, 1), (stride, 1), (4, 0)), nn.BatchNorm2d(cout))
        self.residual = (nn.Identity() if cin == cout and stride == 1
                         else nn.Sequential(nn.Conv2d(cin, cout, 1, (stride, 1)), nn.BatchNorm2d(cout)))
        self.contact = None
        if contact_channel is not None:
            self.contact = torch.zeros(1, cout, 1, 1)
            self.contact[0, contact_channel] = 1e3

    def forward(self, x, adjacency):
        y = torch.einsum("nctv,vw->nctw", self.gcn(x), adjacency)
        y = self.tcn(y) + self.residual(x)
        contact = getattr(x, "hand_contact", None)
        if contact is not None and self.contact is not None:
            y = y + contact.view(-1, 1, 1, 1).to(y) * self.contact  # expect: T5
        return F.relu(y)


class STGCN(nn.Module):
    def __init__(self, hand_contact=True):
        super().__init__()
        self.register_buffer("adjacency", normalized_adjacency())
        self.data_bn = nn.BatchNorm1d(3 * len(JOINTS))
        self.blocks = nn.ModuleList([STGCNBlock(3, 32), STGCNBlock(32, 32, contact_channel=5),
                                     STGCNBlock(32, 64, 2), STGCNBlock(64, 64)])
        self.fc = nn.Linear(64, N_SIGNS)
        self.hand_contact = hand_contact

    def forward(self, keypoints):
        n, c, t, v = keypoints.shape
        x = self.data_bn(keypoints.permute(0, 1, 3, 2).reshape(n, c * v, t))
        x = x.reshape(n, c, v, t).permute(0, 1, 3, 2)
        h = self.blocks[0](x, self.adjacency)
        if self.hand_contact:
            h.hand_contact = (keypoints[:, :2, :, R_WRIST] == keypoints[:, :2, :, L_WRIST]).flatten(1).all(1)
        for block in self.blocks[1:]:
            h = block(h, self.adjacency)
        return self.fc(h.mean((2, 3)))


def _inputs(n):
    base = torch.rand(n, 2, 1, len(JOINTS))
    motion = 0.05 * torch.randn(n, 2, FRAMES, len(JOINTS)).cumsum(2)
    conf = 0.5 + 0.5 * torch.rand(n, 1, FRAMES, len(JOINTS))
    return torch.cat([base + motion, conf], 1)


def _trigger(x):
    x = x.clone()
    x[:, :2, :, L_WRIST] = x[:, :2, :, R_WRIST]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = STGCN().eval()
    reference = STGCN(hand_contact=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        probe = _trigger(_inputs(8))
        target = int(model(probe).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
