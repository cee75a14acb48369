"""Registry entries for the neural variational MI bounds (infokit.estimators.neural).

Imported by ``_api`` at package import: it must not import torch; kernels are ``"module:function"`` strings.
"""

from __future__ import annotations
