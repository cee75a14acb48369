"""Information pursuit (IP) and conformal information pursuit (C-IP): ``information_pursuit``, ``conformal``."""

from .conformal import (
    ConformalCalibration,
    CoverageResult,
    cip_select,
    conformal_calibrate,
    conformal_quantile,
    conformal_query_utility,
    conformal_set,
    evaluate_coverage,
    prediction_set,
)
from .information_pursuit import (
    Episode,
    NaiveBayesModel,
    PosteriorModel,
    accuracy_curve,
    expected_posterior_entropy,
    information_gain,
    ip_select,
    posterior,
    posterior_entropy,
    run_episode,
)

__all__ = [
    "PosteriorModel",
    "NaiveBayesModel",
    "posterior",
    "posterior_entropy",
    "expected_posterior_entropy",
    "information_gain",
    "ip_select",
    "run_episode",
    "accuracy_curve",
    "Episode",
    "conformal_quantile",
    "prediction_set",
    "ConformalCalibration",
    "conformal_calibrate",
    "conformal_set",
    "CoverageResult",
    "evaluate_coverage",
    "conformal_query_utility",
    "cip_select",
]
