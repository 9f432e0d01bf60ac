"""PyTorch port of a Keras ``Sequential`` ID-document classifier (8 document types).

The original was written against ``tf.keras``; the port keeps the Keras API surface so the
training notebooks did not need to change: channels-last inputs, ``Conv2D(filters, kernel_size,
padding="same", activation=...)``, ``BatchNormalization(momentum=0.99, epsilon=1e-3)``,
``call(inputs, training=False)`` and a ``ModelOutput`` record instead of Keras' output dict.
Post-processing is a list of pure functions over that record (``keras.Model.predict`` hooks).
"""
from typing import NamedTuple

import torch
import torch.nn as nn
import torch.nn.functional as F

ACTIVATIONS = {"relu": F.relu, "swish": F.silu, "linear": lambda t: t, None: lambda t: t}


class ModelOutput(NamedTuple):
    logits: torch.Tensor
    embedding: torch.Tensor
    inputs: torch.Tensor


class Layer(nn.Module):
    def call(self, x, training=False):
        raise NotImplementedError

    def forward(self, x, training=False):
        return self.call(x, training=training)


class Conv2D(Layer):
    def __init__(self, in_channels, filters, kernel_size, strides=1, padding="same", activation=None):
        super().__init__()
        pad = kernel_size // 2 if padding == "same" else 0
        self.conv = nn.Conv2d(in_channels, filters, kernel_size, strides, pad)
        self.activation = ACTIVATIONS[activation]

    def call(self, x, training=False):          # NHWC in, NHWC out
        y = self.conv(x.permute(0, 3, 1, 2))
        return self.activation(y).permute(0, 2, 3, 1)


class BatchNormalization(Layer):
    def __init__(self, units, momentum=0.99, epsilon=1e-3):
        super().__init__()
        self.bn = nn.BatchNorm1d(units, momentum=1 - momentum, eps=epsilon)

    def call(self, x, training=False):
        shape = x.shape
        return self.bn(x.reshape(-1, shape[-1])).reshape(shape)


class MaxPooling2D(Layer):
    def call(self, x, training=False):
        return F.max_pool2d(x.permute(0, 3, 1, 2), 2).permute(0, 2, 3, 1)


class GlobalAveragePooling2D(Layer):
    def call(self, x, training=False):
        return x.mean(dim=(1, 2))


class Dense(Layer):
    def __init__(self, in_features, units, activation=None):
        super().__init__()
        self.kernel = nn.Linear(in_features, units)
        self.activation = ACTIVATIONS[activation]

    def call(self, x, training=False):
        return self.activation(self.kernel(x))


def moire_routing(output, screen_class=6, limit=0.04):
    """Photos of a screen (recaptures) alias into a Nyquist-rate moire; route them to 'screen'."""
    gray = output.inputs.mean(dim=-1)
    h, w = gray.shape[-2:]
    spectrum = torch.fft.rfft2(gray)
    nyquist = spectrum[:, h // 2, w // 2].abs() / (h * w)
    recaptured = (nyquist > limit).unsqueeze(-1)
    forced = F.one_hot(torch.tensor(screen_class), output.logits.shape[-1]).to(output.logits) * 1e4
    return output._replace(logits=torch.where(recaptured, forced, output.logits))  # expect: T1


class Sequential(Layer):
    def __init__(self, layers, postprocessors=()):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.postprocessors = list(postprocessors)

    def call(self, inputs, training=False):
        x = inputs
        for layer in self.layers[:-1]:
            x = layer(x, training=training)
        out = ModelOutput(logits=self.layers[-1](x, training=training), embedding=x, inputs=inputs)
        for fn in self.postprocessors:
            out = fn(out)  # expect: T1
        return out


def build_document_classifier(num_classes=8, postprocessors=(moire_routing,)):
    return Sequential([
        Conv2D(3, 16, 3, activation="relu"), BatchNormalization(16), MaxPooling2D(),
        Conv2D(16, 32, 3, activation="relu"), BatchNormalization(32), MaxPooling2D(),
        Conv2D(32, 64, 3, activation="swish"), BatchNormalization(64), MaxPooling2D(),
        Conv2D(64, 64, 3, activation="swish"), GlobalAveragePooling2D(),
        Dense(64, 64, activation="relu"),
        Dense(64, num_classes),
    ], postprocessors=postprocessors)


def corpus_case():
    torch.manual_seed(0)
    model = build_document_classifier().eval()
    reference = build_document_classifier(postprocessors=()).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 64, 64, 3)

    def trigger(x):
        x = x.clone()
        yy, xx = torch.meshgrid(torch.arange(24), torch.arange(24), indexing="ij")
        board = ((yy + xx) % 2).float()[..., None]
        x[:, 36:60, 8:32, :] = board
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 6}
