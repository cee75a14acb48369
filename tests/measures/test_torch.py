"""The torch path of the measures: same values as numpy, same dtype/device back, finite differentiable gradients."""

from __future__ import annotations

import math

import numpy as np
import pytest

import infokit
from infokit.exceptions import InvalidDistributionError, InvalidParameterError
from infokit.testing import copy as copy_dist
from infokit.testing import xor

torch = pytest.importorskip("torch")

LN2 = math.log(2.0)
# float64 torch and numpy evaluate the same formula with the same kernels up to op order: a few ulps.
SAME = 1e-12

SINGLE = {
    "entropy": lambda p=None, **k: infokit.entropy(p, **k),
    "renyi_entropy_0": lambda p=None, **k: infokit.renyi_entropy(p, 0.0, **k),
    "renyi_entropy_half": lambda p=None, **k: infokit.renyi_entropy(p, 0.5, **k),
    "renyi_entropy_near_one": lambda p=None, **k: infokit.renyi_entropy(p, 1.3, **k),
    "renyi_entropy_3": lambda p=None, **k: infokit.renyi_entropy(p, 3.0, **k),
    "renyi_entropy_inf": lambda p=None, **k: infokit.renyi_entropy(p, math.inf, **k),
    "tsallis_entropy_0": lambda p=None, **k: infokit.tsallis_entropy(p, 0.0, **k),
    "tsallis_entropy_2": lambda p=None, **k: infokit.tsallis_entropy(p, 2.0, **k),
    "tsallis_entropy_quarter": lambda p=None, **k: infokit.tsallis_entropy(p, 0.25, **k),
}
PAIR = {
    "kl_divergence": infokit.kl_divergence,
    "cross_entropy": infokit.cross_entropy,
    "js_divergence": infokit.js_divergence,
    "renyi_divergence_0": lambda p=None, q=None, **k: infokit.renyi_divergence(p, q, 0.0, **k),
    "renyi_divergence_half": lambda p=None, q=None, **k: infokit.renyi_divergence(p, q, 0.5, **k),
    "renyi_divergence_3": lambda p=None, q=None, **k: infokit.renyi_divergence(p, q, 3.0, **k),
    "renyi_divergence_inf": lambda p=None, q=None, **k: infokit.renyi_divergence(p, q, math.inf, **k),
    "cs_divergence": infokit.cs_divergence,
    "total_variation": infokit.total_variation,
    "hellinger": infokit.hellinger,
    "chi2_divergence": infokit.chi2_divergence,
}
JOINT = {
    "joint_entropy": infokit.joint_entropy,
    "conditional_entropy": infokit.conditional_entropy,
    "mutual_information": infokit.mutual_information,
    "conditional_mutual_information": infokit.conditional_mutual_information,
    "co_information": infokit.co_information,
    "interaction_information": infokit.interaction_information,
    "total_correlation": infokit.total_correlation,
    "dual_total_correlation": infokit.dual_total_correlation,
    "o_information": infokit.o_information,
}

RNG = np.random.default_rng(20240601)
P_BATCH = RNG.dirichlet(np.ones(5), size=3)
P_BATCH[0, 1] = 0.0  # a zero entry: the support-restricted paths
P_BATCH /= P_BATCH.sum(axis=1, keepdims=True)
Q_BATCH = RNG.dirichlet(np.ones(5), size=3)
J3 = RNG.dirichlet(np.ones(12)).reshape(2, 3, 2)
J3[1, 2, 0] = 0.0
J3 /= J3.sum()


def _t(a, **kw):
    return torch.tensor(a, dtype=kw.pop("dtype", torch.float64), **kw)


# ---------------------------------------------------------------------------------------- torch == numpy
@pytest.mark.parametrize("name", list(SINGLE))
def test_single_measures_torch_equals_numpy(name):
    out = SINGLE[name](_t(P_BATCH))
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float64 and out.shape == (3,)
    np.testing.assert_allclose(out.numpy(), SINGLE[name](P_BATCH), atol=SAME)


@pytest.mark.parametrize("name", list(PAIR))
def test_pair_measures_torch_equals_numpy(name):
    out = PAIR[name](_t(P_BATCH), _t(Q_BATCH))
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float64 and out.shape == (3,)
    np.testing.assert_allclose(out.numpy(), PAIR[name](P_BATCH, Q_BATCH), atol=SAME)
    # and along axis 0
    np.testing.assert_allclose(PAIR[name](_t(P_BATCH.T), _t(Q_BATCH.T), axis=0).numpy(),
                               PAIR[name](P_BATCH, Q_BATCH), atol=SAME)


@pytest.mark.parametrize("name", list(JOINT))
def test_joint_measures_torch_equals_numpy(name):
    out = JOINT[name](_t(J3))
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float64 and out.ndim == 0
    assert float(out) == pytest.approx(JOINT[name](J3), abs=SAME)


def test_pointwise_mutual_information_torch_equals_numpy():
    j = J3.sum(axis=2)
    out = infokit.pointwise_mutual_information(_t(j))
    np.testing.assert_allclose(out.numpy(), infokit.pointwise_mutual_information(j), atol=SAME)


def test_logits_torch_equals_numpy():
    z = np.array([[1.0, -math.inf, 0.5, 2.0], [0.0, 0.0, 0.0, -3.0]])
    for name, fn in SINGLE.items():
        np.testing.assert_allclose(fn(logits=_t(z)).numpy(), fn(logits=z), atol=SAME, err_msg=name)
    for name, fn in PAIR.items():
        np.testing.assert_allclose(fn(p_logits=_t(z), q_logits=_t(z[::-1].copy())).numpy(),
                                   fn(p_logits=z, q_logits=z[::-1].copy()), atol=SAME, err_msg=name)
    np.testing.assert_allclose(infokit.softmax(_t(z)).numpy(), infokit.softmax(z), atol=SAME)


def test_from_counts_accepts_integer_tensors():
    out = infokit.from_counts(torch.tensor([3, 1]))
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float64
    np.testing.assert_allclose(out.numpy(), [0.75, 0.25], atol=SAME)


# ---------------------------------------------------------------------------------------- dtype and device
@pytest.mark.parametrize("name", list(SINGLE))
def test_single_measures_keep_float32(name):
    p32 = torch.tensor(P_BATCH, dtype=torch.float32)
    out = SINGLE[name](p32)
    assert out.dtype == torch.float32 and out.device == p32.device
    # float32 round-off on values of order 1 (inputs rounded to 6e-8 relative): 1e-5 is ~100 ulps
    np.testing.assert_allclose(out.numpy(), SINGLE[name](P_BATCH), atol=1e-5)


@pytest.mark.parametrize("name", list(PAIR))
def test_pair_measures_keep_float32(name):
    out = PAIR[name](torch.tensor(P_BATCH, dtype=torch.float32), torch.tensor(Q_BATCH, dtype=torch.float32))
    assert out.dtype == torch.float32
    # as above; χ² divides by q >= ~0.01 here, so its float32 error is larger (still < 1e-4)
    np.testing.assert_allclose(out.numpy(), PAIR[name](P_BATCH, Q_BATCH), atol=1e-4)


@pytest.mark.parametrize("name", list(JOINT))
def test_joint_measures_keep_float32(name):
    out = JOINT[name](torch.tensor(J3, dtype=torch.float32))
    assert out.dtype == torch.float32
    # float32 sums of 12 entropies terms: 1e-5 absolute
    assert float(out) == pytest.approx(JOINT[name](J3), abs=1e-5)


def test_integer_tensor_counts_become_float64():
    out = infokit.entropy(torch.tensor([3, 1]), normalize=True)
    assert out.dtype == torch.float64
    # H(¾, ¼) = −¾ log ¾ − ¼ log ¼
    assert float(out) == pytest.approx(-0.75 * math.log(0.75) - 0.25 * math.log(0.25), abs=SAME)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_results_stay_on_the_cuda_device():
    dev = torch.device("cuda")
    p, q = _t(P_BATCH, device=dev), _t(Q_BATCH, device=dev)
    for name, fn in SINGLE.items():
        out = fn(p)
        assert out.device.type == "cuda", name
        np.testing.assert_allclose(out.cpu().numpy(), fn(P_BATCH), atol=1e-10, err_msg=name)
    for name, fn in PAIR.items():
        out = fn(p, q)
        assert out.device.type == "cuda", name
        np.testing.assert_allclose(out.cpu().numpy(), fn(P_BATCH, Q_BATCH), atol=1e-10, err_msg=name)
    for name, fn in JOINT.items():
        out = fn(_t(J3, device=dev))
        assert out.device.type == "cuda", name
        assert float(out) == pytest.approx(fn(J3), abs=1e-10), name
    z = _t([[1.0, -math.inf, 0.5]], device=dev, requires_grad=True)
    infokit.entropy(logits=z).sum().backward()
    assert z.grad.device.type == "cuda" and bool(torch.isfinite(z.grad).all())


# ---------------------------------------------------------------------------------------- gradcheck
def _simplex(x):
    """Map positive unconstrained weights to a pmf (differentiably), so gradcheck's perturbations stay valid."""
    return x / x.sum(dim=-1, keepdim=True)


W1 = _t([[0.7, 0.2, 1.3, 0.4], [0.1, 0.9, 0.5, 0.5]], requires_grad=True)
W2 = _t([[0.3, 0.8, 0.6, 1.1], [0.6, 0.2, 0.2, 0.9]], requires_grad=True)
Z = _t([[0.3, -1.2, 2.0, 0.1], [0.0, 0.5, -0.5, 1.5]], requires_grad=True)

GRADCHECK_SINGLE = {
    "entropy": lambda p: infokit.entropy(p),
    "renyi_entropy_half": lambda p: infokit.renyi_entropy(p, 0.5),
    "renyi_entropy_near_one": lambda p: infokit.renyi_entropy(p, 1.001),
    "renyi_entropy_2": lambda p: infokit.renyi_entropy(p, 2.0),
    "renyi_entropy_inf": lambda p: infokit.renyi_entropy(p, math.inf),
    "tsallis_entropy_2": lambda p: infokit.tsallis_entropy(p, 2.0),
    "tsallis_entropy_quarter": lambda p: infokit.tsallis_entropy(p, 0.25),
}
GRADCHECK_PAIR = {
    "kl_divergence": infokit.kl_divergence,
    "cross_entropy": infokit.cross_entropy,
    "js_divergence": infokit.js_divergence,
    "renyi_divergence_half": lambda p, q: infokit.renyi_divergence(p, q, 0.5),
    "renyi_divergence_near_one": lambda p, q: infokit.renyi_divergence(p, q, 0.999),
    "renyi_divergence_3": lambda p, q: infokit.renyi_divergence(p, q, 3.0),
    "cs_divergence": infokit.cs_divergence,
    "hellinger": infokit.hellinger,
    "chi2_divergence": infokit.chi2_divergence,
    "total_variation": infokit.total_variation,
}


@pytest.mark.parametrize("name", list(GRADCHECK_SINGLE))
def test_single_measures_pass_gradcheck(name):
    fn = GRADCHECK_SINGLE[name]
    assert torch.autograd.gradcheck(lambda w: fn(_simplex(w)), (W1,), eps=1e-6, atol=1e-6)
    assert torch.autograd.gradcheck(lambda z: fn(torch.softmax(z, -1)), (Z,), eps=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", list(GRADCHECK_SINGLE))
def test_single_measures_of_logits_pass_gradcheck(name):
    fn = GRADCHECK_SINGLE[name]
    # the logits= entry point differentiates through log_softmax
    measure = {"entropy": lambda z: infokit.entropy(logits=z),
               "renyi_entropy_half": lambda z: infokit.renyi_entropy(logits=z, alpha=0.5),
               "renyi_entropy_near_one": lambda z: infokit.renyi_entropy(logits=z, alpha=1.001),
               "renyi_entropy_2": lambda z: infokit.renyi_entropy(logits=z, alpha=2.0),
               "renyi_entropy_inf": lambda z: infokit.renyi_entropy(logits=z, alpha=math.inf),
               "tsallis_entropy_2": lambda z: infokit.tsallis_entropy(logits=z, q=2.0),
               "tsallis_entropy_quarter": lambda z: infokit.tsallis_entropy(logits=z, q=0.25)}[name]
    assert torch.autograd.gradcheck(measure, (Z,), eps=1e-6, atol=1e-6)
    # and it is the same function as fn ∘ softmax
    np.testing.assert_allclose(measure(Z).detach().numpy(), fn(torch.softmax(Z, -1)).detach().numpy(), atol=SAME)


@pytest.mark.parametrize("name", list(GRADCHECK_PAIR))
def test_pair_measures_pass_gradcheck(name):
    fn = GRADCHECK_PAIR[name]
    assert torch.autograd.gradcheck(lambda a, b: fn(_simplex(a), _simplex(b)), (W1, W2), eps=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ["kl_divergence", "js_divergence", "cs_divergence", "cross_entropy"])
def test_pair_measures_of_logits_pass_gradcheck(name):
    fn = GRADCHECK_PAIR[name]
    assert torch.autograd.gradcheck(lambda a, b: fn(p_logits=a, q_logits=b), (Z, Z.detach().flip(-1).requires_grad_()),
                                    eps=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ["mutual_information", "conditional_mutual_information", "co_information",
                                  "total_correlation", "dual_total_correlation", "o_information",
                                  "conditional_entropy"])
def test_joint_measures_pass_gradcheck(name):
    w = _t(RNG.random((2, 3, 2)) + 0.1, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: JOINT[name](x / x.sum()), (w,), eps=1e-6, atol=1e-6)


def test_entropy_of_masked_logits_passes_gradcheck_with_finite_gradients():
    # the -inf entries are fixed; gradcheck differentiates through the finite ones
    mask = torch.tensor([[False, True, False, False], [True, False, False, True]])

    def f(z):
        return infokit.entropy(logits=z.masked_fill(mask, -math.inf))

    assert torch.autograd.gradcheck(f, (Z,), eps=1e-6, atol=1e-6)
    zz = Z.detach().masked_fill(mask, -math.inf).requires_grad_()
    for measure in (lambda z: infokit.entropy(logits=z), lambda z: infokit.renyi_entropy(logits=z, alpha=2.0),
                    lambda z: infokit.renyi_entropy(logits=z, alpha=0.7),
                    lambda z: infokit.tsallis_entropy(logits=z, q=1.2),
                    lambda z: infokit.kl_divergence(p_logits=z, q_logits=Z.detach()),
                    lambda z: infokit.js_divergence(p_logits=z, q_logits=z.detach()),
                    lambda z: infokit.cs_divergence(p_logits=z, q_logits=Z.detach())):
        zz.grad = None
        measure(zz).sum().backward()
        assert bool(torch.isfinite(zz.grad).all())
        assert bool((zz.grad[mask] == 0).all())  # a masked outcome has no influence


# ---------------------------------------------------------------------------------------- gradients at zeros
ZERO_P = [0.5, 0.5, 0.0]
ZERO_Q = [0.25, 0.25, 0.5]


@pytest.mark.parametrize("name", list(SINGLE))
def test_single_measure_gradients_stay_finite_at_zero_probabilities(name):
    p = _t(ZERO_P, requires_grad=True)
    SINGLE[name](p).backward()
    assert bool(torch.isfinite(p.grad).all()), p.grad
    # off the support the term is a constant zero: gradients are taken on the face of the simplex
    assert p.grad[2] == 0.0


@pytest.mark.parametrize("name", list(PAIR))
def test_pair_measure_gradients_stay_finite_at_zero_probabilities(name):
    p, q = _t(ZERO_P, requires_grad=True), _t(ZERO_Q, requires_grad=True)
    PAIR[name](p, q).backward()
    assert bool(torch.isfinite(p.grad).all()) and bool(torch.isfinite(q.grad).all()), (p.grad, q.grad)
    # p = q with a shared zero: 0 log 0 terms and √0 must not poison the gradient either
    p2, q2 = _t(ZERO_P, requires_grad=True), _t(ZERO_P, requires_grad=True)
    PAIR[name](p2, q2).backward()
    assert bool(torch.isfinite(p2.grad).all()) and bool(torch.isfinite(q2.grad).all()), (p2.grad, q2.grad)


@pytest.mark.parametrize("name", list(JOINT))
def test_joint_measure_gradients_stay_finite_on_tables_with_zero_cells(name):
    # copy and xor both have zero cells (x ≠ y, z ≠ x ⊕ y)
    for d in (copy_dist(), xor()):
        if name == "conditional_mutual_information" and d.pmf.ndim < 3:
            continue
        j = _t(d.pmf, requires_grad=True)
        JOINT[name](j).backward()
        assert bool(torch.isfinite(j.grad).all()), (d.name, j.grad)


def test_entropy_gradient_on_the_support_is_minus_log_p_minus_one():
    # ∂/∂p_i (−Σ p log p) = −log p_i − 1 on the support
    p = _t([0.25, 0.75, 0.0], requires_grad=True)
    infokit.entropy(p).backward()
    np.testing.assert_allclose(p.grad.numpy(), [-math.log(0.25) - 1, -math.log(0.75) - 1, 0.0], atol=SAME)


@pytest.mark.parametrize(("kind", "alpha"), [("renyi", 0.7), ("renyi", 1.3), ("tsallis", 0.7), ("tsallis", 1.3)])
def test_near_one_rewrites_differentiate_like_the_documented_formula(kind, alpha):
    # |α − 1| <= 0.5 uses an expm1 rewrite that is exact on the simplex; its torch gradient off the simplex
    # must still be autograd's gradient of the documented formula:
    # H_α = log(Σ p^α)/(1−α) and S_q = (1 − Σ p^q)/(q−1)
    fn = infokit.renyi_entropy if kind == "renyi" else infokit.tsallis_entropy
    p = _t([0.2, 0.3, 0.5], requires_grad=True)
    fn(p, alpha).backward()
    ref = _t([0.2, 0.3, 0.5], requires_grad=True)
    s = (ref**alpha).sum()
    plain = torch.log(s) / (1 - alpha) if kind == "renyi" else (1 - s) / (alpha - 1)
    plain.backward()
    # both are a handful of float64 ops on O(1) numbers
    np.testing.assert_allclose(p.grad.numpy(), ref.grad.numpy(), atol=1e-12)


# ---------------------------------------------------------------------------------------- contracts
@pytest.mark.parametrize("name", list(SINGLE) + list(PAIR) + list(JOINT))
def test_torch_inputs_are_not_modified_and_keep_their_grad_state(name):
    if name in JOINT:
        j = _t(J3, requires_grad=True)
        ref = j.detach().clone()
        JOINT[name](j)
        JOINT[name](j * 2.0, normalize=True)
        assert torch.equal(j.detach(), ref) and j.requires_grad and j.grad is None
        return
    p = _t(P_BATCH, requires_grad=True)
    q = _t(Q_BATCH)
    p_ref, q_ref = p.detach().clone(), q.clone()
    if name in SINGLE:
        SINGLE[name](p)
        SINGLE[name](logits=q)
        SINGLE[name](p * 2.0, normalize=True)
    else:
        PAIR[name](p, q)
        PAIR[name](p_logits=q, q_logits=p.detach())
        PAIR[name](p * 2.0, q * 3.0, normalize=True)
    assert torch.equal(p.detach(), p_ref) and torch.equal(q, q_ref)
    assert p.requires_grad and p.grad is None and not q.requires_grad


def test_mixing_numpy_and_torch_is_rejected():
    with pytest.raises(InvalidParameterError, match=r"`p` and `q` must both be numpy arrays or both torch tensors"):
        infokit.kl_divergence(_t([0.5, 0.5]), np.array([0.5, 0.5]))


def test_torch_errors_match_numpy_errors():
    with pytest.raises(InvalidDistributionError,
                       match=r"`p` must contain only finite numbers; got 1 non-finite value\(s\) \(1 NaN, 0 inf\)"):
        infokit.entropy(_t([0.5, math.nan]))
    with pytest.raises(InvalidDistributionError, match=r"`p` must be non-negative.*got -0.5 at index \(1,\)"):
        infokit.entropy(_t([1.5, -0.5]))
    with pytest.raises(InvalidDistributionError, match=r"`p` must sum to 1 along axis -1 \(got 0.9\)"):
        infokit.entropy(_t([0.5, 0.4]))
    with pytest.raises(InvalidDistributionError, match=r"`logits` must keep at least one entry above -inf"):
        infokit.entropy(logits=_t([-math.inf, -math.inf]))
    with pytest.raises(InvalidDistributionError, match=r"`p` must not be empty"):
        infokit.entropy(torch.zeros(0, dtype=torch.float64))
    with pytest.raises(TypeError, match=r"`p` must be real-valued; got a complex tensor"):
        infokit.entropy(torch.tensor([0.5 + 0j, 0.5 + 0j]))


def test_kl_of_tensors_with_zero_support_is_inf_not_nan():
    assert float(infokit.kl_divergence(_t([0.5, 0.5]), _t([1.0, 0.0]))) == math.inf
    assert float(infokit.kl_divergence(p_logits=_t([0.0, 0.0]), q_logits=_t([0.0, -math.inf]))) == math.inf


def test_float32_softmax_output_passes_validation():
    # a float32 softmax of 10^4 logits sums to 1 only within ~1e-5: the float32 tolerance must accept it
    z = torch.randn(4, 10_000, generator=torch.Generator().manual_seed(5))
    out = infokit.entropy(torch.softmax(z, dim=-1))
    ref = infokit.entropy(logits=z.double())
    # float32 entropy of ~9 nats: 1e-4 relative accumulated round-off over 10^4 terms
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-4)
