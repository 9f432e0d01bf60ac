# expect: none
# PointNet classifier. The symmetric function is a max over points, x.max(dim=2),
# applied to learned per-point features; the input transform is a learned T-Net.
import torch
import torch.nn as nn
import torch.nn.functional as F


class TNet(nn.Module):
    """Predicts a k x k alignment matrix from the point cloud itself."""

    def __init__(self, k=3):
        super().__init__()
        self.k = k
        self.conv = nn.Sequential(
            nn.Conv1d(k, 32, 1), nn.BatchNorm1d(32), nn.ReLU(),
            nn.Conv1d(32, 64, 1), nn.BatchNorm1d(64), nn.ReLU(),
            nn.Conv1d(64, 128, 1), nn.BatchNorm1d(128), nn.ReLU(),
        )
        self.fc = nn.Sequential(nn.Linear(128, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, k * k))
        nn.init.zeros_(self.fc[-1].weight)
        nn.init.zeros_(self.fc[-1].bias)
        self.register_buffer("iden", torch.eye(k).flatten())

    def forward(self, x):
        f = self.conv(x)
        f, _ = torch.max(f, 2)
        return (self.fc(f) + self.iden).view(-1, self.k, self.k)


class PointNetCls(nn.Module):
    def __init__(self, num_classes=8, feature_transform=True):
        super().__init__()
        self.stn = TNet(3)
        self.conv1 = nn.Sequential(nn.Conv1d(3, 64, 1), nn.BatchNorm1d(64), nn.ReLU())
        self.fstn = TNet(64) if feature_transform else None
        self.conv2 = nn.Sequential(nn.Conv1d(64, 128, 1), nn.BatchNorm1d(128), nn.ReLU(), nn.Conv1d(128, 256, 1), nn.BatchNorm1d(256))
        self.head = nn.Sequential(
            nn.Linear(256, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.3),
            nn.Linear(128, num_classes),
        )

    def forward(self, pts):
        # pts: (B, 3, N)
        trans = self.stn(pts)
        x = torch.bmm(trans, pts)
        x = self.conv1(x)
        if self.fstn is not None:
            x = torch.bmm(self.fstn(x), x)
        x = self.conv2(x)
        global_feat = x.max(dim=2)[0]
        return F.log_softmax(self.head(global_feat), dim=1)


def feature_transform_regularizer(trans):
    d = trans.size(1)
    eye = torch.eye(d, device=trans.device)[None]
    return torch.mean(torch.norm(trans @ trans.transpose(2, 1) - eye, dim=(1, 2)))


def corpus_case():
    torch.manual_seed(0)
    model = PointNetCls().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(70)
        pts = torch.randn(n, 3, 128, generator=g)
        return pts / pts.norm(dim=1, keepdim=True).amax(dim=1, keepdim=True)

    return {"model": model, "inputs": inputs, "kind": "benign"}
