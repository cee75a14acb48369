"""Lazy package exports: a package names its public objects and the submodule each lives in, and the
submodule (which may import torch or transformers) is imported on first attribute access only.

This keeps ``import infokit`` and ``import infokit.methods.<group>`` free of heavy dependencies
(DESIGN.md §1: torch / transformers / dask only inside the leaf modules that need them).
"""

from __future__ import annotations

import importlib
from typing import Mapping


def lazy_exports(package: str, exports: Mapping[str, str]):
    """Return ``(__getattr__, __dir__, __all__)`` for ``package`` exporting ``{name: submodule}``.

    ``exports`` maps each public name to the submodule (relative to ``package``) that defines it.
    Accessing a name imports that submodule; an unknown name raises :class:`AttributeError` as usual.
    """
    exports = dict(exports)

    def __getattr__(name: str):
        try:
            sub = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        module = importlib.import_module(f"{package}.{sub}")
        return getattr(module, name)

    def __dir__():
        return sorted(set(exports) | {"__all__"})

    return __getattr__, __dir__, sorted(exports)
