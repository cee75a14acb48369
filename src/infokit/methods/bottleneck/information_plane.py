r"""Information plane of a torch model via lossy compression (Butakov et al., ICLR 2024).

Track :math:`I(X;T_l)` and :math:`I(T_l;Y)` for every layer :math:`T_l` of a network over training. Following
[1]_, each high-dimensional variable is first compressed to a small code (an autoencoder or PCA, the
"lossy compression" step: MI is invariant to injective maps, and a compressor that keeps the information
makes kNN estimation feasible), then the MI between the codes is estimated with infokit's sample estimators
(:func:`infokit.estimate_mutual_information`, default KSG). Deterministic networks have infinite
:math:`I(X;T)` for continuous X; [1]_ makes the layers stochastic with small injected noise, here
:class:`GaussianNoise`, which stays active in ``eval()`` mode.

Public objects: :class:`GaussianNoise` (stochastic layer), :class:`LossyCompressor` and :func:`compress`
(the compression step), :func:`information_plane_coordinates` (one point from codes) and
:class:`InformationPlaneCallback` (hooks every chosen layer, called from a plain training loop, with
:meth:`~InformationPlaneCallback.plot`).

References
----------
.. [1] Butakov, I., Tolmachev, A., Malanchuk, S., Neopryatnaya, A., Frolov, A., Andreev, K. (2024).
   Information bottleneck analysis of deep neural networks via lossy compression. ICLR. arXiv:2305.08013
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import torch
from torch import nn

from ..._validation import as_float_array, check_positive_int
from ...estimators import estimate_mutual_information
from ...exceptions import (
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidSampleError,
    ShapeMismatchError,
)

__all__ = [
    "GaussianNoise",
    "LossyCompressor",
    "compress",
    "information_plane_coordinates",
    "InformationPlaneCallback",
]


# ============================================================================================== noise layer
class GaussianNoise(nn.Module):
    r"""Additive Gaussian noise layer :math:`t\mapsto t+s\,\varepsilon` (or :math:`t+s\,t\odot\varepsilon`).

    Makes a layer stochastic so that :math:`I(X;T)` is finite ([1]_, after Goldfeld et al. 2019). Unlike
    :class:`torch.nn.Dropout` it is active in ``eval()`` mode as well, as in the stochastic networks of [1]_.

    Parameters
    ----------
    std : float >= 0
        Noise scale s (0 disables the layer).
    relative : bool, default False
        ``True``: noise proportional to the activation, :math:`t+s\,t\odot\varepsilon` (the
        ``relative_scale`` option of the code of [1]_; exact zeros then stay noiseless).

    References
    ----------
    .. [1] Butakov, I. et al. (2024). Information bottleneck analysis of deep neural networks via lossy
       compression. ICLR. arXiv:2305.08013
    """

    def __init__(self, std: float, *, relative: bool = False):
        super().__init__()
        if isinstance(std, bool) or not isinstance(std, numbers.Real) or not (
            math.isfinite(float(std)) and float(std) >= 0.0
        ):
            raise InvalidParameterError(f"`std` must be a finite number >= 0 (the noise scale); got {std!r}")
        self.std = float(std)
        self.relative = bool(relative)

    def forward(self, t):
        if self.std == 0.0:
            return t
        eps = torch.randn_like(t)
        scale = t * self.std if self.relative else self.std
        return t + scale * eps

    def extra_repr(self) -> str:
        return f"std={self.std}, relative={self.relative}"


# ============================================================================================== compression
_COMPRESSIONS = ("pca", "autoencoder", "none")


def _check_compression(method, name):
    if method not in _COMPRESSIONS:
        raise InvalidParameterError(f"`{name}` must be one of {set(_COMPRESSIONS)}; got {method!r}")
    return method


def _as_rows(x, name):
    if torch.is_tensor(x):
        x = x.detach().cpu().to(torch.float64).numpy()
    a = as_float_array(x, name)
    if a.ndim == 1:
        a = a[:, None]
    elif a.ndim > 2:
        a = a.reshape(a.shape[0], -1)  # feature maps: one row per sample
    if not np.isfinite(a).all():
        raise InvalidSampleError(f"`{name}` contains NaN or inf; the compressor cannot fit it")
    if a.shape[0] < 2:
        raise InvalidSampleError(f"`{name}` needs at least 2 rows (samples); got {a.shape[0]}")
    return a


class LossyCompressor:
    r"""The lossy compression step of [1]_: map samples of a high-dimensional variable to a ``dim``-d code.

    Parameters
    ----------
    dim : int, default 4
        Code dimension (4 in the MNIST experiments of [1]_). Inputs with at most ``dim`` columns are passed
        through unchanged (no compression is needed).
    method : {'pca', 'autoencoder', 'none'}, default 'pca'
        ``'pca'``: projection on the ``dim`` leading principal axes of the standardised columns (signs fixed
        so that the largest loading of each axis is positive: deterministic). ``'autoencoder'``: a
        ``d → hidden → dim → hidden → d`` tanh MLP autoencoder trained with MSE on the standardised
        columns; the code is the bottleneck. ``'none'``: identity.
    hidden : int, default 64
        Hidden width of the autoencoder.
    epochs : int, default 200
        Autoencoder training epochs (Adam, mini-batches of ``batch_size``).
    lr : float, default 1e-3
    batch_size : int, default 256
    random_state : int, default 0
        Seed of the autoencoder's initialisation and shuffling (the global torch RNG is not touched).

    References
    ----------
    .. [1] Butakov, I. et al. (2024). Information bottleneck analysis of deep neural networks via lossy
       compression. ICLR. arXiv:2305.08013
    """

    def __init__(self, dim: int = 4, *, method: str = "pca", hidden: int = 64, epochs: int = 200, lr: float = 1e-3,
                 batch_size: int = 256, random_state: int = 0):
        self.dim = check_positive_int(dim, "dim")
        self.method = _check_compression(method, "method")
        self.hidden = check_positive_int(hidden, "hidden")
        self.epochs = check_positive_int(epochs, "epochs")
        if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not (math.isfinite(lr) and lr > 0):
            raise InvalidParameterError(f"`lr` must be a finite number > 0; got {lr!r}")
        self.lr = float(lr)
        self.batch_size = check_positive_int(batch_size, "batch_size")
        if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral):
            raise InvalidParameterError(f"`random_state` must be an int seed; got {random_state!r}")
        self.random_state = int(random_state)
        self._fitted = False

    # -------------------------------------------------------------------------------------------- fit
    def fit(self, x):
        """Fit the compressor on samples ``x`` of shape (n, d) (numpy or torch; not modified). Returns self."""
        a = _as_rows(x, "x")
        self.n_features_in_ = a.shape[1]
        self.mean_ = a.mean(axis=0)
        scale = a.std(axis=0)
        # constant columns carry no information: scale 1 keeps them at 0 instead of 0/0
        self.scale_ = np.where(scale > 0.0, scale, 1.0)
        self.passthrough_ = self.method == "none" or a.shape[1] <= self.dim
        if not self.passthrough_:
            z = (a - self.mean_) / self.scale_
            if self.method == "pca":
                _, _, vt = np.linalg.svd(z, full_matrices=False)
                comps = vt[: self.dim]
                signs = np.sign(comps[np.arange(self.dim), np.argmax(np.abs(comps), axis=1)])
                self.components_ = comps * np.where(signs == 0, 1.0, signs)[:, None]
            else:
                self._fit_autoencoder(z)
        self._fitted = True
        return self

    def _fit_autoencoder(self, z: np.ndarray):
        d = z.shape[1]
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.random_state)
            enc = nn.Sequential(nn.Linear(d, self.hidden), nn.Tanh(), nn.Linear(self.hidden, self.dim))
            dec = nn.Sequential(nn.Linear(self.dim, self.hidden), nn.Tanh(), nn.Linear(self.hidden, d))
            enc, dec = enc.double(), dec.double()
            opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=self.lr)
            data = torch.from_numpy(np.ascontiguousarray(z))
            n = data.shape[0]
            for _ in range(self.epochs):
                perm = torch.randperm(n)
                for s in range(0, n, self.batch_size):
                    batch = data[perm[s:s + self.batch_size]]
                    loss = ((dec(enc(batch)) - batch) ** 2).mean()
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
            with torch.no_grad():
                self.reconstruction_mse_ = float(((dec(enc(data)) - data) ** 2).mean())
        self.encoder_ = enc.eval()

    # -------------------------------------------------------------------------------------------- transform
    def transform(self, x) -> np.ndarray:
        """The ``dim``-d codes of ``x`` (a new float64 array of shape (n, dim), or (n, d) if passed through)."""
        if not self._fitted:
            raise InvalidParameterError("this LossyCompressor is not fitted yet; call fit(x) first")
        a = _as_rows(x, "x")
        if a.shape[1] != self.n_features_in_:
            raise ShapeMismatchError(
                f"`x` must have {self.n_features_in_} columns (as in fit); got {a.shape[1]}"
            )
        if self.passthrough_:
            return a.copy()
        z = (a - self.mean_) / self.scale_
        if self.method == "pca":
            return z @ self.components_.T
        with torch.no_grad():
            return self.encoder_(torch.from_numpy(np.ascontiguousarray(z))).numpy().astype(np.float64)

    def fit_transform(self, x) -> np.ndarray:
        """``fit(x).transform(x)``."""
        return self.fit(x).transform(x)


def compress(x, *, dim: int = 4, method: str = "pca", **options) -> np.ndarray:
    r"""Lossy-compress samples to a ``dim``-d code: ``LossyCompressor(dim, method=method, **options).fit_transform(x)``.

    Parameters
    ----------
    x : array_like or torch.Tensor, shape (n, d) (higher-rank inputs are flattened per row)
    dim : int, default 4
    method : {'pca', 'autoencoder', 'none'}, default 'pca'
    **options
        Further :class:`LossyCompressor` arguments (``hidden``, ``epochs``, ``lr``, ``batch_size``,
        ``random_state``).

    Returns
    -------
    ndarray of shape (n, min(d, dim))

    Examples
    --------
    A 2-column input needs no compression to 4 dimensions and comes back unchanged:

    >>> from infokit.methods.bottleneck.information_plane import compress
    >>> compress([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], dim=4).tolist()
    [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    """
    return LossyCompressor(dim, method=method, **options).fit_transform(x)


# ============================================================================================== estimation
def information_plane_coordinates(x_code, t_code, y, *, method: str = "ksg", label_method: str = "auto", k: int = 5,
                                  base=None) -> tuple[float, float]:
    r"""One information-plane point :math:`(\hat I(X;T), \hat I(T;Y))` from compressed codes.

    Parameters
    ----------
    x_code : array_like, shape (n, dx)
        Code of the input (see :func:`compress`).
    t_code : array_like, shape (n, dt)
        Code of the layer.
    y : array_like, shape (n,)
        Labels (discrete; integer or string).
    method : str, default 'ksg'
        Estimator of :math:`I(X;T)` (any continuous MI method of :func:`infokit.estimate_mutual_information`:
        ``'ksg'``, ``'kde'``, ``'gaussian'``, ``'binning'``, ...).
    label_method : str, default 'auto'
        Estimator of :math:`I(T;Y)` with discrete Y (``'auto'`` picks Ross's kNN estimator).
    k : int, default 5
        Neighbours of the kNN methods (5 as in [1]_).
    base : float, optional
        ``None`` nats, ``2`` bits.

    Returns
    -------
    (float, float)
        :math:`\hat I(X;T)` and :math:`\hat I(T;Y)`, exactly the values of
        ``estimate_mutual_information(x_code, t_code, method=method, k=k, base=base)`` and
        ``estimate_mutual_information(t_code, y, method=label_method, discrete=[False, True], k=k, base=base)``.

    References
    ----------
    .. [1] Butakov, I. et al. (2024). Information bottleneck analysis of deep neural networks via lossy
       compression. ICLR. arXiv:2305.08013
    """
    ixt = estimate_mutual_information(x_code, t_code, method=method, discrete=False, k=k, base=base)
    ity = estimate_mutual_information(t_code, y, method=label_method, discrete=[False, True], k=k, base=base)
    return float(ixt), float(ity)


def _resolve_layers(model: nn.Module, layers):
    named = dict(model.named_modules())
    if layers is None:
        out = list(model.named_children())
        if not out:
            raise InvalidParameterError("`model` has no child modules; pass `layers` (module names or modules)")
        return out
    if isinstance(layers, (str, nn.Module)):
        layers = [layers]
    out = []
    by_id = {id(m): n for n, m in named.items()}
    for item in layers:
        if isinstance(item, str):
            if item not in named:
                raise InvalidParameterError(
                    f"`layers` names a module {item!r} that `model` does not have; "
                    f"choose from {sorted(n for n in named if n)}"
                )
            out.append((item, named[item]))
        elif isinstance(item, nn.Module):
            if id(item) not in by_id:
                raise InvalidParameterError(f"`layers` holds a module that is not part of `model`: {item!r}")
            out.append((by_id[id(item)] or "model", item))
        else:
            raise InvalidInputTypeError(
                f"`layers` must hold module names (str) or nn.Module objects; got {type(item).__name__}"
            )
    return out


class InformationPlaneCallback:
    r"""Record :math:`(\hat I(X;T_l), \hat I(T_l;Y))` of every chosen layer during training ([1]_).

    Call it (``cb(epoch)`` or ``cb.on_epoch_end(epoch)``) from a plain training loop. Each call runs the model
    on the fixed probe inputs ``x`` (in ``eval()`` mode, under ``torch.no_grad()``, restoring the training
    mode afterwards; :class:`GaussianNoise` stays active), captures each layer's output with a forward hook,
    compresses it with a fresh :class:`LossyCompressor` (``compression``), and estimates the two MIs from the
    codes with :func:`information_plane_coordinates`. The input's code is computed once, at construction
    (``x_compression``; an autoencoder in [1]_).

    Parameters
    ----------
    model : torch.nn.Module
    x : torch.Tensor or array_like, shape (n, ...)
        Probe inputs (held fixed over training).
    y : array_like, shape (n,)
        Their labels.
    layers : None, or list of str / nn.Module
        Modules whose outputs are the :math:`T_l`; names as in ``model.named_modules()``. ``None``: every
        direct child of ``model`` (the blocks of an ``nn.Sequential``).
    dim : int, default 4
        Code dimension of X and of every layer (4 in [1]_).
    x_compression : {'autoencoder', 'pca', 'none'}, default 'autoencoder'
    compression : {'pca', 'autoencoder', 'none'}, default 'pca'
        Compression of each layer (PCA or per-layer autoencoders in [1]_).
    method, label_method, k, base
        As in :func:`information_plane_coordinates`.
    random_state : int, default 0
        Seed of the probe forward pass (noise layers) and of the compressors; the global torch RNG of the
        training loop is not disturbed.
    compressor_options : dict, optional
        Extra :class:`LossyCompressor` arguments (``epochs``, ``hidden``, ...), used for X and the layers.

    Attributes
    ----------
    history : list of dict
        One record per (call, layer): ``{"epoch", "layer", "i_xt", "i_ty"}`` (``base`` units).
    x_code : ndarray
        The compressed input.

    References
    ----------
    .. [1] Butakov, I., Tolmachev, A., Malanchuk, S., Neopryatnaya, A., Frolov, A., Andreev, K. (2024).
       Information bottleneck analysis of deep neural networks via lossy compression. ICLR. arXiv:2305.08013
    """

    def __init__(self, model: nn.Module, x, y, *, layers=None, dim: int = 4, x_compression: str = "autoencoder",
                 compression: str = "pca", method: str = "ksg", label_method: str = "auto", k: int = 5, base=None,
                 random_state: int = 0, compressor_options: dict | None = None):
        if not isinstance(model, nn.Module):
            raise InvalidInputTypeError(f"`model` must be a torch.nn.Module; got {type(model).__name__}")
        self.model = model
        self.layers = _resolve_layers(model, layers)
        self.x = x if torch.is_tensor(x) else torch.as_tensor(np.asarray(x), dtype=torch.float32)
        self.y = np.asarray(y.detach().cpu().numpy() if torch.is_tensor(y) else y)
        if self.y.ndim != 1 or self.y.shape[0] != self.x.shape[0]:
            raise ShapeMismatchError(
                f"`y` must be a 1-D array of one label per row of `x` ({self.x.shape[0]}); got shape {self.y.shape}"
            )
        self.dim = check_positive_int(dim, "dim")
        self.x_compression = _check_compression(x_compression, "x_compression")
        self.compression = _check_compression(compression, "compression")
        self.method, self.label_method, self.k, self.base = method, label_method, k, base
        if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral):
            raise InvalidParameterError(f"`random_state` must be an int seed; got {random_state!r}")
        self.random_state = int(random_state)
        self.compressor_options = dict(compressor_options or {})
        self.x_code = compress(self.x, dim=self.dim, method=self.x_compression, random_state=self.random_state,
                               **self.compressor_options)
        self.history: list[dict] = []
        self._calls = 0

    def activations(self) -> dict:
        """Outputs of the chosen layers on the probe inputs, ``{name: float64 ndarray (n, ...)}``.

        The forward pass runs in ``eval()`` mode under ``torch.no_grad()`` with the torch seed
        ``random_state`` (inside ``torch.random.fork_rng``), so repeated calls on an unchanged model agree.
        """
        store: dict = {}
        handles = []
        for name, mod in self.layers:
            def hook(_m, _inp, out, name=name):
                if isinstance(out, (tuple, list)):
                    out = out[0]
                store[name] = out.detach().cpu().to(torch.float64).numpy().copy()
            handles.append(mod.register_forward_hook(hook))
        was_training = self.model.training
        try:
            self.model.eval()
            devices = [self.x.device.index or 0] if self.x.is_cuda else []  # fork the CUDA RNG the noise uses
            with torch.no_grad(), torch.random.fork_rng(devices=devices):
                torch.manual_seed(self.random_state)
                self.model(self.x)
        finally:
            for h in handles:
                h.remove()
            self.model.train(was_training)
        missing = [n for n, _ in self.layers if n not in store]
        if missing:
            raise InvalidParameterError(f"the forward pass of `model` did not run the layers {missing}")
        return {name: store[name] for name, _ in self.layers}

    def __call__(self, epoch=None) -> dict:
        """Estimate and record the information-plane point of every layer; returns ``{layer: (i_xt, i_ty)}``."""
        epoch = self._calls if epoch is None else epoch
        points = {}
        for name, t in self.activations().items():
            t_code = compress(t, dim=self.dim, method=self.compression, random_state=self.random_state,
                              **self.compressor_options)
            ixt, ity = information_plane_coordinates(self.x_code, t_code, self.y, method=self.method,
                                                     label_method=self.label_method, k=self.k, base=self.base)
            points[name] = (ixt, ity)
            self.history.append({"epoch": epoch, "layer": name, "i_xt": ixt, "i_ty": ity})
        self._calls += 1
        return points

    on_epoch_end = __call__

    def as_arrays(self) -> dict:
        """``{layer: {"epoch": array, "i_xt": array, "i_ty": array}}`` from :attr:`history`."""
        out: dict = {}
        for name, _ in self.layers:
            rows = [r for r in self.history if r["layer"] == name]
            out[name] = {key: np.array([r[key] for r in rows]) for key in ("epoch", "i_xt", "i_ty")}
        return out

    def plot(self, ax=None, *, cmap: str = "viridis"):
        """Draw the information plane: one line per layer, points coloured by epoch. Returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5, 4))
        arrays = self.as_arrays()
        markers = "osD^v<>pXh"
        for j, (name, a) in enumerate(arrays.items()):
            if a["epoch"].size == 0:
                continue
            ax.plot(a["i_xt"], a["i_ty"], color="0.7", lw=0.8, zorder=1)
            sc = ax.scatter(a["i_xt"], a["i_ty"], c=a["epoch"], cmap=cmap, marker=markers[j % len(markers)],
                            label=name, zorder=2)
        unit = "nats" if self.base is None else ("bits" if self.base == 2 else f"log base {self.base}")
        ax.set_xlabel(f"I(X;T) [{unit}]")
        ax.set_ylabel(f"I(T;Y) [{unit}]")
        ax.legend(title="layer", fontsize="small")
        if self.history:
            ax.figure.colorbar(sc, ax=ax, label="epoch")
        return ax
