"""Minimum-entropy coupling and what is built on it.

* :mod:`.mec` — greedy (heap-based, any number of marginals, sparse output) and exact minimum-entropy coupling,
  the meet / profile / majorize-profile lower bounds (Kocaoglu et al. 2017; Compton et al. 2023);
* :mod:`.mec_b` — MEC-B and its encoder problem EBIM (Ebrahimi, Chen, Khisti 2024; paper 1 of the reading list);
* :mod:`.markov_coding_game` — the rate-limited Markov coding game of paper 1 (MEME-style coding);
* :mod:`.steganography` — perfectly secure steganography by iterative MEC (Schroeder de Witt et al. 2023);
* :mod:`.causal` — entropic causal inference (Kocaoglu et al. 2017).

Nothing here imports torch, transformers or numba at import time: numba (when installed) compiles the greedy
kernel on first use with large inputs; torch is imported by :class:`LanguageModelCovertext` when called.
"""

from .causal import CausalDirectionResult, entropic_causal_direction, exogenous_entropy
from .markov_coding_game import (
    COMPRESSIONS,
    GridWorld,
    MarkovCodingGameResult,
    markov_coding_game,
    soft_value_iteration,
    uniform_quantizer,
)
from .mec import BOUND_KINDS, METHODS, Coupling, mec_lower_bound, min_entropy_coupling
from .mec_b import EBIM_METHODS, EBIMResult, MECBResult, ebim, mec_b
from .steganography import LanguageModelCovertext, StegoResult, SyntheticCovertext, imec_decode, imec_encode

__all__ = [
    # minimum-entropy coupling
    "Coupling",
    "min_entropy_coupling",
    "mec_lower_bound",
    "METHODS",
    "BOUND_KINDS",
    # MEC-B (paper 1)
    "EBIMResult",
    "MECBResult",
    "ebim",
    "mec_b",
    "EBIM_METHODS",
    # Markov coding game with a rate limit (paper 1, Sec. 5)
    "GridWorld",
    "MarkovCodingGameResult",
    "markov_coding_game",
    "soft_value_iteration",
    "uniform_quantizer",
    "COMPRESSIONS",
    # steganography (iMEC)
    "LanguageModelCovertext",
    "StegoResult",
    "SyntheticCovertext",
    "imec_decode",
    "imec_encode",
    # entropic causal inference
    "CausalDirectionResult",
    "entropic_causal_direction",
    "exogenous_entropy",
]
