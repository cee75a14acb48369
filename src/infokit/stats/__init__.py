"""Statistics shared by every estimator: permutation tests and resampling confidence intervals.

* :func:`permutation_test` — p-value of independence by shuffling the rows of one sample;
* :func:`bootstrap_ci` — percentile / basic / BCa bootstrap intervals (rows resampled with replacement);
* :func:`subsample_ci` — half-sampling intervals for kNN and kernel estimators (no duplicated rows).

All take any ``statistic`` callable, e.g. ``infokit.estimate_mutual_information``.
"""

from ._resampling import (
    BootstrapResult,
    PermutationTestResult,
    bootstrap_ci,
    permutation_test,
    subsample_ci,
)

__all__ = ["permutation_test", "bootstrap_ci", "subsample_ci", "PermutationTestResult", "BootstrapResult"]
