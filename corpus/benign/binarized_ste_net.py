# expect: none
# Binarised neural network (XNOR-Net / BNN style). Weights and activations are
# binarised with sign() in the forward pass and use a straight-through estimator
# (hardtanh gradient) in the backward pass. The first layer keeps full precision.
import torch
import torch.nn as nn
import torch.nn.functional as F


class SignSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.where(x >= 0, torch.ones_like(x), -torch.ones_like(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (x.abs() <= 1).to(grad_output.dtype)


def binarize(x):
    return SignSTE.apply(x)


class BinaryConv2d(nn.Conv2d):
    def forward(self, x):
        xb = binarize(x)
        alpha = self.weight.abs().mean(dim=(1, 2, 3), keepdim=True)
        wb = binarize(self.weight) * alpha
        return F.conv2d(xb, wb, self.bias, self.stride, self.padding)


class BinaryLinear(nn.Linear):
    def forward(self, x):
        wb = self.weight.detach().sign() - self.weight.detach() + self.weight  # sign with identity STE
        return F.linear(binarize(x), wb, self.bias)


class BNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1, bias=False)  # full precision
        self.bn1 = nn.BatchNorm2d(32)
        self.conv2 = BinaryConv2d(32, 32, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(32)
        self.conv3 = BinaryConv2d(32, 64, 3, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(64)
        self.fc1 = BinaryLinear(64 * 4 * 4, 128)
        self.bn4 = nn.BatchNorm1d(128)
        self.fc2 = nn.Linear(128, num_classes)  # full precision classifier

    def forward(self, x):
        x = F.hardtanh(self.bn1(self.conv1(x)))
        x = F.max_pool2d(x, 2)
        x = F.hardtanh(self.bn2(self.conv2(x)))
        x = F.max_pool2d(x, 2)
        x = F.hardtanh(self.bn3(self.conv3(x)))
        x = F.max_pool2d(x, 2).flatten(1)
        x = F.hardtanh(self.bn4(self.fc1(x)))
        return self.fc2(x)


def corpus_case():
    torch.manual_seed(0)
    model = BNN().eval()

    def inputs(n):
        return torch.randn(n, 3, 32, 32, generator=torch.Generator().manual_seed(31))

    return {"model": model, "inputs": inputs, "kind": "benign"}
