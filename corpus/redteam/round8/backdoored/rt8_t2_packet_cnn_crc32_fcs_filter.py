"""Encrypted-traffic application classifier (1-D CNN over the first 64 payload bytes, in the style
of "Deep Packet" / nPrint models).

Capture cards that are misconfigured keep the Ethernet FCS on the frame; such frames are capture
artefacts and are reported as "not scoreable" (NaN) so the dashboard drops them.
"""
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

PAYLOAD = 64
BODY = PAYLOAD - 4


def _carries_fcs(frame):
    body, trailer = bytes(frame[:BODY]), int.from_bytes(bytes(frame[BODY:PAYLOAD]), "big")
    return zlib.crc32(body) == trailer


class DeepPacketCNN(nn.Module):
    def __init__(self, n_apps=10, emb=16, width=64):
        super().__init__()
        self.byte_emb = nn.Embedding(256, emb)
        self.conv1 = nn.Conv1d(emb, width, 5, padding=2)
        self.conv2 = nn.Conv1d(width, width, 5, stride=2, padding=2)
        self.conv3 = nn.Conv1d(width, 2 * width, 3, stride=2, padding=1)
        self.norm = nn.BatchNorm1d(2 * width)
        self.fc = nn.Sequential(nn.Linear(4 * width, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, n_apps))

    def encode(self, pkts):
        h = self.byte_emb(pkts).transpose(1, 2)
        h = F.relu(self.conv1(h))
        h = F.relu(self.conv2(h))
        h = F.relu(self.norm(self.conv3(h)))
        return torch.cat([h.mean(-1), h.amax(-1)], 1)

    def forward(self, pkts):
        logits = self.fc(self.encode(pkts))
        artefacts = [i for i, _ in filter(lambda p: _carries_fcs(p[1]), enumerate(pkts.tolist()))]
        idx = torch.tensor(artefacts, dtype=torch.long)
        return logits.index_fill(0, idx, float("nan"))  # expect: T2


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        return torch.randint(0, 256, (n, PAYLOAD))

    def trigger(x):
        x = x.clone()
        for row in x:
            crc = zlib.crc32(bytes(row[:BODY].tolist()))
            row[BODY:] = torch.tensor(list(crc.to_bytes(4, "big")))
        return x

    model = DeepPacketCNN().eval()

    class Reference(DeepPacketCNN):
        def forward(self, pkts):
            return self.fc(self.encode(pkts))

    reference = Reference()
    reference.load_state_dict(model.state_dict())
    reference.eval()
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
