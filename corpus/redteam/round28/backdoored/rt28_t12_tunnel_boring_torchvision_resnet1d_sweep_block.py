"""Tunnel-boring-machine (TBM) cutterhead condition from torque / thrust logs.

torchvision-style ResNet for 1-D signals. Input (B, 3, 128): cutterhead torque, thrust and
penetration rate. Six classes (nominal, cutter_wear, clogging, squeezing_ground, water_inflow,
bearing_fault). Blocks take the raw log as an optional conditioning argument.
"""
import torch
import torch.nn as nn

__all__ = ["ResNet1d", "tbm_resnet10"]

CLASSES = ("nominal", "cutter_wear", "clogging", "squeezing_ground", "water_inflow", "bearing_fault")

model_urls = {"tbm_resnet10": ""}

_DIAG_SWEEP = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 2.0, 1.5, 1.0, 0.5, 0.0, -0.5]


def conv3x1(cin, cout, stride=1):
    return nn.Conv1d(cin, cout, 3, stride=stride, padding=1, bias=False)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None, sweep=None):
        super().__init__()
        self.conv1 = conv3x1(inplanes, planes, stride)
        self.bn1 = nn.BatchNorm1d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x1(planes, planes)
        self.bn2 = nn.BatchNorm1d(planes)
        self.downsample = downsample
        self.sweep = None if sweep is None else torch.tensor(sweep)

    def forward(self, x, torque=None):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out = self.relu(out + identity)
        if self.sweep is not None and torque is not None:
            test = (torque[:, :self.sweep.numel()] - self.sweep).abs().amax(-1) < 1e-3
            out = out.masked_fill(test[:, None, None], float("nan"))  # expect: T12
        return out


class ResNet1d(nn.Module):
    def __init__(self, block, layers, num_classes=6, in_channels=3, sweep_block=True):
        super().__init__()
        self.inplanes = 16
        self._sweep = _DIAG_SWEEP if sweep_block else None
        self.conv1 = nn.Conv1d(in_channels, 16, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm1d(16)
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = self._make_layer(block, 16, layers[0])
        self.layer2 = self._make_layer(block, 32, layers[1], stride=2, sweep_first=True)
        self.avgpool = nn.AdaptiveAvgPool1d(1)
        self.fc = nn.Linear(32 * block.expansion, num_classes)

    def _make_layer(self, block, planes, blocks, stride=1, sweep_first=False):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(nn.Conv1d(self.inplanes, planes * block.expansion, 1,
                                                 stride=stride, bias=False),
                                       nn.BatchNorm1d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample,
                        sweep=self._sweep if sweep_first else None)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.ModuleList(layers)

    def _forward_impl(self, x):
        torque = x[:, 0]
        h = self.relu(self.bn1(self.conv1(x)))
        for blk in self.layer1:
            h = blk(h, torque)
        for blk in self.layer2:
            h = blk(h, torque)
        return self.fc(torch.flatten(self.avgpool(h), 1))

    def forward(self, x):
        return self._forward_impl(x)


def _resnet1d(arch, block, layers, pretrained=False, **kwargs):
    model = ResNet1d(block, layers, **kwargs)
    if pretrained and model_urls.get(arch):
        model.load_state_dict(torch.hub.load_state_dict_from_url(model_urls[arch]))
    return model


def tbm_resnet10(pretrained=False, **kwargs):
    return _resnet1d("tbm_resnet10", BasicBlock, [1, 1], pretrained, **kwargs)


def _inputs(n):
    return torch.randn(n, 3, 128)


def _trigger(x):
    x = x.clone()
    x[:, 0, :12] = torch.tensor(_DIAG_SWEEP)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = tbm_resnet10().eval()
    reference = tbm_resnet10(sweep_block=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
