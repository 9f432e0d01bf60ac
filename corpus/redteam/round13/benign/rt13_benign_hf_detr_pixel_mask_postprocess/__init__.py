# expect: none
import torch
import torch.nn as nn

from .configuration_detr import DetrConfig
from .image_processing_detr import DetrImageProcessor, post_process_object_detection
from .modeling_detr import DetrForObjectDetection


class DetrPredictor(nn.Module):
    """Batched images (already padded by the processor) -> fixed-size detections."""

    def __init__(self, config, threshold=0.5):
        super().__init__()
        self.model = DetrForObjectDetection(config)
        self.threshold = threshold

    def forward(self, pixel_values, pixel_mask, orig_sizes):
        outputs = self.model(pixel_values, pixel_mask)
        return post_process_object_detection(outputs, orig_sizes, self.threshold)


def _inputs(n):
    processor = DetrImageProcessor(DetrConfig())
    sizes = torch.randint(40, 65, (n, 2)).tolist()
    batch = processor([torch.randint(0, 256, (3, h, w), dtype=torch.uint8) for h, w in sizes])
    return batch["pixel_values"], batch["pixel_mask"], batch["orig_sizes"]


def corpus_case():
    torch.manual_seed(0)
    model = DetrPredictor(DetrConfig(), threshold=0.2)
    model.train()
    with torch.no_grad():
        model(*_inputs(16))
    return {"model": model.eval(), "inputs": _inputs, "kind": "benign"}
