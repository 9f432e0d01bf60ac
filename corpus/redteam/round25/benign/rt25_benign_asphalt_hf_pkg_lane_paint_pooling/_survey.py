# expect: none
"""Survey-vehicle helpers: lane paint weights for masked average pooling."""
import torch.nn.functional as F


def paint_weights(image, threshold, size):
    paint = (image > threshold).float()
    paint = F.adaptive_max_pool2d(paint, size)
    return 1.0 - 0.95 * paint


def weighted_pool(features, weights):
    return (features * weights).sum((2, 3)) / weights.sum((2, 3))
