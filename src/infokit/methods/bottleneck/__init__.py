"""Information bottleneck methods: the discrete IB and deterministic IB on a joint table (``discrete_ib``)."""

from .discrete_ib import IBCurve, IBResult, information_bottleneck, information_bottleneck_curve

__all__ = ["IBResult", "IBCurve", "information_bottleneck", "information_bottleneck_curve"]
