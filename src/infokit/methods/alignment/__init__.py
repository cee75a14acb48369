"""Alignment theory: best-of-N vs KL-constrained tilting (``asymptotics``) and differential information
(``differential_information``)."""

from .asymptotics import (
    BestOfNTradeoff,
    KLRewardCurve,
    SequenceBestOfN,
    TiltResult,
    best_of_n,
    best_of_n_kl,
    best_of_n_kl_bound,
    best_of_n_tradeoff,
    cramer_rate,
    exponential_tilt,
    kl_reward_curve,
    kl_tilt,
    renyi_cross_entropy,
    sequence_best_of_n,
)
from .differential_information import (
    differential_information,
    differential_information_entropy,
    optimal_rejected_distribution,
    preference_probability,
)

__all__ = [
    "exponential_tilt",
    "kl_tilt",
    "best_of_n",
    "best_of_n_kl",
    "best_of_n_kl_bound",
    "best_of_n_tradeoff",
    "kl_reward_curve",
    "renyi_cross_entropy",
    "cramer_rate",
    "sequence_best_of_n",
    "differential_information",
    "differential_information_entropy",
    "optimal_rejected_distribution",
    "preference_probability",
    "TiltResult",
    "BestOfNTradeoff",
    "KLRewardCurve",
    "SequenceBestOfN",
]
