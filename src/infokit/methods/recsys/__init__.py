"""Recommendation with variational autoencoders: Mult-VAE / Mult-DAE (Liang et al., WWW 2018), the
strong-generalisation protocol on MovieLens-100K, Recall@R / NDCG@k, and popularity / EASE baselines.

Lazy package: ``import infokit.methods.recsys`` imports neither torch nor numpy-heavy submodules; the torch
model (:mod:`.mult_vae`) loads on first access of one of its names.
"""

from ..._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    # data and protocol (numpy / scipy)
    "Interactions": "data",
    "StrongGeneralizationSplit": "data",
    "movielens_100k_path": "data",
    "load_movielens_100k": "data",
    "binarize_interactions": "data",
    "strong_generalization_split": "data",
    # metrics (numpy)
    "top_k_items": "metrics",
    "recall_at_k": "metrics",
    "ndcg_at_k": "metrics",
    # baselines (numpy / scipy)
    "popularity_scores": "baselines",
    "ease_weights": "baselines",
    "ease_scores": "baselines",
    # the model (torch leaf)
    "MultVAE": "mult_vae",
    "MultDAE": "mult_vae",
    "MultVAEFit": "mult_vae",
    "beta_schedule": "mult_vae",
    "multinomial_log_likelihood": "mult_vae",
    "gaussian_kl": "mult_vae",
    "mult_vae_loss": "mult_vae",
    "mult_dae_loss": "mult_vae",
    "fit_mult_vae": "mult_vae",
    "score_users": "mult_vae",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
