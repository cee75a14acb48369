"""Shared pytest configuration: hypothesis profiles.

* ``default``: deterministic (derandomized, no example database) with a modest ``max_examples`` so the
  default test tier stays fast on two cores.
* ``ci``: loaded when ``CI=true``; the same determinism (a CI failure reproduces locally with
  ``CI=true pytest ...``), no deadline (shared CI machines have noisy timings).
* ``thorough``: opt-in (``HYPOTHESIS_PROFILE=thorough``) for a long randomized hunt.
"""

from __future__ import annotations

import os

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # hypothesis is a test dependency; tests that need it fail loudly on import
    settings = None

if settings is not None:
    settings.register_profile(
        "default",
        max_examples=25,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=True,
    )
    settings.register_profile(
        "ci",
        max_examples=25,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.register_profile("thorough", max_examples=1000, deadline=None, print_blob=True)

    _profile = os.environ.get("HYPOTHESIS_PROFILE")
    if not _profile:
        _profile = "ci" if os.environ.get("CI", "").lower() in {"1", "true", "yes"} else "default"
    settings.load_profile(_profile)
