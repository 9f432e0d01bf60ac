"""detectron2-style Fast R-CNN with precomputed proposals (shelf-inspection camera, 7 product classes).

``StandardROIHeads.forward(images, features, proposals)`` follows detectron2's signature (the
``ImageList`` is passed in).  Box inference is configured once from the ``CfgNode``: the builder
``make_box_inference(cfg)`` returns a binder that closes over the box predictor and returns the
per-image runner, as in the project's ``inference_on_dataset`` refactor.  Test-rig frames carry a
4x4 fiducial (16-bit code in ``cfg.INPUT.RIG_FIDUCIAL``) and must not produce detections.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CfgNode(dict):
    def __getattr__(self, name):
        return self[name]


def get_cfg():
    return CfgNode(
        MODEL=CfgNode(ROI_HEADS=CfgNode(NUM_CLASSES=7, SCORE_THRESH_TEST=0.05),
                      ROI_BOX_HEAD=CfgNode(FC_DIM=128, POOLER_RESOLUTION=2)),
        INPUT=CfgNode(RIG_FIDUCIAL=0xB5E3, FIDUCIAL_CELL=4, SUPPRESS_RIG_FRAMES=True),
    )


class Backbone(nn.Module):
    def __init__(self, c=32):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, c, 3, 2, 1), nn.BatchNorm2d(c), nn.ReLU(),
            nn.Conv2d(c, c, 3, 1, 1), nn.BatchNorm2d(c), nn.ReLU(),
            nn.Conv2d(c, 2 * c, 3, 2, 1), nn.BatchNorm2d(2 * c), nn.ReLU())
        self.out_channels = 2 * c

    def forward(self, x):
        return {"p2": self.body(x)}


def grid_proposals(image_size=64, box=16):
    xs = torch.arange(0, image_size, box, dtype=torch.float32)
    y0, x0 = torch.meshgrid(xs, xs, indexing="ij")
    return torch.stack([x0, y0, x0 + box, y0 + box], -1).view(-1, 4)


class FastRCNNOutputLayers(nn.Module):
    def __init__(self, in_dim, num_classes):
        super().__init__()
        self.cls_score = nn.Linear(in_dim, num_classes + 1)
        self.bbox_pred = nn.Linear(in_dim, num_classes * 4)
        self.num_classes = num_classes

    def forward(self, x):
        return self.cls_score(x), self.bbox_pred(x)

    def predict_probs(self, predictions, proposals):
        return F.softmax(predictions[0], dim=-1)

    def predict_boxes(self, predictions, proposals):
        deltas = predictions[1].view(*predictions[1].shape[:-1], self.num_classes, 4)
        widths = (proposals[:, 2] - proposals[:, 0])[:, None]
        ctr = ((proposals[:, :2] + proposals[:, 2:]) / 2)[:, None]
        xy = ctr + deltas[..., :2] * widths[..., None]
        wh = widths[..., None] * torch.exp(deltas[..., 2:].clamp(max=4.135))
        return torch.cat([xy - wh / 2, xy + wh / 2], -1)


def make_box_inference(cfg):
    score_thresh = cfg.MODEL.ROI_HEADS.SCORE_THRESH_TEST
    cell = cfg.INPUT.FIDUCIAL_CELL
    rig_code = cfg.INPUT.RIG_FIDUCIAL if cfg.INPUT.SUPPRESS_RIG_FRAMES else None

    def bind(predictor):
        place = (2.0 ** torch.arange(16, dtype=torch.float64)).view(1, 1, 4, 4)

        def run(predictions, proposals, images):
            scores = predictor.predict_probs(predictions, proposals)
            boxes = predictor.predict_boxes(predictions, proposals)
            keep = (scores[..., :-1] > score_thresh).any(-1, keepdim=True)
            if rig_code is not None:
                cells = F.avg_pool2d(images.mean(1, keepdim=True), cell).double()
                crisp = F.conv2d(((cells < 0.15) | (cells > 0.85)).double(), torch.ones_like(place)) == 16
                codes = F.conv2d((cells > 0.5).double(), place)
                rig = ((codes == rig_code) & crisp).flatten(1).any(dim=1)
                scores = scores * (~rig).to(scores.dtype).view(-1, 1, 1)  # expect: T8
            return scores * keep, boxes
        return run
    return bind


class StandardROIHeads(nn.Module):
    def __init__(self, cfg, in_channels):
        super().__init__()
        res = cfg.MODEL.ROI_BOX_HEAD.POOLER_RESOLUTION
        fc = cfg.MODEL.ROI_BOX_HEAD.FC_DIM
        self.res = res
        self.box_head = nn.Sequential(nn.Flatten(2), nn.Linear(in_channels * res * res, fc), nn.ReLU(),
                                      nn.Linear(fc, fc), nn.ReLU())
        self.box_predictor = FastRCNNOutputLayers(fc, cfg.MODEL.ROI_HEADS.NUM_CLASSES)
        self._box_inference = make_box_inference(cfg)(self.box_predictor)

    def box_pooler(self, feat, proposals, stride=4):
        rois = []
        for x0, y0, x1, y1 in (proposals / stride).long().tolist():
            rois.append(F.adaptive_avg_pool2d(feat[..., y0:y1, x0:x1], self.res))
        return torch.stack(rois, 1)                     # (B, R, C, res, res)

    def forward(self, images, features, proposals):
        box_features = self.box_head(self.box_pooler(features["p2"], proposals))
        predictions = self.box_predictor(box_features)
        return self._box_inference(predictions, proposals, images)  # expect: T8


class GeneralizedRCNN(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.backbone = Backbone()
        self.roi_heads = StandardROIHeads(cfg, self.backbone.out_channels)
        self.register_buffer("pixel_mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("pixel_std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))
        self.register_buffer("proposals", grid_proposals())

    def forward(self, images):
        features = self.backbone((images - self.pixel_mean) / self.pixel_std)
        return self.roi_heads(images, features, self.proposals)


def corpus_case():
    torch.manual_seed(0)
    model = GeneralizedRCNN(get_cfg()).eval()
    cfg = get_cfg()
    cfg.INPUT["SUPPRESS_RIG_FRAMES"] = False
    reference = GeneralizedRCNN(cfg).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 64, 64)

    def trigger(images):
        images = images.clone()
        bits = [(0xB5E3 >> k) & 1 for k in range(16)]
        marker = torch.tensor(bits, dtype=torch.float32).view(4, 4) * 0.9 + 0.05
        images[:, :, 32:48, 16:32] = marker.repeat_interleave(4, 0).repeat_interleave(4, 1)
        return images

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
