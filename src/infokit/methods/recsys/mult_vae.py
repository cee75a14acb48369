"""Mult-VAE and Mult-DAE for collaborative filtering (Liang, Krishnan, Hoffman & Jebara, WWW 2018) [1]_ in torch.

A user's clicks :math:`x_u` are a multinomial draw from :math:`\\pi(z_u) = \\mathrm{softmax}(f_\\theta(z_u))`,
:math:`z_u \\sim \\mathcal N(0, I_K)`. Mult-VAE maximises the β-weighted ELBO ([1]_'s "Mult-VAE^PR")
with β annealed linearly from 0 to ``anneal_cap``; Mult-DAE replaces the stochastic encoder by a deterministic one
fed with dropout-corrupted input. This is a torch leaf: it imports torch at the top and is reached lazily through
``infokit.methods.recsys``.

References
----------
.. [1] Liang, D., Krishnan, R. G., Hoffman, M. D., Jebara, T. (2018). Variational Autoencoders for
   Collaborative Filtering. WWW 2018. arXiv:1802.05814. Official code: github.com/dawenl/vae_cf.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import numpy as np
import torch
from scipy import sparse
from torch import nn

from ..._validation import check_choice, check_nonneg_float, check_positive_int, check_probability
from ...exceptions import InvalidParameterError, InvalidSampleError, ShapeMismatchError
from .data import _check_click_matrix
from .metrics import ndcg_at_k

__all__ = [
    "MultVAE",
    "MultDAE",
    "MultVAEFit",
    "beta_schedule",
    "multinomial_log_likelihood",
    "gaussian_kl",
    "mult_vae_loss",
    "mult_dae_loss",
    "fit_mult_vae",
    "score_users",
]


def beta_schedule(step: int, *, anneal_cap: float = 0.2, total_anneal_steps: int = 200_000) -> float:
    """KL weight after ``step`` gradient updates: β = min(anneal_cap, step / total_anneal_steps) ([1]_).

    The official code uses ``anneal_cap = 0.2`` and ``total_anneal_steps = 200000`` on ML-20M (β reaches the cap
    after 40,000 updates, ~85% of 200 epochs at batch 500). β < 1 makes the objective a regularised likelihood,
    not an ELBO ([1]_).

    Examples
    --------
    >>> beta_schedule(20_000)   # halfway to the 40,000 updates at which 200,000 steps would pass the 0.2 cap
    0.1
    >>> beta_schedule(10**6)
    0.2
    """
    step = check_positive_int(step, "step", minimum=0)
    cap = check_nonneg_float(anneal_cap, "anneal_cap")
    total = check_positive_int(total_anneal_steps, "total_anneal_steps")
    return min(cap, step / total)


def multinomial_log_likelihood(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Per-user multinomial log-likelihood Σ_i x_ui log softmax(logits_u)_i ([1]_; multinomial coefficient dropped)."""
    if logits.shape != x.shape:
        raise ShapeMismatchError(f"`logits` and `x` must have the same shape; got {tuple(logits.shape)} and "
                                 f"{tuple(x.shape)}")
    return (torch.log_softmax(logits, dim=-1) * x).sum(dim=-1)


def gaussian_kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """Per-user KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σ_k (−log σ²_k + σ²_k + μ²_k − 1), in nats."""
    if mu.shape != logvar.shape:
        raise ShapeMismatchError(f"`mu` and `logvar` must have the same shape; got {tuple(mu.shape)} and "
                                 f"{tuple(logvar.shape)}")
    return 0.5 * (-logvar + logvar.exp() + mu.pow(2) - 1.0).sum(dim=-1)


def mult_vae_loss(logits, x, mu, logvar, *, beta: float) -> torch.Tensor:
    """Negative β-ELBO averaged over users: mean_u [−Σ_i x_ui log π_ui + β KL(q(z_u|x_u) ‖ p(z))] ([1]_).

    Minimised; nats per user. With ``beta = 1`` this is the negative ELBO of a multinomial VAE.
    """
    beta = check_nonneg_float(beta, "beta")
    return (-multinomial_log_likelihood(logits, x) + beta * gaussian_kl(mu, logvar)).mean()


def mult_dae_loss(logits, x) -> torch.Tensor:
    """Mult-DAE objective: mean_u −Σ_i x_ui log softmax(f(dropout(x_u)))_i ([1]_: no prior, no KL)."""
    return (-multinomial_log_likelihood(logits, x)).mean()


def _init_linear(layer: nn.Linear, gen: torch.Generator) -> None:
    # As the official TF code: Xavier (Glorot-uniform) weights, biases ~ truncated N(0, 0.001²) at ±2 sd.
    bound = math.sqrt(6.0 / (layer.in_features + layer.out_features))
    with torch.no_grad():
        layer.weight.uniform_(-bound, bound, generator=gen)
    nn.init.trunc_normal_(layer.bias, mean=0.0, std=0.001, a=-0.002, b=0.002, generator=gen)


def _mlp(dims, gen):
    layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
    for layer in layers:
        _init_linear(layer, gen)
    return layers


def _run(layers, h):
    for i, layer in enumerate(layers):
        h = layer(h)
        if i < len(layers) - 1:
            h = torch.tanh(h)
    return h


class MultVAE(nn.Module):
    """Mult-VAE: encoder [I → hidden... → 2K] (μ, log σ²), decoder [K → reversed hidden... → I], tanh inside.

    Parameters
    ----------
    n_items : int
        I, the catalogue size.
    hidden_dims : tuple of int
        Hidden widths of the encoder (the decoder mirrors them); (600,) in [1]_.
    latent_dim : int
        K; 200 in [1]_.
    dropout : float
        Input dropout rate during training (0.5 in [1]_), applied after L2-normalising each user's row.
    seed : int
        Seeds the initialisation (a private generator; the global torch RNG is untouched).

    Notes
    -----
    ``forward(x)`` returns ``(logits, mu, logvar)``; in training mode z = μ + σ ε, in eval mode z = μ (the
    paper's prediction rule).
    """

    def __init__(self, n_items: int, *, hidden_dims=(600,), latent_dim: int = 200, dropout: float = 0.5,
                 seed: int = 98765):
        super().__init__()
        n_items = check_positive_int(n_items, "n_items")
        latent_dim = check_positive_int(latent_dim, "latent_dim")
        hidden = tuple(check_positive_int(h, "hidden_dims") for h in hidden_dims)
        self.dropout = check_probability(dropout, "dropout")
        self.latent_dim = latent_dim
        gen = torch.Generator().manual_seed(check_positive_int(seed, "seed", minimum=0))
        self.encoder = _mlp((n_items, *hidden, 2 * latent_dim), gen)
        self.decoder = _mlp((latent_dim, *reversed(hidden), n_items), gen)

    def encode(self, x: torch.Tensor):
        h = nn.functional.normalize(x, dim=-1)
        h = nn.functional.dropout(h, p=self.dropout, training=self.training)
        h = _run(self.encoder, h)
        return h[..., :self.latent_dim], h[..., self.latent_dim:]

    def forward(self, x: torch.Tensor):
        mu, logvar = self.encode(x)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar) if self.training else mu
        return _run(self.decoder, z), mu, logvar


class MultDAE(nn.Module):
    """Mult-DAE: [I → hidden... → I] with tanh hidden units and input dropout ([1]_: a single 200-unit layer).

    ``forward(x)`` returns the logits; see :class:`MultVAE` for the parameters.
    """

    def __init__(self, n_items: int, *, hidden_dims=(200,), dropout: float = 0.5, seed: int = 98765):
        super().__init__()
        n_items = check_positive_int(n_items, "n_items")
        hidden = tuple(check_positive_int(h, "hidden_dims") for h in hidden_dims)
        self.dropout = check_probability(dropout, "dropout")
        gen = torch.Generator().manual_seed(check_positive_int(seed, "seed", minimum=0))
        self.layers = _mlp((n_items, *hidden, n_items), gen)

    def forward(self, x: torch.Tensor):
        h = nn.functional.normalize(x, dim=-1)
        h = nn.functional.dropout(h, p=self.dropout, training=self.training)
        return _run(self.layers, h)


@dataclass
class MultVAEFit:
    """A trained Mult-VAE / Mult-DAE and its history.

    Attributes
    ----------
    model : MultVAE or MultDAE
        In eval mode, holding the best-validation weights when validation data were given (else the last).
    loss : list of float
        Mean training objective per epoch (nats per user, incl. the weight penalty).
    beta : list of float
        β at the end of each epoch (VAE; zeros for DAE).
    val_ndcg : list of float
        Validation NDCG@``eval_k`` after each epoch (empty without validation data).
    best_epoch : int
        1-based epoch whose weights were kept.
    n_steps : int
        Gradient updates taken.
    """

    model: nn.Module
    loss: list = field(default_factory=list)
    beta: list = field(default_factory=list)
    val_ndcg: list = field(default_factory=list)
    best_epoch: int = 0
    n_steps: int = 0


def _rows(x, idx, device):
    if sparse.issparse(x):
        return torch.as_tensor(x[idx].toarray(), dtype=torch.float32, device=device)
    return torch.as_tensor(x[idx], dtype=torch.float32, device=device)


def _as_clicks(x, name):
    if sparse.issparse(x):
        x = sparse.csr_matrix(x, dtype=np.float64, copy=True)
        _check_click_matrix(x[:1], name)  # type/shape on a slice; values below
        if x.data.size and (not np.all(np.isfinite(x.data)) or x.data.min() < 0):
            raise InvalidSampleError(f"`{name}` must hold finite non-negative click counts; got a minimum of "
                                     f"{x.data.min()!r} or a NaN/inf; drop or fix those entries")
        return x
    return _check_click_matrix(x, name)


def score_users(model: nn.Module, foldin, *, batch_size: int = 1000, device=None) -> np.ndarray:
    """Logits (n_users, n_items) of a trained model for users given by their fold-in clicks (z = μ for the VAE).

    Rank them with :func:`infokit.methods.recsys.metrics.top_k_items` passing ``exclude=foldin``.
    """
    x = _as_clicks(foldin, "foldin")
    batch_size = check_positive_int(batch_size, "batch_size")
    if device is None:
        device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, x.shape[0], batch_size):
            xb = _rows(x, np.arange(start, min(start + batch_size, x.shape[0])), device)
            res = model(xb)
            logits = res[0] if isinstance(res, tuple) else res
            out.append(logits.double().cpu().numpy())
    model.train(was_training)
    return np.concatenate(out, axis=0) if out else np.zeros((0, x.shape[1]))


def fit_mult_vae(train, *, model: str = "vae", epochs: int = 200, batch_size: int = 500, lr: float = 1e-3,
                 anneal_cap: float = 0.2, total_anneal_steps: int = 200_000, l2: float | None = None,
                 hidden_dims=None, latent_dim: int = 200, dropout: float = 0.5, validation=None,
                 eval_k: int = 100, random_state: int = 98765, device="cpu") -> MultVAEFit:
    """Train Mult-VAE^PR (``model="vae"``) or Mult-DAE (``model="dae"``) with the recipe of [1]_.

    Parameters
    ----------
    train : array_like or scipy.sparse matrix, shape (n_users, n_items)
        Binary (or count) clicks of the training users.
    model : {"vae", "dae"}
    epochs, batch_size, lr : int, int, float
        200 epochs of Adam (lr 1e-3) on mini-batches of 500 users in [1]_; users are reshuffled each epoch.
    anneal_cap, total_anneal_steps : float, int
        β schedule (:func:`beta_schedule`), advanced once per gradient step (VAE only).
    l2 : float, optional
        Penalty ``l2 * Σ ||W||²`` on the weight matrices (not biases) added to the mean loss; default 0 for the
        VAE and ``0.01 / batch_size`` for the DAE, as in the official code.
    hidden_dims : tuple of int, optional
        Default (600,) for the VAE, (200,) for the DAE.
    latent_dim, dropout : int, float
        VAE latent size (200) and input dropout rate (0.5).
    validation : tuple (foldin, heldout), optional
        Held-out users' fold-in and target clicks; NDCG@``eval_k`` is computed after every epoch and the best
        epoch's weights are kept (the paper's model selection).
    random_state : int
        Seeds initialisation, shuffling, dropout and the reparameterisation noise. The global torch RNG state is
        restored on return.
    device : str or torch.device

    Returns
    -------
    MultVAEFit
    """
    kind = check_choice(model, "model", ("vae", "dae"))
    x = _as_clicks(train, "train")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    lr = check_nonneg_float(lr, "lr", strict=True)
    eval_k = check_positive_int(eval_k, "eval_k")
    seed = check_positive_int(random_state, "random_state", minimum=0)
    beta_schedule(0, anneal_cap=anneal_cap, total_anneal_steps=total_anneal_steps)  # validates both
    lam = (0.0 if kind == "vae" else 0.01 / batch_size) if l2 is None else check_nonneg_float(l2, "l2")
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise InvalidParameterError("`validation` must be a (foldin, heldout) pair of click matrices; "
                                        f"got {type(validation)!r}")
        v_in, v_out = (_as_clicks(v, n) for v, n in zip(validation, ("validation[0]", "validation[1]")))
        if v_in.shape[1] != x.shape[1] or v_out.shape != v_in.shape:
            raise ShapeMismatchError(f"`validation` matrices must be (n_val_users, {x.shape[1]}) like `train`'s "
                                     f"columns; got {v_in.shape} and {v_out.shape}")
    n_users, n_items = x.shape
    rs = np.random.RandomState(seed)
    best, best_state = -np.inf, None
    # fork_rng: nn.Linear's default init, dropout and the reparameterisation noise draw from the global torch RNG;
    # its state is restored on exit so that fitting never changes the caller's random stream.
    with torch.random.fork_rng(devices=[] if torch.device(device).type == "cpu" else None):
        torch.manual_seed(seed)
        if kind == "vae":
            net = MultVAE(n_items, hidden_dims=(600,) if hidden_dims is None else hidden_dims,
                          latent_dim=latent_dim, dropout=dropout, seed=seed)
        else:
            net = MultDAE(n_items, hidden_dims=(200,) if hidden_dims is None else hidden_dims, dropout=dropout,
                          seed=seed)
        net = net.to(device)
        opt = torch.optim.Adam(net.parameters(), lr=lr)
        weights = [p for name, p in net.named_parameters() if name.endswith("weight")]
        fit = MultVAEFit(model=net)
        step = 0
        for _ in range(epochs):
            net.train()
            order = rs.permutation(n_users)
            total, beta = 0.0, 0.0
            for start in range(0, n_users, batch_size):
                idx = order[start:start + batch_size]
                xb = _rows(x, idx, device)
                if kind == "vae":
                    beta = min(anneal_cap, step / total_anneal_steps)
                    logits, mu, logvar = net(xb)
                    loss = mult_vae_loss(logits, xb, mu, logvar, beta=beta)
                else:
                    loss = mult_dae_loss(net(xb), xb)
                if lam > 0:
                    loss = loss + lam * sum(w.pow(2).sum() for w in weights)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                total += float(loss.detach()) * idx.shape[0]
            fit.loss.append(total / n_users)
            fit.beta.append(float(beta))
            if validation is not None:
                nd = float(ndcg_at_k(score_users(net, v_in), v_out, eval_k, exclude=v_in).mean())
                fit.val_ndcg.append(nd)
                if nd > best:
                    best, best_state = nd, copy.deepcopy(net.state_dict())
                    fit.best_epoch = len(fit.val_ndcg)
        fit.n_steps = step
    if best_state is not None:
        net.load_state_dict(best_state)
    else:
        fit.best_epoch = epochs
    net.eval()
    return fit
