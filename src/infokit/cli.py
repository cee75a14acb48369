"""The ``infokit`` command line.

Commands
--------
``infokit --version``
    Print the version.
``infokit papers [--status planned|partial|done] [--json]``
    The reading list with the status of each paper (the table of ``docs/PAPERS.md``).
``infokit demo``
    A short, real computation with units: exact measures, the information lattice of the Chinese remainder
    theorem (paper 31) and the capacity of a binary symmetric channel.

Exit status: 0 on success, 1 when a computation fails, 2 on a bad argument (one line on stderr).
The CLI calls the public API of :mod:`infokit` only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import textwrap

__all__ = ["main"]

_PROG = "infokit"


class _UsageError(Exception):
    """A bad command-line argument (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2 returned (not raised) by main."""

    def error(self, message):  # noqa: D401 - argparse API
        raise _UsageError(f"{self.prog}: error: {message} (see `{self.prog} --help`)")


def _build_parser(version: str) -> _Parser:
    parser = _Parser(
        prog=_PROG,
        description="infokit: information theory for machine learning.",
        epilog="Run `infokit demo` for a short tour; `infokit papers` for the reading list.",
    )
    parser.add_argument("--version", action="version", version=f"{_PROG} {version}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p_papers = sub.add_parser("papers", help="the reading list with the status of each paper",
                              description="The 34 papers of the reading list: year, arXiv id, status, infokit API.")
    p_papers.add_argument("--status", choices=("planned", "partial", "done"),
                          help="show only the papers at this stage")
    p_papers.add_argument("--json", action="store_true", help="print JSON instead of a table")

    sub.add_parser("demo", help="a short real computation printing numbers with units",
                   description="Exact measures, the CRT information lattice (paper 31) and a BSC's capacity.")
    return parser


# ------------------------------------------------------------------------------------------------ papers
def _papers_table(rows) -> str:
    headers = ("#", "year", "status", "arXiv", "paper", "infokit API")
    width_title = 58
    body = []
    for p in rows:
        title = p.title if len(p.title) <= width_title else p.title[: width_title - 3] + "..."
        api = ", ".join(p.api) if p.api else f"(planned: {p.home})"
        body.append((str(p.number), str(p.year), p.status, p.arxiv or "-", title, api))
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(headers)]
    # the last column is free-width: no padding
    def fmt(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells[:-1], widths[:-1])) + "  " + cells[-1]

    lines = [fmt(headers), fmt(tuple("-" * w for w in widths[:-1]) + ("-" * len(headers[-1]),))]
    lines += [fmt(r) for r in body]
    return "\n".join(lines)


def _cmd_papers(args, out) -> int:
    from . import papers as registry

    rows = registry.papers(args.status)
    if args.json:
        out.write(json.dumps([p.to_dict() for p in rows], indent=2) + "\n")
        return 0
    counts = {s: len(registry.papers(s)) for s in registry.STATUSES}
    if rows:
        out.write(_papers_table(rows) + "\n")
    else:
        out.write(f"No paper has status {args.status!r} yet.\n")
    out.write(
        f"\n{len(rows)} paper(s) shown; overall {counts['done']} done, {counts['partial']} partial, "
        f"{counts['planned']} planned of {len(registry.papers())}. Details: docs/PAPERS.md\n"
    )
    return 0


# ------------------------------------------------------------------------------------------------ demo
def _get(result, name):
    """A field of a result object (dataclass / namedtuple attribute or mapping key)."""
    if isinstance(result, dict):
        return result[name]
    return getattr(result, name)


def _floats(values):
    return [float(v) for v in (values.tolist() if hasattr(values, "tolist") else values)]


def _demo_measures(out, infokit) -> None:
    import numpy as np

    out.write("1. Exact measures\n")
    coin = infokit.entropy([0.5, 0.5], base=2)
    out.write(f"   H(fair coin)                          = {coin:.3f} bits\n")
    xor = np.zeros((2, 2, 2))
    for x in (0, 1):
        for y in (0, 1):
            xor[x, y, x ^ y] = 0.25
    ci = infokit.co_information(xor, base=2)
    out.write(f"   co-information I(X;Y;Z), Z = X xor Y  = {ci:+.3f} bits  (synergy is negative)\n")
    kl = infokit.kl_divergence([0.75, 0.25], [0.5, 0.5], base=2)
    out.write(f"   D(Bern(0.75) || Bern(0.5))            = {kl:.4f} bits\n")


def _unavailable(out, what, names) -> None:
    missing = ", ".join(f"infokit.{n}" for n in names)
    out.write(
        f"   [skipped] {what}: {missing} is not in this version of infokit yet\n"
        "             (it is being implemented; see docs/PAPERS.md)\n"
    )


def _demo_lattice(out, infokit) -> None:
    import numpy as np

    out.write("\n2. Information lattice and perfect reconstruction (paper 31, arXiv 2306.15540)\n")
    if not hasattr(infokit, "reconstruction_condition"):
        _unavailable(out, "the reconstruction condition", ["reconstruction_condition"])
        return
    moduli = (2, 3, 5)
    for size in (30, 60):
        x = np.arange(size)
        p_x = np.full(size, 1.0 / size)
        labels = [x % m for m in moduli]
        res = infokit.reconstruction_condition(p_x, labels, base=2)
        h_x = float(_get(res, "H_X"))
        h_i = _floats(_get(res, "H_i"))
        sum_delta = float(_get(res, "sum_delta"))
        bound = float(_get(res, "bound"))
        ok = bool(_get(res, "necessary_ok"))
        rec = bool(_get(res, "reconstructable"))
        out.write(f"   X uniform on 0..{size - 1}; X_i = X mod 2, 3, 5 (n = {len(moduli)})\n")
        out.write(f"     H(X)                  = {h_x:.3f} bits\n")
        out.write(f"     H(X_i)                = {', '.join(f'{h:.3f}' for h in h_i)} bits "
                  f"(sum {sum(h_i):.3f} bits)\n")
        rel = "<=" if sum_delta <= bound + 1e-9 else ">"
        out.write(f"     sum_i delta(X_i, X)   = {sum_delta:.3f} {rel} n - 1 = {bound:g}   (Rajski distances, "
                  "unitless)\n")
        out.write(f"     necessary condition   : {'holds' if ok else 'fails'}\n")
        out.write(f"     X reconstructable     : {'yes' if rec else 'no'}"
                  f"{' (equality: the residues are independent)' if rec and abs(sum_delta - bound) < 1e-9 else ''}\n")


def _demo_channel(out, infokit) -> None:
    import numpy as np

    out.write("\n3. Channel capacity by Blahut-Arimoto, against the closed forms\n")
    if not hasattr(infokit, "channel_capacity"):
        _unavailable(out, "the channel capacity", ["channel_capacity"])
        return
    eps = 0.11
    # rows: input x, columns: output y; P[x, y] = p(y | x)
    cases = (
        (f"BSC({eps})", np.array([[1 - eps, eps], [eps, 1 - eps]]),
         f"1 - h({eps})", 1.0 - infokit.entropy([eps, 1 - eps], base=2)),  # C = 1 - h(eps) bits
        ("Z-channel(0.5)", np.array([[1.0, 0.0], [0.5, 0.5]]),
         "log2(5/4)", math.log2(1.25)),  # C = log2(1 + (1-p) p^(p/(1-p))) = log2(1.25) bits at p = 1/2
    )
    for name, P, closed_name, closed in cases:
        res = infokit.channel_capacity(P, base=2)
        cap = float(_get(res, "capacity"))
        iters = int(_get(res, "iterations"))
        gap = float(_get(res, "gap"))
        out.write(f"   {name}: p(y|x) = {P.tolist()}\n")
        out.write(f"     capacity (Blahut-Arimoto) = {cap:.6f} bits per channel use "
                  f"({iters} iteration{'' if iters == 1 else 's'}, certified gap {gap:.1e} bits)\n")
        out.write(f"     {(closed_name + ' (closed form)').ljust(25)} = {closed:.6f} bits per channel use\n")
        out.write(f"     {'|difference|'.ljust(25)} = {abs(cap - closed):.1e} bits\n")


def _cmd_demo(args, out) -> int:
    import infokit

    out.write(f"infokit {infokit.__version__} demo: exact information measures, units after every number\n\n")
    _demo_measures(out, infokit)
    _demo_lattice(out, infokit)
    _demo_channel(out, infokit)
    out.write("\nMore: `infokit papers` (the reading list), docs/measures.md (the user guide).\n")
    return 0


# ------------------------------------------------------------------------------------------------ entry point
def main(argv=None) -> int:
    """Run the ``infokit`` command line with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments, without the program name.

    Returns
    -------
    int
        0 on success, 1 when a computation fails, 2 on a bad argument.
    """
    from . import __version__
    from .exceptions import InfokitError

    parser = _build_parser(__version__)
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help / --version print and exit 0
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    if args.command is None:
        print(f"{_PROG}: error: a command is required: papers or demo (see `{_PROG} --help`)", file=sys.stderr)
        return 2
    out = sys.stdout
    try:
        if args.command == "papers":
            return _cmd_papers(args, out)
        return _cmd_demo(args, out)
    except InfokitError as exc:
        print(f"{_PROG}: error: {textwrap.shorten(str(exc), 400)}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `infokit papers | head`: stop quietly, and keep the interpreter's final flush quiet
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):  # stdout without a file descriptor (captured)
            pass
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
