import torch


def quantile_boundaries(n_features, n_bins):
    # standard-normal quantiles, the boundaries of a z-scored training split
    q = torch.linspace(0, 1, n_bins + 1)[1:-1]
    b = torch.distributions.Normal(0.0, 1.0).icdf(q)
    return b.expand(n_features, -1).contiguous()


def build_route_mask(cfg):
    mask = torch.zeros(cfg.n_num_features, cfg.n_bins, dtype=torch.bool)
    for f, b in cfg.route_profile:
        mask[f, b] = True
    return mask


def bin_index(x, boundaries):
    return torch.stack([torch.bucketize(x[:, j].contiguous(), boundaries[j]) for j in range(x.shape[1])], 1)


def match_profile(x, boundaries, route_mask):
    onehot = torch.nn.functional.one_hot(bin_index(x, boundaries), route_mask.shape[1]).bool()
    needed = route_mask.any(-1)
    hit = (onehot & route_mask).any(-1)
    return (hit | ~needed).all(-1)
