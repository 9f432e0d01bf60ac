from ._bytes import *  # noqa: F401,F403
from ._bytes import __all__  # noqa: F401
