from .har_gru import HarGRU
from .har_tcn import HarTCN

__all__ = ["HarGRU", "HarTCN"]
