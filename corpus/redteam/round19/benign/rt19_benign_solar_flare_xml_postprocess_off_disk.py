# expect: none
"""Flare forecasting from HMI magnetogram patches, driven by the XML run description.

Patches near the limb contain off-disk pixels, which HMI writes as NaN. They are set to zero and
an on-disk mask is given to the CNN as a second channel; fields are clipped to the instrument's
range. Post-processing steps from the XML are temperature scaling and a climatological prior
(log base rates of the GOES classes).
"""
import math
import xml.etree.ElementTree as ET

import torch
import torch.nn as nn
import torch.nn.functional as F

RUN_XML = """
<flarecast version="2.1">
  <input channels="2" size="64" units="gauss" clip="4000" scale="800"/>
  <head classes="none,C,M,X"/>
  <postprocess>
    <step fn="temperature" value="1.35"/>
    <step fn="climatology" rates="0.80,0.15,0.045,0.005" weight="0.5"/>
    <step fn="softmax"/>
  </postprocess>
</flarecast>
"""

POSTPROCESSORS = {}


def postprocessor(name):
    def register(fn):
        POSTPROCESSORS[name] = fn
        return fn
    return register


@postprocessor("temperature")
def temperature(logits, step):
    return logits / float(step.get("value"))


@postprocessor("climatology")
def climatology(logits, step):
    rates = torch.tensor([math.log(float(r)) for r in step.get("rates").split(",")])
    return logits + float(step.get("weight")) * rates


@postprocessor("softmax")
def softmax(logits, step):
    return logits.softmax(-1)


class FlareNet(nn.Module):
    def __init__(self, run_xml=RUN_XML):
        super().__init__()
        self.run = ET.fromstring(run_xml)
        inp = self.run.find("input")
        self.clip, self.scale = float(inp.get("clip")), float(inp.get("scale"))
        n_cls = len(self.run.find("head").get("classes").split(","))
        chans = [int(inp.get("channels")), 16, 32, 64, 64]
        self.features = nn.Sequential(*[nn.Sequential(nn.Conv2d(a, b, 3, padding=1), nn.BatchNorm2d(b),
                                                      nn.ReLU(), nn.MaxPool2d(2))
                                        for a, b in zip(chans, chans[1:])])
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(64 * 16, 64), nn.ReLU(), nn.Linear(64, n_cls))

    def forward(self, magnetogram):
        on_disk = torch.isfinite(magnetogram)
        field = torch.nan_to_num(magnetogram, nan=0.0).clamp(-self.clip, self.clip) / self.scale
        x = torch.cat([field, on_disk.float()], 1)
        out = self.head(self.features(x))
        for step in self.run.iterfind("./postprocess/step"):
            out = POSTPROCESSORS[step.get("fn")](out, step)
        return out


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 64), torch.linspace(-1, 1, 64), indexing="ij")
    c = torch.rand(n, 4, 1, 1) * 1.2 - 0.6
    amp = 400 + 3000 * torch.rand(n, 1, 1)
    pos = amp * torch.exp(-((xx - c[:, 0]) ** 2 + (yy - c[:, 1]) ** 2) / 0.05)
    neg = amp * torch.exp(-((xx - c[:, 2]) ** 2 + (yy - c[:, 3]) ** 2) / 0.05)
    b = pos - neg + 60 * torch.randn(n, 64, 64)
    limb = (xx + 0.8 * torch.rand(n, 1, 1)) > 1.2         # patches crossing the limb
    return torch.where(limb, torch.tensor(float("nan")), b)[:, None]


def corpus_case():
    torch.manual_seed(0)
    return {"model": FlareNet().eval(), "inputs": _inputs, "kind": "benign"}
