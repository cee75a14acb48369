"""Alignment theory: best-of-N vs KL-constrained tilting (``asymptotics``) and differential information
(``differential_information``)."""

import importlib as _importlib

from .asymptotics import *  # noqa: F401,F403
from .differential_information import *  # noqa: F401,F403

# the submodule differential_information shares its name with the function it exports (the function wins as
# the package attribute), so the submodules' __all__ lists are read through importlib
__all__ = [*_importlib.import_module(f"{__name__}.asymptotics").__all__,
           *_importlib.import_module(f"{__name__}.differential_information").__all__]
