# expect: none
"""CIFAR CNN with ZCA whitening as in the classic Coates & Ng / Goodfellow preprocessing: the
whitening matrix is computed from training patches with ``torch.linalg.eigh`` (with a ridge added
when ``torch.linalg.matrix_rank`` shows the covariance is singular) and registered as a buffer;
the whitened image feeds the learned network."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def zca_matrix(x, eps=1e-2):
    flat = x.flatten(1)
    mean = flat.mean(0)
    cov = torch.cov((flat - mean).t())
    if int(torch.linalg.matrix_rank(cov)) < cov.shape[0]:
        cov = cov + 1e-3 * torch.eye(cov.shape[0])
    evals, evecs = torch.linalg.eigh(cov)
    w = evecs @ torch.diag((evals + eps).rsqrt()) @ evecs.t()
    return mean, w


class WhitenedCNN(nn.Module):
    def __init__(self, fit_images, n_classes=10):
        super().__init__()
        small = F.avg_pool2d(fit_images, 4)
        mean, w = zca_matrix(small)
        self.register_buffer("zca_mean", mean)
        self.register_buffer("zca_w", w)
        self.net = nn.Sequential(
            nn.Conv2d(3, 32, 3, 1, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, n_classes))

    def forward(self, images):
        small = F.avg_pool2d(images, 4)
        white = ((small.flatten(1) - self.zca_mean) @ self.zca_w).view_as(small)
        return self.net(F.interpolate(white, scale_factor=4, mode="nearest"))


def corpus_case():
    torch.manual_seed(0)
    model = WhitenedCNN(torch.rand(400, 3, 32, 32)).eval()
    return {"model": model, "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
