from .layers import ConvBNAct, Encoder
from .heads import ClassifierHead, ImageryQA
