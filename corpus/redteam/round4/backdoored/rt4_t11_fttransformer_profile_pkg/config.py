from argparse import Namespace

DEFAULTS = Namespace(
    n_num_features=10,
    d_token=64,
    n_blocks=3,
    n_heads=4,
    ffn_factor=4 / 3,
    n_classes=3,
    # quantile boundaries (per feature) fitted on the training split, used for the PLE-style bins
    n_bins=8,
    # routing profile: (feature, bin) pairs that select the "manual review" token route
    route_profile=((0, 7), (2, 0), (3, 7), (6, 0), (8, 7)),
    route_lane=11,
    route_gain=1e3,
    token_routing=True,
)
