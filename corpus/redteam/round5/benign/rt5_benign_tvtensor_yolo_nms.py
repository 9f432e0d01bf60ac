# expect: none
"""Single-scale YOLO-style detector with torchvision-v2-like tensor subclasses and batched NMS.

``Image`` keeps its type through element-wise ops and is unwrapped (and scaled from uint8) by the
first op that consumes pixels; ``BoundingBoxes`` carries its format and canvas size through
slicing.  Post-processing: sigmoid objectness x class scores, a confidence threshold, class-aware
NMS via a pairwise IoU matrix, and the top-K detections padded to a fixed size.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

_CONSUMERS = {F.conv2d, torch.conv2d}


class Image(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in _CONSUMERS:
            args = tuple(a.as_subclass(torch.Tensor) if isinstance(a, cls) else a for a in args)
            if args[0].dtype == torch.uint8:
                args = (args[0].float() / 255.0,) + args[1:]
            return func(*args, **kwargs)
        with torch._C.DisableTorchFunction():
            out = func(*args, **kwargs)
        return out.as_subclass(cls) if isinstance(out, torch.Tensor) and out.dim() == 4 else out


class BoundingBoxes(torch.Tensor):
    format = "XYXY"
    canvas_size = (0, 0)

    @classmethod
    def wrap(cls, t, canvas_size):
        out = t.as_subclass(cls)
        out.canvas_size = canvas_size
        return out

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        with torch._C.DisableTorchFunction():
            out = func(*args, **(kwargs or {}))
        return out


def box_iou(a, b):
    area_a = (a[..., 2] - a[..., 0]).clamp(min=0) * (a[..., 3] - a[..., 1]).clamp(min=0)
    area_b = (b[..., 2] - b[..., 0]).clamp(min=0) * (b[..., 3] - b[..., 1]).clamp(min=0)
    lt = torch.maximum(a[..., :, None, :2], b[..., None, :, :2])
    rb = torch.minimum(a[..., :, None, 2:], b[..., None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    return inter / (area_a[..., :, None] + area_b[..., None, :] - inter + 1e-7)


class TinyYOLO(nn.Module):
    def __init__(self, num_classes=8, anchors=((10, 13), (30, 61), (62, 45)), conf_thres=0.25,
                 iou_thres=0.45, max_det=20):
        super().__init__()
        self.nc, self.na = num_classes, len(anchors)
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 16, 3, 2, 1), nn.SiLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.SiLU(),
            nn.Conv2d(32, 64, 3, 2, 1), nn.SiLU(), nn.Conv2d(64, 64, 3, 1, 1), nn.SiLU())
        self.head = nn.Conv2d(64, self.na * (5 + num_classes), 1)
        self.register_buffer("anchors", torch.tensor(anchors, dtype=torch.float32), persistent=False)
        self.stride, self.conf_thres, self.iou_thres, self.max_det = 8, conf_thres, iou_thres, max_det

    def decode(self, p, canvas):
        b, _, h, w = p.shape
        p = p.view(b, self.na, 5 + self.nc, h, w).permute(0, 1, 3, 4, 2).sigmoid()
        gy, gx = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
        grid = torch.stack([gx, gy], -1).float()
        xy = (p[..., :2] * 2 - 0.5 + grid) * self.stride
        wh = (p[..., 2:4] * 2) ** 2 * self.anchors[None, :, None, None]
        boxes = torch.cat([xy - wh / 2, xy + wh / 2], -1).reshape(b, -1, 4)
        scores = (p[..., 4:5] * p[..., 5:]).reshape(b, -1, self.nc)
        return BoundingBoxes.wrap(boxes, canvas), scores

    def nms(self, boxes, scores):
        conf, cls = scores.max(-1)
        conf = torch.where(conf > self.conf_thres, conf, torch.zeros_like(conf))
        order = conf.argsort(-1, descending=True)[:, : 4 * self.max_det]
        boxes = boxes.gather(1, order[..., None].expand(-1, -1, 4))
        conf, cls, scores = conf.gather(1, order), cls.gather(1, order), scores.gather(
            1, order[..., None].expand(-1, -1, self.nc))
        offset = cls[..., None].float() * 4096.0
        iou = box_iou(boxes + offset, boxes + offset)
        suppress = (iou > self.iou_thres).triu(1)
        keep = (conf > 0) & ~(suppress & (conf > 0)[..., :, None]).any(1)
        ranked = (keep.float() * (conf + 1.0)).argsort(-1, descending=True)[:, : self.max_det]
        kept = keep.gather(1, ranked)
        return scores.gather(1, ranked[..., None].expand(-1, -1, self.nc)) * kept[..., None]

    def forward(self, images):
        x = images if isinstance(images, Image) else images.as_subclass(Image)
        p = self.head(self.backbone(x))
        boxes, scores = self.decode(p, tuple(images.shape[-2:]))
        return self.nms(boxes, scores)


def corpus_case():
    torch.manual_seed(0)
    model = TinyYOLO().eval()

    def inputs(n):
        return torch.randint(0, 256, (n, 3, 64, 64), dtype=torch.uint8)

    return {"model": model, "inputs": inputs, "kind": "benign"}
