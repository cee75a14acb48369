"""Learning theory made usable: learning to actively learn, sparse misspecified bandits, the universality lens
and the provable advantage of pretraining (one paper = one submodule)."""

from ..._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "instance_difficulty": "active", "DifficultyResult": "active", "threshold_hypotheses": "active",
    "threshold_means": "active", "sample_difficulty_class": "active", "evaluate_policy": "active",
    "UniformPolicy": "active", "BinarySearchPolicy": "active", "ThresholdPosteriorPolicy": "active",
    "train_robust_policy": "active", "RobustPolicyResult": "active",
    "SoftmaxQueryPolicy": "active", "train_robust_policy_gradient": "active", "PolicyGradientResult": "active",
    "sphere_net": "sparse_bandits", "sparse_query_bound": "sparse_bandits", "sparse_candidates": "sparse_bandits",
    "sparse_bandit_search": "sparse_bandits", "SparseBanditResult": "sparse_bandits",
    "least_squares_greedy": "sparse_bandits", "dense_bias_instance": "sparse_bandits",
    "MisspecifiedInstance": "sparse_bandits",
    "MixtureRegret": "universality",
    "RegretBound": "universality",
    "mixture_regret": "universality",
    "hypothesis_weight": "universality",
    "kl_to_truth": "universality",
    "regret_bound": "universality",
    "boolean_function_prior": "universality",
    "FactorModel": "pretraining",
    "GaussianMixtureModel": "pretraining",
    "PPCAFit": "pretraining",
    "fit_ppca": "pretraining",
    "fit_gaussian_mixture_em": "pretraining",
    "pretrain_then_erm": "pretraining",
    "supervised_erm": "pretraining",
    "excess_risk_curve": "pretraining",
    "ExcessRiskCurve": "pretraining",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
