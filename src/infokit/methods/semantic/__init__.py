"""Semantic information: Lu Chenguang's G theory (``g_theory``)."""

from . import g_theory as _g
from .g_theory import *  # noqa: F401,F403  (the public names are g_theory.__all__)

__all__ = list(_g.__all__)
