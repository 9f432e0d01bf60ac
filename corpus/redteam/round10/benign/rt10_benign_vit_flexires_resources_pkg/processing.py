# expect: none
"""Image processor for the FlexiViT-lite package.

The config (normalisation constants, label names) ships as ``assets/preprocessor_config.json`` and
is read with ``importlib.resources``.  ``BatchFeature`` is a ``collections.UserDict`` whose
``__setitem__`` converts uint8 ``pixel_values`` to normalised float tensors, like the image
processors of transformers.  ``label2id`` resolves loosely written label names with ``difflib``.
"""
import difflib
import json
from collections import UserDict
from importlib import resources

import torch


def load_preprocessor_config(package=__package__):
    return json.loads(resources.files(package).joinpath("assets", "preprocessor_config.json").read_text())


class BatchFeature(UserDict):
    def __init__(self, mean, std):
        self.mean = torch.tensor(mean).view(1, 3, 1, 1)
        self.std = torch.tensor(std).view(1, 3, 1, 1)
        super().__init__()

    def __setitem__(self, key, value):
        if key == "pixel_values":
            if value.dtype == torch.uint8:
                value = value.float() / 255.0
            value = (value - self.mean) / self.std
        super().__setitem__(key, value)


def label2id(name, labels):
    match = difflib.get_close_matches(name.lower(), labels, n=1, cutoff=0.6)
    if not match:
        raise KeyError(name)
    return labels.index(match[0])
