"""Registry entries for the neural variational MI bounds (infokit.estimators.neural).

Imported by ``_api`` at package import: it must not import torch; kernels are ``"module:function"`` strings.
Every kernel trains a critic on a training split and reports the bound on held-out batches; all options of
:func:`infokit.estimators.neural.train_critic` (``epochs``, ``batch_size``, ``hidden``, ``critic``, ``lr``,
``clip``, ``device``, ...) pass through ``estimate_mutual_information(..., **method_options)``, and
``random_state`` seeds the split, the batches and the initialisation (``None``: seed 0, deterministic).
"""

from __future__ import annotations

from .._registry import Method, register

_N = "infokit.estimators.neural:"
_POOLE = "Poole et al. (2019), On variational bounds of MI, ICML"
_BOUNDS = {
    "infonce": ("van den Oord et al. (2018), CPC, Eq. (4); " + _POOLE + ", Eq. (12)",
                "lower bound on Shannon MI, capped at log(batch_size)"),
    "nwj": ("Nguyen, Wainwright & Jordan (2010), IEEE TIT 56:5847; " + _POOLE + ", Eq. (9)",
            "lower bound on Shannon MI (high variance at high MI)"),
    "dv": ("Donsker–Varadhan bound; Belghazi et al. (2018), MINE, ICML, Eq. (2)",
           "Shannon MI (DV bound; biased batch log-partition)"),
    "mine": ("Belghazi et al. (2018), MINE, ICML, Eq. (12) (moving-average gradient)",
             "Shannon MI (DV bound trained with the MINE gradient)"),
    "js": ("Hjelm et al. (2019) / " + _POOLE + ", §2.4: JS-trained critic, TUBA read-out",
           "lower bound on Shannon MI from a JS-trained critic"),
    "smile": ("Song & Ermon (2020), ICLR, SMILE, Eq. (17)",
              "Shannon MI (SMILE: clipped DV from a JS-trained critic, pass clip=)"),
}

for _name, (_paper, _estimand) in _BOUNDS.items():
    register(Method(_name, _N + "neural_mi", "mutual_information", _paper, backend=("numpy", "torch"),
                    options={"bound": _name}, resample="subsample", estimand=_estimand, torch_fn=_N + "neural_mi"))

register(Method("doe", _N + "doe_mi", "mutual_information",
                "McAllester & Stratos (2020), AISTATS, difference of entropies", backend=("numpy", "torch"),
                resample="subsample", estimand="Shannon MI as H(Y) - H(Y|X) of Gaussian density models (not a bound)",
                torch_fn=_N + "doe_mi"))
