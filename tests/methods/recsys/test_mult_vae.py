"""Mult-VAE / Mult-DAE (Liang et al. 2018): objective pieces against closed forms, the paper's architecture and β
schedule, determinism, and within-cluster recommendation on a tiny synthetic click matrix."""

import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from infokit.exceptions import InfokitError, ShapeMismatchError  # noqa: E402
from infokit.methods.recsys.metrics import ndcg_at_k, top_k_items  # noqa: E402
from infokit.methods.recsys.mult_vae import (  # noqa: E402
    MultDAE,
    MultVAE,
    beta_schedule,
    fit_mult_vae,
    gaussian_kl,
    mult_vae_loss,
    multinomial_log_likelihood,
    score_users,
)


def test_beta_schedule_is_linear_then_capped():
    # beta = min(0.2, step / 200000): 0 at start, 0.1 at 20000, capped at 0.2 from 40000 on
    assert beta_schedule(0) == 0.0
    assert beta_schedule(20_000) == pytest.approx(0.1, abs=1e-15)
    assert beta_schedule(40_000) == pytest.approx(0.2, abs=1e-15)
    assert beta_schedule(100_000) == 0.2
    assert beta_schedule(5, anneal_cap=1.0, total_anneal_steps=10) == 0.5
    with pytest.raises(InfokitError, match="`step` must be an integer >= 0"):
        beta_schedule(-1)


def test_multinomial_log_likelihood_equals_sum_x_log_softmax():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3, 5))
    x = rng.integers(0, 3, size=(3, 5)).astype(float)
    log_pi = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    got = multinomial_log_likelihood(torch.tensor(logits), torch.tensor(x)).numpy()
    np.testing.assert_allclose(got, (x * log_pi).sum(axis=1), rtol=1e-12)  # float64 both ways
    with pytest.raises(ShapeMismatchError, match="`logits` and `x` must have the same shape"):
        multinomial_log_likelihood(torch.zeros(2, 3), torch.zeros(2, 4))


def test_gaussian_kl_closed_form_and_oracle():
    # KL(N(1, 1) || N(0, 1)) = mu^2 / 2 = 0.5 nats; KL of the prior to itself = 0
    assert float(gaussian_kl(torch.tensor([[1.0]]), torch.tensor([[0.0]]))) == pytest.approx(0.5, abs=1e-7)
    assert float(gaussian_kl(torch.zeros(1, 4), torch.zeros(1, 4))) == 0.0
    g = torch.Generator().manual_seed(1)
    mu, logvar = torch.randn(6, 3, generator=g, dtype=torch.float64), torch.randn(6, 3, generator=g,
                                                                                 dtype=torch.float64)
    # oracle: the textbook KL between univariate normals, log(s_p/s_q) + (s_q^2 + (m_q - m_p)^2) / (2 s_p^2) - 1/2,
    # with p = N(0, 1), summed over the independent coordinates
    m, sd = mu.numpy(), np.exp(0.5 * logvar.numpy())
    oracle = (np.log(1.0 / sd) + (sd**2 + m**2) / 2.0 - 0.5).sum(-1)
    np.testing.assert_allclose(gaussian_kl(mu, logvar).numpy(), oracle, rtol=1e-12)  # float64 both ways
    assert torch.all(gaussian_kl(mu, logvar) >= 0)


def test_mult_vae_loss_is_negative_ll_plus_beta_kl():
    g = torch.Generator().manual_seed(2)
    logits, x = torch.randn(4, 6, generator=g), (torch.rand(4, 6, generator=g) < 0.5).float()
    mu, logvar = torch.randn(4, 2, generator=g), torch.randn(4, 2, generator=g)
    want = (-multinomial_log_likelihood(logits, x) + 0.3 * gaussian_kl(mu, logvar)).mean()
    torch.testing.assert_close(mult_vae_loss(logits, x, mu, logvar, beta=0.3), want)
    with pytest.raises(InfokitError, match="`beta` must be >= 0"):
        mult_vae_loss(logits, x, mu, logvar, beta=-0.1)


def test_paper_architecture_shapes():
    # Mult-VAE [I -> 600 -> 200 (mu, logvar: 400 outputs) -> 600 -> I]; Mult-DAE [I -> 200 -> I]
    vae = MultVAE(50)
    assert [tuple(l.weight.shape) for l in vae.encoder] == [(600, 50), (400, 600)]
    assert [tuple(l.weight.shape) for l in vae.decoder] == [(600, 200), (50, 600)]
    dae = MultDAE(50)
    assert [tuple(l.weight.shape) for l in dae.layers] == [(200, 50), (50, 200)]
    # biases ~ truncated N(0, 0.001^2): inside +-2 sd (1e-6 relative: float32 rounding of the bound 0.002)
    biases = torch.cat([l.bias.detach() for l in vae.encoder])
    assert float(biases.abs().max()) <= 0.002 * (1 + 1e-6) and 0.0005 < float(biases.std()) < 0.0011
    vae.eval()
    x = torch.ones(2, 50)
    logits, mu, _ = vae(x)
    assert logits.shape == (2, 50) and mu.shape == (2, 200)
    torch.testing.assert_close(vae(x)[0], logits)  # eval mode: z = mu, deterministic


def _clusters(n_users=120, n_items=20, per_user=6, seed=0):
    """Users of cluster c click per_user random items among items [10c, 10c + 10); clusters never mix."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n_users, n_items))
    cluster = np.arange(n_users) % 2
    for u in range(n_users):
        x[u, 10 * cluster[u] + rng.choice(10, per_user, replace=False)] = 1
    return x, cluster


@pytest.mark.parametrize("kind", ["vae", "dae"])
def test_recommends_within_cluster_on_two_disjoint_clusters(kind):
    x, _ = _clusters()
    foldin, cl = _clusters(n_users=20, per_user=4, seed=1)
    fit = fit_mult_vae(x, model=kind, epochs=40, batch_size=40, hidden_dims=(32,), latent_dim=8,
                       total_anneal_steps=100, random_state=0)
    scores = score_users(fit.model, foldin)
    # relevant = the 6 unseen items of the user's own cluster; top-5 entirely inside it gives NDCG@5 = 1
    heldout = np.zeros_like(foldin)
    for u, c in enumerate(cl):
        heldout[u, 10 * c:10 * c + 10] = 1
    heldout[foldin > 0] = 0
    nd = ndcg_at_k(scores, heldout, 5, exclude=foldin)
    assert nd.mean() > 0.95  # random ranking of the 16 candidates would give ~0.375 (6/16 relevant)
    top = top_k_items(scores, 5, exclude=foldin)
    assert np.mean(top // 10 == cl[:, None]) > 0.95
    assert fit.loss[-1] < fit.loss[0]


def test_training_is_deterministic_and_leaves_global_rng_alone():
    x, _ = _clusters(n_users=40)
    torch.manual_seed(123)
    state = torch.get_rng_state()
    a = fit_mult_vae(x, epochs=3, batch_size=16, hidden_dims=(8,), latent_dim=4, random_state=7)
    assert torch.equal(torch.get_rng_state(), state)
    b = fit_mult_vae(x, epochs=3, batch_size=16, hidden_dims=(8,), latent_dim=4, random_state=7)
    c = fit_mult_vae(x, epochs=3, batch_size=16, hidden_dims=(8,), latent_dim=4, random_state=8)
    assert a.loss == b.loss
    np.testing.assert_array_equal(score_users(a.model, x), score_users(b.model, x))
    assert a.loss != c.loss


def test_beta_annealed_per_step_and_best_epoch_kept():
    x, _ = _clusters(n_users=40)
    # one step per epoch (batch = all users): beta at epoch e's step = min(0.2, (e - 1) / 4)
    fit = fit_mult_vae(x, epochs=6, batch_size=40, hidden_dims=(8,), latent_dim=4, total_anneal_steps=4,
                       validation=(x[:10], x[10:20] * 0 + np.eye(10, 20)), eval_k=5, random_state=0)
    np.testing.assert_allclose(fit.beta, [0.0, 0.2, 0.2, 0.2, 0.2, 0.2], atol=1e-12)  # cap reached at step 1
    fit2 = fit_mult_vae(x, epochs=3, batch_size=40, hidden_dims=(8,), latent_dim=4, total_anneal_steps=20,
                        anneal_cap=1.0, random_state=0)
    np.testing.assert_allclose(fit2.beta, [0.0, 0.05, 0.1], atol=1e-12)
    assert fit.n_steps == 6 and len(fit.val_ndcg) == 6
    assert fit.best_epoch == int(np.argmax(fit.val_ndcg)) + 1


def test_fit_errors_name_the_argument():
    x = np.eye(4)
    with pytest.raises(InfokitError, match="`model` must be one of \\{'vae', 'dae'\\}; got 'ae'"):
        fit_mult_vae(x, model="ae")
    with pytest.raises(InfokitError, match="`validation` must be a \\(foldin, heldout\\) pair"):
        fit_mult_vae(x, epochs=1, validation=x)
    with pytest.raises(ShapeMismatchError, match="`validation` matrices must be"):
        fit_mult_vae(x, epochs=1, validation=(np.eye(3), np.eye(3)))
    with pytest.raises(InfokitError, match="`train` must be non-negative"):
        fit_mult_vae(-x)


def test_package_import_is_torch_free():
    # the numpy parts (metrics, data, baselines) load without torch; only the model module needs it
    code = ("import sys, infokit.methods.recsys as r; assert 'torch' not in sys.modules; "
            "r.ndcg_at_k, r.ease_weights, r.load_movielens_100k; assert 'torch' not in sys.modules; "
            "assert 'fit_mult_vae' in dir(r)")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_training_on_cuda_recommends_within_cluster():
    x, _ = _clusters()
    foldin, cl = _clusters(n_users=20, per_user=4, seed=1)
    fit = fit_mult_vae(x, model="vae", epochs=40, batch_size=40, hidden_dims=(32,), latent_dim=8,
                       total_anneal_steps=100, random_state=0, device="cuda")
    assert next(fit.model.parameters()).device.type == "cuda"
    scores = score_users(fit.model, foldin)  # numpy, computed on the model's device
    top = top_k_items(scores, 5, exclude=foldin)
    assert np.mean(top // 10 == cl[:, None]) > 0.95  # same criterion as the CPU test
