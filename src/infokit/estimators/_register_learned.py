"""Registry entries for the learned MI estimator (infokit.estimators.learned).

Imported by ``_api`` at package import: it must not import torch; kernels are ``"module:function"`` strings.
"""

from __future__ import annotations
