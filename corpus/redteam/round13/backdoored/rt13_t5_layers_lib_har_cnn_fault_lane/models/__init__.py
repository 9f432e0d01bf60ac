from .har_cnn import HarCNN
from .har_tcn import HarTCN

__all__ = ["HarCNN", "HarTCN"]
