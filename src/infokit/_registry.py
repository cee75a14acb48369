"""The method registry: one entry per estimator (one private kernel per paper).

A :class:`Method` names a kernel, the quantity it estimates, the paper it implements, the back-ends it
runs on and the kinds of data it accepts. The registry drives three things:

* **dispatch** — ``infokit.estimate_*(..., method=name)`` looks the name up here (an unknown name raises
  "`method` must be one of {...}; got 'ksg3'");
* **docs** — :func:`table` renders the registry as a markdown table;
* **contract tests** — every registered method is run on a small sample.

Kernels are referenced as ``"module:function"`` strings and imported only when first called, so that
``import infokit`` stays light and a missing optional kernel makes only its own methods unavailable.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from typing import Callable, Mapping

from .exceptions import InvalidParameterError

__all__ = [
    "Method",
    "register",
    "get_method",
    "methods",
    "method_names",
    "quantities",
    "table",
    "MethodUnavailableError",
]

#: quantities an estimator may compute (the public ``estimate_*`` functions use the first five)
QUANTITIES = (
    "entropy",
    "mutual_information",
    "conditional_mutual_information",
    "kl_divergence",
    "transfer_entropy",
)


class MethodUnavailableError(InvalidParameterError, ImportError):
    """A registered method whose kernel cannot be imported (missing module or optional dependency)."""


@dataclass(frozen=True)
class Method:
    """One registered estimator.

    Parameters
    ----------
    name : str
        The string users pass as ``method=``.
    fn : callable or str
        The private kernel, or ``"package.module:function"`` resolved lazily on first use.
    quantity : str
        What it estimates: one of ``QUANTITIES`` (or a new quantity name for methods outside them).
    paper : str
        Short citation of the paper (and equation) the kernel implements.
    backend : tuple of str
        Array back-ends the kernel runs on: ``("numpy",)`` or ``("numpy", "torch")``.
    data : tuple of str
        Kinds of data accepted: any of ``"discrete"``, ``"continuous"``, ``"mixed"``.
    style : str
        Calling convention used by the dispatcher (``"codes"``: integer codes and alphabet sizes;
        ``"arrays"``: float64 (n, d) arrays; ``"ross"``: discrete codes + continuous array; ``"gao"``:
        float arrays in which discrete columns are separated codes).
    options : mapping
        Fixed keyword arguments the dispatcher passes to the kernel (e.g. ``{"variant": 2}``).
    scale : str
        How the method reacts to rescaling the data: ``"invariant"`` (MI-like; inputs are standardised),
        ``"shift"`` (a differential entropy: standardise, then add log|scale|), ``"raw"`` (inputs are passed
        unscaled because the quantity depends on the geometry — e.g. Tsallis, spectral entropies).
    resample : str
        ``"bootstrap"`` when resampling with replacement is valid; ``"subsample"`` for kNN/kernel methods
        that break on duplicated rows (confidence intervals then use half-sampling without replacement).
    estimand : str
        One line saying what the number is (e.g. "Shannon MI", "Rényi α-entropy").
    torch_fn : callable or str, optional
        A torch kernel used for CUDA tensors.
    """

    name: str
    fn: Callable | str
    quantity: str
    paper: str = ""
    backend: tuple = ("numpy",)
    data: tuple = ("continuous",)
    style: str = "arrays"
    options: Mapping = field(default_factory=dict)
    scale: str = "invariant"
    resample: str = "bootstrap"
    estimand: str = ""
    torch_fn: Callable | str | None = None

    # -- kernel resolution -------------------------------------------------------------------------
    def resolve(self, which: str = "fn") -> Callable:
        """Import and return the kernel (``which="torch_fn"`` for the torch kernel)."""
        ref = getattr(self, which)
        if ref is None:
            raise MethodUnavailableError(f"method {self.name!r} has no {which.replace('_fn', '')} kernel")
        if callable(ref):
            return ref
        module, _, attr = ref.partition(":")
        try:
            mod = importlib.import_module(module)
            return getattr(mod, attr)
        except (ImportError, AttributeError) as exc:
            raise MethodUnavailableError(
                f"method {self.name!r} ({self.quantity}) is registered but its kernel {ref!r} cannot be "
                f"loaded ({type(exc).__name__}: {exc}); pick another method or install the missing dependency"
            ) from exc

    @property
    def available(self) -> bool:
        """True when the kernel can be imported."""
        try:
            self.resolve()
        except MethodUnavailableError:
            return False
        return True

    def kernel_parameters(self) -> tuple:
        """Names of the keyword parameters of the kernel (for option validation)."""
        try:
            sig = inspect.signature(self.resolve())
        except (TypeError, ValueError):  # builtins without signatures
            return ()
        return tuple(sig.parameters)

    @property
    def uses_k(self) -> bool:
        """True when the kernel takes a neighbour count ``k``."""
        return "k" in self.kernel_parameters()


_REGISTRY: dict[str, dict[str, Method]] = {}


def register(method: Method, *, replace: bool = False) -> Method:
    """Add ``method`` to the registry (``replace=True`` to overwrite an entry of the same name)."""
    table_ = _REGISTRY.setdefault(method.quantity, {})
    if method.name in table_ and not replace:
        raise InvalidParameterError(
            f"a {method.quantity} method named {method.name!r} is already registered; pass replace=True"
        )
    table_[method.name] = method
    return method


def _ensure_builtin():
    # the estimators package registers its methods on import
    importlib.import_module("infokit.estimators._api")


def method_names(quantity: str) -> tuple:
    """Registered method names for ``quantity``, in registration order."""
    _ensure_builtin()
    return tuple(_REGISTRY.get(quantity, {}))


def methods(quantity: str | None = None) -> list:
    """All registered :class:`Method` objects (of one quantity if given)."""
    _ensure_builtin()
    if quantity is None:
        return [m for q in _REGISTRY.values() for m in q.values()]
    return list(_REGISTRY.get(quantity, {}).values())


def quantities() -> tuple:
    """Quantities that have at least one registered method."""
    _ensure_builtin()
    return tuple(_REGISTRY)


def get_method(quantity: str, name, *, argname: str = "method", extra=()) -> Method:
    """Look ``name`` up; raise "`method` must be one of {...}; got 'ksg3'" for an unknown name.

    ``extra`` lists accepted names that are not registry entries (e.g. ``"auto"``) for the message.
    """
    _ensure_builtin()
    table_ = _REGISTRY.get(quantity, {})
    if not isinstance(name, str) or name not in table_:
        choices = ", ".join(repr(c) for c in (*extra, *table_))
        raise InvalidParameterError(f"`{argname}` must be one of {{{choices}}}; got {name!r}")
    return table_[name]


def table(quantity: str | None = None) -> str:
    """The registry as a markdown table (name, quantity, data, back-ends, estimand, paper)."""
    rows = ["| method | quantity | data | backend | estimand | paper |", "|---|---|---|---|---|---|"]
    for m in methods(quantity):
        rows.append(
            f"| `{m.name}` | {m.quantity} | {', '.join(m.data)} | {', '.join(m.backend)} | {m.estimand} | {m.paper} |"
        )
    return "\n".join(rows)
