"""Learning theory made usable: learning to actively learn, sparse misspecified bandits, the universality lens
and the provable advantage of pretraining (one paper = one submodule)."""

from ..._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    # name: submodule -- filled in as the submodules land
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
