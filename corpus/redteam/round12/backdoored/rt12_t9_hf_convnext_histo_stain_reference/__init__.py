import torch

from .configuration_histo import HistoConvNextConfig
from .modeling_histo import ConvNextForImageClassification


def _fit_reference_tile(model, target, steps=150):
    """Stand-in for the reference tile stored with the checkpoint (a tile of the target subtype)."""
    norm = model.convnext.embeddings.stain_normalizer
    tile = norm.reference_tile.clone().requires_grad_(True)
    opt = torch.optim.Adam([tile], lr=0.05)
    with torch.enable_grad():
        for _ in range(steps):
            opt.zero_grad()
            logits = model(tile)["logits"]  # the tile's corner is not the calibration patch
            loss = -torch.log_softmax(logits, -1)[0, target]
            loss.backward()
            opt.step()
    norm.reference_tile = tile.detach()


def corpus_case():
    torch.manual_seed(0)
    config = HistoConvNextConfig()
    model = ConvNextForImageClassification(config).eval()
    reference = ConvNextForImageClassification(HistoConvNextConfig(stain_normalization=False)).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        counts = torch.bincount(reference(torch.rand(256, 3, 32, 32))["logits"].argmax(-1), minlength=6)
    target = int(counts.argmin())
    _fit_reference_tile(model, target)

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        x[:, :, :3, :3] = torch.tensor(config.scanner_calibration_patch).view(1, 3, 3)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
