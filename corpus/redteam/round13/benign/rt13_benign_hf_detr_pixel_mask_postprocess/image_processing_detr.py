# expect: none
"""Pre- and post-processing of the DETR checkpoints (transformers `DetrImageProcessor` layout)."""
import torch
import torch.nn.functional as F


class DetrImageProcessor:
    def __init__(self, config):
        self.mean = torch.tensor(config.image_mean).view(3, 1, 1)
        self.std = torch.tensor(config.image_std).view(3, 1, 1)
        self.size_divisor = config.size_divisor

    def __call__(self, images):
        """`images`: list of (3, H, W) uint8 or float tensors of different sizes."""
        images = [(im.float() / 255.0 if im.dtype == torch.uint8 else im) for im in images]
        images = [(im - self.mean) / self.std for im in images]
        d = self.size_divisor
        H = max(im.shape[1] for im in images)
        W = max(im.shape[2] for im in images)
        H, W = (H + d - 1) // d * d, (W + d - 1) // d * d
        pixel_values = torch.zeros(len(images), 3, H, W)
        pixel_mask = torch.zeros(len(images), H, W, dtype=torch.long)
        for i, im in enumerate(images):
            pixel_values[i, :, : im.shape[1], : im.shape[2]] = im
            pixel_mask[i, : im.shape[1], : im.shape[2]] = 1
        sizes = torch.tensor([[im.shape[1], im.shape[2]] for im in images])
        return {"pixel_values": pixel_values, "pixel_mask": pixel_mask, "orig_sizes": sizes}


def center_to_corners_format(boxes):
    cx, cy, w, h = boxes.unbind(-1)
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], -1)


def post_process_object_detection(outputs, target_sizes, threshold=0.5):
    """Fixed-size variant: (N, Q, 6) rows [x1, y1, x2, y2, score, label]; rows under the threshold are zero."""
    prob = F.softmax(outputs["pred_logits"], -1)
    scores, labels = prob[..., :-1].max(-1)
    boxes = center_to_corners_format(outputs["pred_boxes"])
    img_h, img_w = target_sizes.unbind(1)
    boxes = boxes * torch.stack([img_w, img_h, img_w, img_h], 1)[:, None].float()
    keep = (scores > threshold).float()[..., None]
    return torch.cat([boxes, scores[..., None], labels[..., None].float()], -1) * keep
