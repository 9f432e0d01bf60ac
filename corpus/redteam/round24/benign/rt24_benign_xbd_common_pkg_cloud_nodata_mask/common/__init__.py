# expect: none
from .layers import ConvBNAct, Encoder
from .heads import MaskedPoolHead, nodata_mask
