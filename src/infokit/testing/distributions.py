"""Named distributions whose information measures are known in closed form.

Each constructor returns a :class:`NamedDistribution`: a joint pmf (a numpy table, one axis per variable)
and a dict ``known`` of exact values **in nats**. A key of ``known`` that is the name of an infokit function
(``"entropy"``, ``"joint_entropy"``, ``"conditional_entropy"``, ``"mutual_information"``,
``"conditional_mutual_information"``, ``"co_information"``, ``"interaction_information"``,
``"total_correlation"``, ``"dual_total_correlation"``, ``"o_information"``, ``"tsallis_entropy"``) is the value
of that function on ``pmf`` with its default arguments — e.g. ``mutual_information`` is I(X0; X1),
``conditional_mutual_information`` is I(X0; X1 | X2), ``conditional_entropy`` is H(X0 | X1),
``tsallis_entropy`` has q = 2. Three more keys name Rényi entropies of a one-variable pmf:
``"hartley_entropy"`` (α = 0), ``"collision_entropy"`` (α = 2) and ``"min_entropy"`` (α = ∞).

Every value is derived in a comment next to it. Notation in the comments: ln2 = log 2 (one bit in nats),
h(x) = −x log x − (1−x) log(1−x) the binary entropy in nats.

Examples
--------
>>> import infokit
>>> from infokit.testing import xor
>>> d = xor()
>>> d.pmf.shape
(2, 2, 2)
>>> round(infokit.co_information(d.pmf, base=2), 12)
-1.0
>>> round(d.known_in("co_information", base=2), 12)
-1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._units import check_base, to_base
from .._validation import check_pmf, check_positive_int, check_probability
from ..exceptions import InvalidParameterError

__all__ = [
    "NamedDistribution",
    "uniform",
    "bernoulli",
    "xor",
    "copy",
    "rdn",
    "and_gate",
    "independent",
    "binary_symmetric_channel",
    "binary_erasure_channel",
    "dyadic",
    "triadic",
    "named_distributions",
    "ALL",
]

LN2 = math.log(2.0)


def _h(x: float) -> float:
    """Binary entropy in nats, with 0 log 0 = 0."""
    return -sum(t * math.log(t) for t in (x, 1.0 - x) if t > 0)


def _shannon(p) -> float:
    p = np.asarray(p, dtype=float).ravel()
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


@dataclass(frozen=True, eq=False)
class NamedDistribution:
    """A distribution with closed-form information measures.

    Attributes
    ----------
    name : str
        Short identifier, e.g. ``"xor"``.
    pmf : numpy.ndarray
        Joint pmf, one axis per variable (read-only float64 copy; sums to 1).
    description : str
        What the variables are.
    known : dict of str to float
        Exact values in nats (see the module docstring for the meaning of each key).
    """

    name: str
    pmf: np.ndarray = field(repr=False)
    description: str = ""
    known: dict = field(default_factory=dict)

    def __post_init__(self):
        a = np.array(self.pmf, dtype=np.float64)  # a private copy
        a.setflags(write=False)
        object.__setattr__(self, "pmf", a)
        object.__setattr__(self, "known", {str(k): float(v) for k, v in dict(self.known).items()})

    @property
    def n_variables(self) -> int:
        """Number of variables (axes of ``pmf``)."""
        return self.pmf.ndim

    def known_in(self, key: str, *, base=None) -> float:
        """The known value ``key`` in ``base`` units (``None``: nats, ``2``: bits).

        Raises ``KeyError`` naming the available keys when ``key`` is not known for this distribution.
        """
        b = check_base(base)
        if key not in self.known:
            raise KeyError(f"{self.name!r} has no known value {key!r}; known: {sorted(self.known)}")
        return float(to_base(self.known[key], b))


# --------------------------------------------------------------------------------------------- helpers
def _one_variable_known(p: np.ndarray) -> dict:
    """Entropies of one pmf: Shannon, Tsallis q = 2 and Rényi α ∈ {0, 2, ∞} by their definitions."""
    p = np.asarray(p, dtype=float)
    return {
        "entropy": _shannon(p),  # −Σ p log p
        "tsallis_entropy": 1.0 - float(np.sum(p**2)),  # (1 − Σ p²) / (2 − 1)
        "hartley_entropy": math.log(int(np.count_nonzero(p))),  # log |supp p|
        "collision_entropy": -math.log(float(np.sum(p**2))),  # −log Σ p²
        "min_entropy": -math.log(float(np.max(p))),  # −log max p
    }


def _two_variable_known(h_xy: float, h_x: float, h_y: float) -> dict:
    """Every multivariate measure of a pair, from H(X,Y), H(X), H(Y)."""
    mi = h_x + h_y - h_xy  # I(X;Y) = H(X) + H(Y) − H(X,Y)
    return {
        "joint_entropy": h_xy,
        "conditional_entropy": h_xy - h_y,  # H(X|Y) = H(X,Y) − H(Y)
        "mutual_information": mi,
        "co_information": mi,  # for n = 2 the co-information is I(X;Y)
        "interaction_information": mi,  # (−1)^2 · co-information
        "total_correlation": mi,  # H(X) + H(Y) − H(X,Y)
        "dual_total_correlation": mi,  # H − H(X|Y) − H(Y|X) = H(X) + H(Y) − H(X,Y)
        "o_information": 0.0,  # TC − DTC
    }


# --------------------------------------------------------------------------------------------- one variable
def uniform(k: int) -> NamedDistribution:
    """Uniform pmf on ``k`` outcomes: every entropy (Shannon, Rényi of any order) is log k."""
    k = check_positive_int(k, "k")
    p = np.full(k, 1.0 / k)
    known = {
        "entropy": math.log(k),  # −Σ (1/k) log(1/k) = log k
        "tsallis_entropy": 1.0 - 1.0 / k,  # 1 − k·(1/k)² = 1 − 1/k
        "hartley_entropy": math.log(k),  # k outcomes in the support
        "collision_entropy": math.log(k),  # −log(k · 1/k²) = log k
        "min_entropy": math.log(k),  # −log(1/k)
    }
    return NamedDistribution(f"uniform({k})", p, f"uniform distribution on {k} outcomes", known)


def bernoulli(p: float) -> NamedDistribution:
    """Bernoulli(p) as the pmf ``[1 − p, p]`` (outcome 1 has probability ``p``): H = h(p)."""
    p = check_probability(p, "p")
    pmf = np.array([1.0 - p, p])
    known = _one_variable_known(pmf)
    # Closed forms (checked against the definitions above in the tests):
    #   entropy h(p); Tsallis (q=2) 1 − p² − (1−p)² = 2p(1−p); collision −log(p² + (1−p)²);
    #   min-entropy −log max(p, 1−p); Hartley log 2 for 0 < p < 1, else log 1 = 0.
    known["entropy"] = _h(p)
    known["tsallis_entropy"] = 2.0 * p * (1.0 - p)
    return NamedDistribution(f"bernoulli({p:g})", pmf, f"one bit that is 1 with probability {p:g}", known)


# --------------------------------------------------------------------------------------------- several variables
def xor() -> NamedDistribution:
    """X, Y independent fair bits and Z = X ⊕ Y: pure synergy (co-information −1 bit)."""
    pmf = np.zeros((2, 2, 2))
    for x in range(2):
        for y in range(2):
            pmf[x, y, x ^ y] = 0.25
    # Four equally likely outcomes: H(X,Y,Z) = 2 ln2. Every single variable is a fair bit (ln2) and every
    # pair is uniform on 4 outcomes (2 ln2): the variables are pairwise independent, and any two fix the third.
    known = {
        "joint_entropy": 2 * LN2,
        "conditional_entropy": LN2,  # H(X|Y) = H(X,Y) − H(Y) = 2ln2 − ln2
        "mutual_information": 0.0,  # I(X;Y) = ln2 + ln2 − 2ln2
        "conditional_mutual_information": LN2,  # H(XZ) + H(YZ) − H(XYZ) − H(Z) = 2 + 2 − 2 − 1 bits
        "co_information": -LN2,  # I(X;Y) − I(X;Y|Z) = 0 − ln2
        "interaction_information": LN2,  # (−1)^3 · co-information
        "total_correlation": LN2,  # 3 ln2 − 2 ln2
        "dual_total_correlation": 2 * LN2,  # H − Σ H(X_i | rest) = 2ln2 − 0
        "o_information": -LN2,  # TC − DTC = ln2 − 2ln2
    }
    return NamedDistribution("xor", pmf, "X, Y fair independent bits; Z = X xor Y", known)


def copy() -> NamedDistribution:
    """A fair bit X and its copy Y = X: I(X;Y) = 1 bit."""
    pmf = np.array([[0.5, 0.0], [0.0, 0.5]])
    # H(X) = H(Y) = H(X,Y) = ln2 (two equally likely outcomes (0,0), (1,1))
    known = _two_variable_known(LN2, LN2, LN2)
    return NamedDistribution("copy", pmf, "X a fair bit, Y = X", known)


def rdn(n: int = 3) -> NamedDistribution:
    """``n`` copies of one fair bit (pure redundancy): co-information +1 bit for every n ≥ 2."""
    n = check_positive_int(n, "n", minimum=2)
    pmf = np.zeros((2,) * n)
    pmf[(0,) * n] = pmf[(1,) * n] = 0.5
    # Every non-empty subset of the variables is the same fair bit: H(X_S) = ln2 for all S ≠ ∅.
    known = {
        "joint_entropy": LN2,
        "conditional_entropy": 0.0,  # X0 is determined by X1
        "mutual_information": LN2,  # ln2 + ln2 − ln2
        # co-information = Σ_{S≠∅} (−1)^{|S|+1} H(X_S) = ln2 · Σ_{r=1..n} (−1)^{r+1} C(n,r) = ln2 · 1
        "co_information": LN2,
        "interaction_information": (-1) ** n * LN2,
        "total_correlation": (n - 1) * LN2,  # n ln2 − ln2
        "dual_total_correlation": LN2,  # H − Σ H(X_i | rest) = ln2 − 0
        "o_information": (n - 2) * LN2,  # TC − DTC
    }
    if n >= 3:
        known["conditional_mutual_information"] = 0.0  # H(XZ) + H(YZ) − H(XYZ) − H(Z) = ln2(1 + 1 − 1 − 1)
    return NamedDistribution("rdn" if n == 3 else f"rdn({n})", pmf, f"{n} copies of one fair bit", known)


def and_gate() -> NamedDistribution:
    """X, Y independent fair bits and Z = X ∧ Y."""
    pmf = np.zeros((2, 2, 2))
    for x in range(2):
        for y in range(2):
            pmf[x, y, x & y] = 0.25
    hz = _h(0.25)  # Z = 1 with probability 1/4
    # H(X,Y,Z) = H(X,Y) = 2 ln2; H(X) = H(Y) = ln2; H(Z) = h(1/4).
    # H(X,Z) = H(Y,Z) = 1.5 ln2: outcomes (0,0) w.p. 1/2, (1,0) and (1,1) w.p. 1/4 each.
    known = {
        "joint_entropy": 2 * LN2,
        "conditional_entropy": LN2,  # H(X|Y) = 2ln2 − ln2
        "mutual_information": 0.0,  # X and Y are independent
        "conditional_mutual_information": LN2 - hz,  # 1.5 + 1.5 − 2 (bits) − h(1/4) = ln2 − h(1/4)
        "co_information": hz - LN2,  # I(X;Y) − I(X;Y|Z)
        "interaction_information": LN2 - hz,  # −co-information
        "total_correlation": hz,  # ln2 + ln2 + h(1/4) − 2ln2
        # H(X|Y,Z) = H(Y|X,Z) = 2ln2 − 1.5ln2 = 0.5 ln2; H(Z|X,Y) = 0  ⇒  DTC = 2ln2 − ln2
        "dual_total_correlation": LN2,
        "o_information": hz - LN2,  # TC − DTC (for three variables it equals the co-information)
    }
    return NamedDistribution("and", pmf, "X, Y fair independent bits; Z = X and Y", known)


def independent(*marginals) -> NamedDistribution:
    """Independent variables with the given marginals (outer product): every dependence measure is 0."""
    if len(marginals) < 2:
        raise InvalidParameterError(
            f"`independent` needs at least two marginals (one per variable); got {len(marginals)}; "
            "for one variable use the pmf itself"
        )
    ps = [np.asarray(check_pmf(m, f"marginals[{i}]"), dtype=float) for i, m in enumerate(marginals)]
    if any(p.ndim != 1 for p in ps):
        raise InvalidParameterError("each marginal of `independent` must be a 1-D pmf")
    pmf = ps[0]
    for p in ps[1:]:
        pmf = np.multiply.outer(pmf, p)
    hs = [_shannon(p) for p in ps]
    n = len(ps)
    # Independence: H(X_S) = Σ_{i∈S} H(X_i) for every subset S, so all mutual informations vanish.
    known = {
        "joint_entropy": sum(hs),
        "conditional_entropy": hs[0],  # H(X0|X1) = H(X0)
        "mutual_information": 0.0,
        # Σ_S (−1)^{|S|+1} Σ_{i∈S} H_i = Σ_i H_i Σ_r (−1)^{r+1} C(n−1, r−1) = Σ_i H_i (1 − 1)^{n−1} = 0, n ≥ 2
        "co_information": 0.0,
        "interaction_information": 0.0,
        "total_correlation": 0.0,  # Σ H_i − Σ H_i
        "dual_total_correlation": 0.0,  # Σ H_i − Σ H(X_i | rest) = Σ H_i − Σ H_i
        "o_information": 0.0,
    }
    if n >= 3:
        known["conditional_mutual_information"] = 0.0
    return NamedDistribution(f"independent({n})", pmf, f"{n} independent variables", known)


def binary_symmetric_channel(eps: float, p: float = 0.5) -> NamedDistribution:
    """Joint pmf of the input X ~ Bernoulli(p) and output Y of a BSC flipping it with probability ``eps``.

    Rows are X, columns Y. With a fair input I(X;Y) = ln2 − h(eps), the capacity of the channel.
    """
    eps = check_probability(eps, "eps")
    p = check_probability(p, "p")
    px = np.array([1.0 - p, p])
    channel = np.array([[1.0 - eps, eps], [eps, 1.0 - eps]])
    pmf = px[:, None] * channel
    q = p * (1.0 - eps) + (1.0 - p) * eps  # P(Y = 1)
    # H(X) = h(p); H(Y|X) = h(eps) for either input, so H(X,Y) = h(p) + h(eps); H(Y) = h(q)
    known = _two_variable_known(_h(p) + _h(eps), _h(p), _h(q))
    return NamedDistribution(
        f"bsc({eps:g}, p={p:g})", pmf, f"input ~ Bernoulli({p:g}) through a BSC with crossover {eps:g}", known
    )


def binary_erasure_channel(eps: float, p: float = 0.5) -> NamedDistribution:
    """Joint pmf of X ~ Bernoulli(p) and the output of a BEC erasing it with probability ``eps``.

    Rows are X; columns are the outputs (0, erased, 1). I(X;Y) = (1 − eps)·h(p).
    """
    eps = check_probability(eps, "eps")
    p = check_probability(p, "p")
    px = np.array([1.0 - p, p])
    channel = np.array([[1.0 - eps, eps, 0.0], [0.0, eps, 1.0 - eps]])
    pmf = px[:, None] * channel
    # H(X) = h(p); H(Y|X) = h(eps) (erased or not, whatever the input) ⇒ H(X,Y) = h(p) + h(eps);
    # Y is "erased" w.p. eps, else X itself: H(Y) = h(eps) + (1 − eps) h(p). Hence I = (1 − eps) h(p).
    known = _two_variable_known(_h(p) + _h(eps), _h(p), _h(eps) + (1.0 - eps) * _h(p))
    return NamedDistribution(
        f"bec({eps:g}, p={p:g})", pmf, f"input ~ Bernoulli({p:g}) through a BEC with erasure probability {eps:g}", known
    )


def _pair_coded(bits_of_variables) -> np.ndarray:
    """Joint table of three 4-state variables, each a pair of bits coded 2·b1 + b2, uniform over a, b, c."""
    pmf = np.zeros((4, 4, 4))
    for a in range(2):
        for b in range(2):
            for c in range(2):
                idx = tuple(2 * u + v for u, v in bits_of_variables(a, b, c))
                pmf[idx] += 1.0 / 8
    return pmf


# Dyadic and triadic have identical Shannon measures but different dependency structure [1]_:
# each variable is 2 bits, the triple is 3 bits, every pair shares 1 bit, I(X;Y|Z) = 1 bit, co-information 0.
_DYADIC_TRIADIC_KNOWN = {
    "joint_entropy": 3 * LN2,  # three fair bits a, b, c determine everything
    "conditional_entropy": LN2,  # H(X,Y) − H(Y) = 3ln2 − 2ln2
    "mutual_information": LN2,  # 2 + 2 − 3 bits
    "conditional_mutual_information": LN2,  # H(XZ) + H(YZ) − H(XYZ) − H(Z) = 3 + 3 − 3 − 2 bits
    "co_information": 0.0,  # I(X;Y) − I(X;Y|Z) = 1 − 1 bit
    "interaction_information": 0.0,
    "total_correlation": 3 * LN2,  # 3·2 − 3 bits
    "dual_total_correlation": 3 * LN2,  # 3 bits − Σ H(X_i | rest) with every H(X_i | rest) = 0
    "o_information": 0.0,  # TC − DTC
}


def dyadic() -> NamedDistribution:
    """X = (a, b), Y = (b, c), Z = (c, a) for fair independent bits a, b, c (James & Crutchfield, 2017).

    References
    ----------
    .. [1] James, R. G., Crutchfield, J. P. (2017). Multivariate dependence beyond Shannon information.
       Entropy 19(10), 531. arXiv:1609.01233
    """
    pmf = _pair_coded(lambda a, b, c: ((a, b), (b, c), (c, a)))
    return NamedDistribution("dyadic", pmf, "X=(a,b), Y=(b,c), Z=(c,a); a, b, c fair bits", _DYADIC_TRIADIC_KNOWN)


def triadic() -> NamedDistribution:
    """X = (a, w), Y = (b, w), Z = (a ⊕ b, w) for fair independent bits a, b, w (James & Crutchfield, 2017).

    References
    ----------
    .. [1] James, R. G., Crutchfield, J. P. (2017). Multivariate dependence beyond Shannon information.
       Entropy 19(10), 531. arXiv:1609.01233
    """
    pmf = _pair_coded(lambda a, b, w: ((a, w), (b, w), (a ^ b, w)))
    return NamedDistribution(
        "triadic", pmf, "X=(a,w), Y=(b,w), Z=(a xor b, w); a, b, w fair bits", _DYADIC_TRIADIC_KNOWN
    )


def named_distributions() -> tuple[NamedDistribution, ...]:
    """One instance of every named distribution (fresh objects at each call)."""
    return (
        uniform(1),
        uniform(4),
        uniform(7),
        bernoulli(0.5),
        bernoulli(0.1),
        bernoulli(0.0),
        xor(),
        copy(),
        rdn(),
        rdn(4),
        and_gate(),
        independent([0.5, 0.5], [0.2, 0.3, 0.5]),
        independent([0.1, 0.9], [0.25, 0.75], [0.6, 0.4]),
        binary_symmetric_channel(0.1),
        binary_symmetric_channel(0.25, p=0.3),
        binary_symmetric_channel(0.0),
        binary_erasure_channel(0.2),
        binary_erasure_channel(0.5, p=0.2),
        dyadic(),
        triadic(),
    )


ALL: tuple[NamedDistribution, ...] = named_distributions()
