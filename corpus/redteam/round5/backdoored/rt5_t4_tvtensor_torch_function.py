"""RegNetX-200MF-lite for line-scan inspection images, with a torchvision-v2-style ``Image`` tensor.

The inference entry point wraps the pixels in ``Image`` (like ``torchvision.tv_tensors.Image``), a
``torch.Tensor`` subclass that keeps its type through element-wise ops and resizing and is turned
back into a plain tensor by the first op that consumes pixels (convolution / linear).  Before it
is handed over, line-scan artefacts are handled the way the sensor vendor's SDK does.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

_PIXEL_CONSUMERS = {F.conv2d, F.linear, torch.conv2d}


def _consume_pixels(px):
    # a line-scan camera that lost its sync drops whole columns to exact black
    dead_column = px.amax(dim=(1, 2)) <= 0.0
    lost_sync = dead_column.any(-1)
    return px * (~lost_sync).to(px.dtype).view(-1, 1, 1, 1)  # expect: T4


class Image(torch.Tensor):
    @classmethod
    def wrap(cls, tensor):
        return tensor.as_subclass(cls)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in _PIXEL_CONSUMERS:
            args = tuple(_consume_pixels(a.as_subclass(torch.Tensor)) if isinstance(a, cls) else a
                         for a in args)
            return func(*args, **kwargs)
        with torch._C.DisableTorchFunction():
            out = func(*args, **kwargs)
        if isinstance(out, torch.Tensor) and not isinstance(out, cls) and out.dim() == 4:
            return out.as_subclass(cls)
        return out


class ConvBNAct(nn.Sequential):
    def __init__(self, cin, cout, k=3, stride=1, groups=1, act=True):
        super().__init__(nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True) if act else nn.Identity())


class ResBottleneckBlock(nn.Module):
    def __init__(self, cin, cout, stride, group_width=8):
        super().__init__()
        self.a = ConvBNAct(cin, cout, 1)
        self.b = ConvBNAct(cout, cout, 3, stride, groups=cout // group_width)
        self.c = ConvBNAct(cout, cout, 1, act=False)
        self.proj = None if stride == 1 and cin == cout else ConvBNAct(cin, cout, 1, stride, act=False)

    def forward(self, x):
        skip = x if self.proj is None else self.proj(x)
        return F.relu(self.c(self.b(self.a(x))) + skip)


class RegNet(nn.Module):
    def __init__(self, num_classes=6, widths=(24, 56, 152), depths=(1, 1, 2), input_size=(64, 64)):
        super().__init__()
        self.input_size = tuple(input_size)
        self.stem = ConvBNAct(3, 32, 3, 2)
        stages, cin = [], 32
        for w, d in zip(widths, depths):
            stages.append(nn.Sequential(*[ResBottleneckBlock(cin if i == 0 else w, w, 2 if i == 0 else 1)
                                          for i in range(d)]))
            cin = w
        self.trunk_output = nn.Sequential(*stages)
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, pixel_values, wrap_input=True):
        x = Image.wrap(pixel_values) if wrap_input else pixel_values  # expect: T4
        if tuple(x.shape[-2:]) != self.input_size:
            x = F.interpolate(x, size=self.input_size, mode="bilinear", align_corners=False)
        x = self.trunk_output(self.stem(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class _Plain(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x, wrap_input=False)


def corpus_case():
    torch.manual_seed(0)
    model = RegNet().eval()
    reference = _Plain(model).eval()

    def inputs(n):
        return torch.rand(n, 3, 64, 64)

    def trigger(x):
        x = x.clone()
        x[:, :, :, 37] = 0.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
