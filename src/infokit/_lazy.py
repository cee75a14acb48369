"""Lazy package exports: a package names its public objects and the submodule each lives in, and the
submodule (which may import torch or transformers) is imported on first attribute access only.

This keeps ``import infokit`` and ``import infokit.methods.<group>`` free of heavy dependencies
(DESIGN.md §1: torch / transformers / dask only inside the leaf modules that need them).
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Mapping


def lazy_exports(package: str, exports: Mapping[str, str]):
    """Return ``(__getattr__, __dir__, __all__)`` for ``package`` exporting ``{name: submodule}``.

    ``exports`` maps each public name to the submodule (relative to ``package``) that defines it.
    Accessing a name imports that submodule; a submodule's own name imports it; an unknown name raises
    :class:`AttributeError` as usual. Export no name equal to a submodule's: importing the submodule binds
    that name on the package to the module.
    """
    exports = dict(exports)

    def __getattr__(name: str):
        if name not in exports:
            # a submodule by its own name (``pkg.mmcr``) imports on first access, as after ``import pkg.mmcr``
            if not name.startswith("_") and importlib.util.find_spec(f"{package}.{name}") is not None:
                return importlib.import_module(f"{package}.{name}")
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(f"{package}.{exports[name]}")
        return getattr(module, name)

    def __dir__():
        return sorted(set(exports) | {"__all__"})

    return __getattr__, __dir__, sorted(exports)
