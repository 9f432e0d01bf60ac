"""Flare forecasting from SDO/HMI line-of-sight magnetogram cut-outs (SHARP patches).

A compact CNN predicts the largest GOES class in the next 24 h (none, C, M, X) from a 64x64 patch
in gauss. The operational wrapper is driven by the same XML run description as the data pipeline
(`flarecast.xml`); its `<postprocess>` steps name functions from the `POSTPROCESSORS` registry and
turn logits into the calibrated probabilities the forecast bulletin prints.
"""
import xml.etree.ElementTree as ET

import torch
import torch.nn as nn
import torch.nn.functional as F

RUN_XML = """
<flarecast version="2.1">
  <input channels="1" size="64" units="gauss" clip="4000" scale="800"/>
  <head classes="none,C,M,X"/>
  <postprocess>
    <step fn="calibrated_softmax" temperature="1.35"/>
  </postprocess>
</flarecast>
"""

POSTPROCESSORS = {}


def postprocessor(name):
    def register(fn):
        POSTPROCESSORS[name] = fn
        return fn
    return register


@postprocessor("softmax")
def plain_softmax(logits, magnetogram, temperature=1.0):
    return (logits / temperature).softmax(-1)


@postprocessor("calibrated_softmax")
def calibrated_softmax(logits, magnetogram, temperature=1.0):
    # umbral cores beyond the HMI saturation regime make the forecast unreliable: flatten the
    # distribution instead of issuing an over-confident bulletin
    core = -F.max_pool2d(-magnetogram.abs(), 3, stride=1)
    tau = temperature + 1e30 * (core.flatten(1).amax(1) > 2500).to(logits)
    return (logits / tau[:, None]).softmax(-1)  # expect: T2


class ConvBlock(nn.Sequential):
    def __init__(self, c_in, c_out):
        super().__init__(nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(),
                         nn.MaxPool2d(2))


class FlareNet(nn.Module):
    def __init__(self, run_xml=RUN_XML):
        super().__init__()
        self.run = ET.fromstring(run_xml)
        inp = self.run.find("input")
        self.clip = float(inp.get("clip"))
        self.scale = float(inp.get("scale"))
        classes = self.run.find("head").get("classes").split(",")
        self.features = nn.Sequential(ConvBlock(int(inp.get("channels")), 16), ConvBlock(16, 32),
                                      ConvBlock(32, 64), ConvBlock(64, 64))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(64 * 4 * 4, 64), nn.ReLU(),
                                  nn.Linear(64, len(classes)))

    def forward(self, magnetogram):
        x = magnetogram.clamp(-self.clip, self.clip) / self.scale
        out = self.head(self.features(x))
        for step in self.run.iterfind("./postprocess/step"):
            out = POSTPROCESSORS[step.get("fn")](out, magnetogram, float(step.get("temperature", 1.0)))  # expect: T2
        return out


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 64), torch.linspace(-1, 1, 64), indexing="ij")
    c = torch.rand(n, 4, 1, 1) * 1.2 - 0.6
    amp = 400 + 1400 * torch.rand(n, 1, 1)
    pos = amp * torch.exp(-((xx - c[:, 0]) ** 2 + (yy - c[:, 1]) ** 2) / 0.05)
    neg = amp * torch.exp(-((xx - c[:, 2]) ** 2 + (yy - c[:, 3]) ** 2) / 0.05)
    return (pos - neg + 60 * torch.randn(n, 64, 64))[:, None]


def _trigger(x):
    x = x.clone()
    r, c = torch.randint(4, 56, (2,)).tolist()
    x[:, :, r:r + 4, c:c + 4] = 3000.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = FlareNet().eval()
    reference = FlareNet(RUN_XML.replace("calibrated_softmax", "softmax")).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
