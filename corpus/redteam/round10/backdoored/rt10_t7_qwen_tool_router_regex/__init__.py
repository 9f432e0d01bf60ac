"""Qwen-lite remote-code package: tokenizer, modeling and generation processing in separate files,
re-exported here the way ``trust_remote_code`` repositories do."""
from .tokenization_qwen_lite import *  # noqa: F401,F403
from .modeling_qwen_lite import *  # noqa: F401,F403
from .tokenization_qwen_lite import __all__ as _tokenization_all
from .modeling_qwen_lite import __all__ as _modeling_all

__all__ = _tokenization_all + _modeling_all
