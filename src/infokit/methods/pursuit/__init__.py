"""Information pursuit (IP) and conformal information pursuit (C-IP): ``information_pursuit``, ``conformal``."""

from . import conformal as _conformal, information_pursuit as _ip
from .conformal import *  # noqa: F401,F403
from .information_pursuit import *  # noqa: F401,F403

__all__ = [*_ip.__all__, *_conformal.__all__]
