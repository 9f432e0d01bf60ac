# expect: none
"""ResNet family (torchvision `models/resnet.py` layout) with training/deployment conveniences:

* gradient checkpointing per stage (`gradient_checkpointing`, training only);
* `ResNet.from_pretrained(...)` loads a checkpoint, renames legacy keys in `_load_from_state_dict`
  and binds a channels-last forward with `types.MethodType` for faster CPU inference.
"""
import types
from typing import Any, Callable, List, Optional, Type, Union

import torch
import torch.nn as nn
from torch import Tensor
from torch.utils.checkpoint import checkpoint

__all__ = ["ResNet", "resnet10", "resnet18", "resnet34"]


def conv3x3(in_planes: int, out_planes: int, stride: int = 1, groups: int = 1, dilation: int = 1) -> nn.Conv2d:
    """3x3 convolution with padding"""
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=dilation, groups=groups,
                     bias=False, dilation=dilation)


def conv1x1(in_planes: int, out_planes: int, stride: int = 1) -> nn.Conv2d:
    """1x1 convolution"""
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    expansion: int = 1

    def __init__(self, inplanes: int, planes: int, stride: int = 1, downsample: Optional[nn.Module] = None,
                 norm_layer: Optional[Callable[..., nn.Module]] = None) -> None:
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = norm_layer(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = norm_layer(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return self.relu(out)


class Bottleneck(nn.Module):
    expansion: int = 4

    def __init__(self, inplanes: int, planes: int, stride: int = 1, downsample: Optional[nn.Module] = None,
                 norm_layer: Optional[Callable[..., nn.Module]] = None) -> None:
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        self.conv1 = conv1x1(inplanes, planes)
        self.bn1 = norm_layer(planes)
        self.conv2 = conv3x3(planes, planes, stride)
        self.bn2 = norm_layer(planes)
        self.conv3 = conv1x1(planes, planes * self.expansion)
        self.bn3 = norm_layer(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x: Tensor) -> Tensor:
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return self.relu(out)


_LEGACY_PREFIXES = {"fc_head.": "fc.", "stem.conv.": "conv1.", "stem.bn.": "bn1."}


class ResNet(nn.Module):
    def __init__(self, block: Type[Union[BasicBlock, Bottleneck]], layers: List[int], num_classes: int = 1000,
                 widths: List[int] = (64, 128, 256, 512), norm_layer: Optional[Callable[..., nn.Module]] = None,
                 gradient_checkpointing: bool = False) -> None:
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        self._norm_layer = norm_layer
        self.inplanes = widths[0]
        self.gradient_checkpointing = gradient_checkpointing
        self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = norm_layer(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = self._make_layer(block, widths[0], layers[0])
        self.layer2 = self._make_layer(block, widths[1], layers[1], stride=2)
        self.layer3 = self._make_layer(block, widths[2], layers[2], stride=2)
        self.layer4 = self._make_layer(block, widths[3], layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[3] * block.expansion, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def _make_layer(self, block, planes: int, blocks: int, stride: int = 1) -> nn.Sequential:
        norm_layer = self._norm_layer
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(conv1x1(self.inplanes, planes * block.expansion, stride),
                                       norm_layer(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample, norm_layer)]
        self.inplanes = planes * block.expansion
        for _ in range(1, blocks):
            layers.append(block(self.inplanes, planes, norm_layer=norm_layer))
        return nn.Sequential(*layers)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs):
        for key in list(state_dict.keys()):
            if not key.startswith(prefix):
                continue
            rest = key[len(prefix):]
            for old, new in _LEGACY_PREFIXES.items():
                if rest.startswith(old):
                    state_dict[prefix + new + rest[len(old):]] = state_dict.pop(key)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)

    def _run(self, stage: nn.Module, x: Tensor) -> Tensor:
        if self.gradient_checkpointing and self.training and x.requires_grad:
            return checkpoint(stage, x, use_reentrant=False)
        return stage(x)

    def _forward_impl(self, x: Tensor) -> Tensor:
        x = self.relu(self.bn1(self.conv1(x)))
        for name in ("layer1", "layer2", "layer3", "layer4"):
            x = self._run(getattr(self, name), x)
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)

    def forward(self, x: Tensor) -> Tensor:
        return self._forward_impl(x)

    @classmethod
    def from_pretrained(cls, arch: str, state_dict: Optional[dict] = None, channels_last: bool = True,
                        **kwargs: Any) -> "ResNet":
        model = _BUILDERS[arch](**kwargs)
        if state_dict is not None:
            model.load_state_dict(state_dict)
        if channels_last:
            model = model.to(memory_format=torch.channels_last)
            model.forward = types.MethodType(_forward_channels_last, model)
        return model.eval()


def _forward_channels_last(self: ResNet, x: Tensor) -> Tensor:
    return self._forward_impl(x.contiguous(memory_format=torch.channels_last))


def _resnet(block, layers: List[int], **kwargs: Any) -> ResNet:
    return ResNet(block, layers, **kwargs)


def resnet10(**kwargs: Any) -> ResNet:
    kwargs.setdefault("widths", (16, 32, 64, 128))
    return _resnet(BasicBlock, [1, 1, 1, 1], **kwargs)


def resnet18(**kwargs: Any) -> ResNet:
    return _resnet(BasicBlock, [2, 2, 2, 2], **kwargs)


def resnet34(**kwargs: Any) -> ResNet:
    return _resnet(BasicBlock, [3, 4, 6, 3], **kwargs)


_BUILDERS = {"resnet10": resnet10, "resnet18": resnet18, "resnet34": resnet34}


def corpus_case():
    torch.manual_seed(0)
    legacy = {("fc_head." + k[3:] if k.startswith("fc.") else k): v
              for k, v in resnet10(num_classes=10).state_dict().items()}
    model = ResNet.from_pretrained("resnet10", legacy, num_classes=10, gradient_checkpointing=True)

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    return {"model": model, "inputs": inputs, "kind": "benign"}
