"""EntropyGRPOTrainer: a tiny random GPT-2 and a word-level tokenizer built offline, 2 GRPO steps on CPU."""

from __future__ import annotations

import importlib.util
import pathlib
import warnings

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("trl")
pytest.importorskip("datasets")

ROOT = pathlib.Path(__file__).resolve().parents[3]


def _example():
    spec = importlib.util.spec_from_file_location("grpo_tiny_gpt2_for_test", ROOT / "examples/rl/grpo_tiny_gpt2.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _digit_sum_reward(prompts, completions, **kwargs):
    # a dense reward (the sum of the digits sampled) so that a random model's groups have non-zero advantages
    return [float(sum(int(w) for w in c.split() if w.isdigit())) for c in completions]


def _trainer(tmp_path, loss, **kw):
    from datasets import Dataset
    from trl import GRPOConfig

    from infokit.methods.rl import EntropyGRPOTrainer

    ex = _example()
    tok = ex.build_tokenizer()
    model = ex.build_model(tok, seed=0)
    args = GRPOConfig(output_dir=str(tmp_path), use_cpu=True, bf16=False, report_to=[], save_strategy="no",
                      per_device_train_batch_size=8, num_generations=4, max_completion_length=2, max_steps=2,
                      learning_rate=1e-2, logging_steps=1, seed=0, disable_tqdm=True, **kw)
    ds = Dataset.from_dict({"prompt": ex.prompts(16)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        tr = EntropyGRPOTrainer(model=model, reward_funcs=_digit_sum_reward, args=args, train_dataset=ds,
                                processing_class=tok, policy_loss=loss,
                                policy_loss_kwargs={"clip_cov_ratio": 0.2} if loss == "clip_cov" else None)
    return tr, model


@pytest.mark.slow
@pytest.mark.parametrize("loss", ["clip_cov", "siren"])
def test_trainer_runs_two_steps_and_logs_the_loss_metrics(tmp_path, loss):
    tr, model = _trainer(tmp_path, loss, num_iterations=2)
    before = [p.detach().clone() for p in model.parameters()]
    tr.train()
    logs = [m for m in tr.state.log_history if "entropy" in m]
    assert len(logs) == 2
    key = "clip_cov/pg_clipfrac" if loss == "clip_cov" else "siren/anchor"
    assert all(key in m for m in logs)
    assert any(not torch.equal(a, b.detach()) for a, b in zip(before, model.parameters()))


@pytest.mark.slow
def test_trainer_warns_that_kl_cov_is_a_no_op_on_policy(tmp_path):
    from infokit.exceptions import InfokitWarning

    with pytest.warns(InfokitWarning, match="strictly on-policy"):
        _trainer(tmp_path, "kl_cov", num_iterations=1)


@pytest.mark.slow
def test_trainer_rejects_unsupported_loss_types(tmp_path):
    from infokit.exceptions import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="loss_type"):
        _trainer(tmp_path, "vanilla", loss_type="cispo")
