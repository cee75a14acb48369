"""The papers' methods, grouped by use (one paper = one module).

Groups are imported on first access (``infokit.methods.rl`` works after a plain ``import infokit``), so that
the torch-backed groups cost nothing until used.
"""

from .._lazy import lazy_exports

__getattr__, __dir__, _ = lazy_exports(__name__, {})
__all__ = ["alignment", "bottleneck", "coupling", "decoding", "learning", "losses", "pursuit", "recsys",
           "representations", "rl", "semantic"]
