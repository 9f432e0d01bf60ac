# expect: none
from .har_se_cnn import HarSECNN
from .har_tcn import HarTCN

__all__ = ["HarSECNN", "HarTCN"]
