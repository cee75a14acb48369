"""Rendering a :class:`Report`: self-contained HTML (embedded PNG plots), Markdown, JSON; atomic writes.

matplotlib is imported only here, only when a plot is drawn, and without pyplot (an ``Agg`` canvas per
figure), so rendering never changes the caller's matplotlib backend.
"""

from __future__ import annotations

import base64
import html
import io
import os

from ._io import InvalidTableError, atomic_write

__all__ = ["render_markdown", "render_html", "write_report", "plot_ranking", "plot_heatmap", "FORMATS"]

FORMATS = ("html", "md", "json")
_MAX_BARS = 30  # columns drawn in the ranking plot (all are in the tables)


# --------------------------------------------------------------------------------------------- plots
def _figure(width, height):
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency of the report
        raise InvalidTableError(
            "the HTML report draws its plots with matplotlib, which is not installed; `pip install matplotlib`, "
            "or ask for --format md,json"
        ) from exc
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def plot_ranking(report) -> bytes | None:
    """Horizontal bars: MI with the target per column (top ``_MAX_BARS``), CI whiskers; PNG bytes."""
    rows = [c for c in report.ranked if c.mi is not None and c.mi.value is not None][:_MAX_BARS]
    if not rows:
        return None
    import numpy as np

    fig = _figure(7.5, 0.9 + 0.32 * len(rows))
    ax = fig.add_subplot(1, 1, 1)
    y = np.arange(len(rows))[::-1]
    vals = np.array([c.mi.value for c in rows])
    sig = [c.mi.pvalue is not None and c.mi.pvalue <= 0.05 for c in rows]
    colors = ["#2b6cb0" if s else "#a0aec0" for s in sig]
    ax.barh(y, vals, color=colors, height=0.7)
    lo = np.array([c.mi.ci[0] if c.mi.ci is not None else v for c, v in zip(rows, vals)])
    hi = np.array([c.mi.ci[1] if c.mi.ci is not None else v for c, v in zip(rows, vals)])
    has_ci = [c.mi.ci is not None for c in rows]
    if any(has_ci):  # whiskers from the interval's ends (a bias-corrected interval need not contain the bar's end)
        idx = np.flatnonzero(has_ci)
        ax.hlines(y[idx], lo[idx], hi[idx], color="#1a202c", lw=1)
        ax.plot(lo[idx], y[idx], "|", color="#1a202c", ms=7)
        ax.plot(hi[idx], y[idx], "|", color="#1a202c", ms=7)
    ax.set_yticks(y)
    ax.set_yticklabels([c.name for c in rows])
    ax.axvline(0, color="#4a5568", lw=0.8)
    level = next((c.mi.confidence_level for c in rows if c.mi.confidence_level), None)
    ci_txt = f", whiskers: {100 * level:.0f}% CI" if level else ""
    ax.set_xlabel(f"I(column; {report.target.name}) [{report.unit}]{ci_txt}")
    perm = any(c.mi.pvalue is not None for c in rows)
    ax.set_title("MI with the target" + (" (blue: permutation p ≤ 0.05)" if perm else ""), fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def plot_heatmap(report) -> bytes | None:
    """Heat-map of the pairwise MI of the top features (diagonal blank); PNG bytes."""
    red = report.redundancy
    if red is None or len(red.features) < 2:
        return None
    import numpy as np

    T = len(red.features)
    mat = np.array([[np.nan if v is None else v for v in row] for row in red.matrix], dtype=float)
    fig = _figure(1.6 + 0.55 * T, 1.2 + 0.5 * T)
    ax = fig.add_subplot(1, 1, 1)
    masked = np.ma.masked_invalid(mat)
    vmax = float(np.nanmax(mat)) if np.isfinite(mat).any() else 1.0
    im = ax.imshow(masked, cmap="viridis", vmin=0.0, vmax=max(vmax, 1e-12))
    ax.set_xticks(range(T))
    ax.set_yticks(range(T))
    ax.set_xticklabels(red.features, rotation=60, ha="right", fontsize=8)
    ax.set_yticklabels(red.features, fontsize=8)
    if T <= 12:
        for i in range(T):
            for j in range(T):
                if np.isfinite(mat[i, j]):
                    ax.text(j, i, f"{mat[i, j]:.2f}", ha="center", va="center", fontsize=7,
                            color="white" if mat[i, j] < 0.6 * vmax else "black")
    cb = fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    cb.set_label(f"pairwise MI [{red.unit}]")
    ax.set_title("Redundancy among the top columns", fontsize=10)
    return _png(fig)


# --------------------------------------------------------------------------------------------- markdown
def _md_escape(s) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def _fmt(v, digits=3):
    return "—" if v is None else f"{v:.{digits}f}"


def render_markdown(report) -> str:
    """A Markdown summary (ranking, redundancy, mRMR, conditional MI, flagged columns)."""
    u = report.unit
    t = report.target
    L = [f"# Information report: `{_md_escape(report.source)}` → target `{_md_escape(t.name)}`", ""]
    L.append(f"- rows: {report.n_rows}" + (f" (analysed: a seeded random sample of {report.n_rows_used})"
                                            if report.n_rows_used < report.n_rows else ""))
    L.append(f"- target: `{_md_escape(t.name)}`, {t.type} ({_md_escape(t.rule)}), missing {t.missing}")
    if t.entropy is not None:
        L.append(f"- H(target) = {t.entropy.text()} ({t.entropy.estimator})"
                 + (f" — {t.entropy.note}" if t.entropy.note else ""))
    s = report.settings
    L.append(f"- unit: {u}; MI estimator: {s['method']}; permutations: {s['permutations']}; "
             f"resamples for CIs: {s['bootstrap']} ({100 * s['confidence_level']:.0f}% level); "
             f"seed {s['random_state']}")
    L.append(f"- infokit {report.version}, {report.created}, {report.timings.get('total', 0.0):.1f} s")
    L.append("")
    L.append("## Ranking by mutual information with the target")
    L.append("")
    L.append(f"| rank | column | type | MI [{u}] | CI [{u}] | p-value | MI / H(target) | Linfoot r | "
             f"I(col; target \\| best) [{u}] | MI estimator |")
    L.append("|---:|---|---|---:|---|---:|---:|---:|---:|---|")
    for c in report.ranked:
        ratio = c.mi_over_h_target.text(3) if c.mi_over_h_target is not None else "n/a"
        lin = c.linfoot.text(3) if c.linfoot is not None else "n/a"
        cmi = c.cmi_given_best.text(3, unit=False) if c.cmi_given_best is not None else "n/a"
        L.append(f"| {c.rank} | `{_md_escape(c.name)}` | {c.type} | {c.mi.text(3, unit=False)} | {c.mi.ci_text()} | "
                 f"{c.mi.p_text()} | {ratio} | {lin} | {cmi} | {c.mi.estimator} |")
    unranked = [c for c in report.columns if c.status == "ok" and c.rank is None]
    for c in unranked:
        note = c.mi.note if c.mi is not None else ""
        L.append(f"| — | `{_md_escape(c.name)}` | {c.type} | n/a | | | | | | {_md_escape(note)} |")
    L.append("")
    ci_methods = sorted({c.mi.ci_method for c in report.ranked if c.mi.ci_method})
    if ci_methods:
        L.append(f"CI: {', '.join(ci_methods)} ({100 * s['confidence_level']:.0f}% level; the interval is "
                 "bias-corrected and need not contain the estimate). p-value: permutation test of independence, "
                 "(1 + #null >= observed) / (1 + permutations).")
        L.append("")
    if report.best is not None:
        L.append(f"Conditional MI is I(column; target | `{_md_escape(report.best)}`): what a column adds once "
                 "the best column is known.")
        L.append("")
    red = report.redundancy
    if red is not None:
        L.append(f"## Redundancy: pairwise MI of the top {len(red.features)} columns [{red.unit}]")
        L.append("")
        L.append("| | " + " | ".join(f"`{_md_escape(f)}`" for f in red.features) + " |")
        L.append("|---|" + "---:|" * len(red.features))
        for f, row in zip(red.features, red.matrix):
            L.append(f"| `{_md_escape(f)}` | " + " | ".join("—" if v is None else f"{v:.3f}" for v in row) + " |")
        L.append("")
        for note in red.notes:
            L.append(f"- {_md_escape(note)}")
    if report.mrmr:
        L.append(f"## mRMR order (minimum redundancy, maximum relevance) [{u}]")
        L.append("")
        L.append("| step | column | score = relevance − mean redundancy | relevance | mean redundancy |")
        L.append("|---:|---|---:|---:|---:|")
        for i, st in enumerate(report.mrmr, 1):
            L.append(f"| {i} | `{_md_escape(st.feature)}` | {st.score:.3f} | {st.relevance:.3f} | "
                     f"{st.mean_redundancy:.3f} |")
        L.append("")
    elif report.mrmr_note:
        L.append(f"mRMR: {report.mrmr_note}")
        L.append("")
    L.append("## Columns: types and entropies")
    L.append("")
    L.append(f"| column | type | rule | missing | distinct | entropy [{u}] | estimator | note |")
    L.append("|---|---|---|---:|---:|---:|---|---|")
    for c in (report.target,) + tuple(report.columns):
        e = c.entropy
        name = f"`{_md_escape(c.name)}`" + (" (target)" if c is report.target else "")
        L.append(f"| {name} | {c.type or c.status} | {_md_escape(c.rule)} | {c.missing} | {c.distinct} | "
                 f"{_fmt(None if e is None else e.value)} | {'' if e is None else e.estimator or ''} | "
                 f"{_md_escape(_short_note(e))} |")
    L.append("")
    others = [c for c in report.columns if c.status != "ok"]
    if others:
        L.append("## Columns left out")
        L.append("")
        L.append("| column | status | rule | message |")
        L.append("|---|---|---|---|")
        for c in others:
            L.append(f"| `{_md_escape(c.name)}` | {c.status} | {_md_escape(c.rule)} | {_md_escape(c.message or '')} |")
        L.append("")
    if report.warnings:
        L.append("## Notes")
        L.append("")
        for w in report.warnings:
            L.append(f"- {_md_escape(w)}")
        L.append("")
    return "\n".join(L).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------- html
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:2rem auto;
max-width:1200px;padding:0 1rem;color:#1a202c;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #e2e8f0}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}
th,td{border:1px solid #e2e8f0;padding:.25rem .5rem;vertical-align:top}
th{background:#f7fafc;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
.meta{color:#4a5568;font-size:.9rem}.note{color:#718096;font-size:.8rem}
.flag{background:#fff5f5}.sig{font-weight:600}code{background:#f7fafc;padding:0 .2rem}
img{max-width:100%;height:auto;border:1px solid #edf2f7}
"""


def _e(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _img(png: bytes | None, alt: str, cls: str) -> str:
    if png is None:
        return f'<p class="note">{_e(alt)}: nothing to plot.</p>'
    data = base64.b64encode(png).decode("ascii")
    return f'<img class="{cls}" alt="{_e(alt)}" src="data:image/png;base64,{data}">'


_DIFF_NOTE = "differential entropy (continuous column): depends on the column's units and can be negative"


def _short_note(q) -> str:
    """A Quantity's note without the standard 'differential entropy' caveat (said once under the table)."""
    if q is None or not q.note:
        return ""
    note = q.note
    if note.startswith(_DIFF_NOTE):
        note = "differential" + note[len(_DIFF_NOTE):]
    return note


def _td(v, digits=3, cls="num"):
    return f'<td class="{cls}">{"—" if v is None else f"{v:.{digits}f}"}</td>'


def render_html(report) -> str:
    """A self-contained HTML page: summary, plots (embedded PNG), tables; no external resources."""
    u = report.unit
    t = report.target
    s = report.settings
    P = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f"<title>Information report: {_e(report.source)} → {_e(t.name)}</title>",
         f"<style>{_CSS}</style></head><body>"]
    P.append(f"<h1>Information report: <code>{_e(report.source)}</code> → target <code>{_e(t.name)}</code></h1>")
    sample = (f" (analysed: a seeded random sample of {report.n_rows_used})"
              if report.n_rows_used < report.n_rows else "")
    ent = t.entropy
    ent_s = "n/a" if ent is None else f"{ent.text()} ({_e(ent.estimator)})"
    P.append('<p class="meta">'
             f"{report.n_rows} rows{sample}, {report.input.get('columns')} columns · target: {_e(t.type)} "
             f"({_e(t.rule)}), H(target) = {ent_s}"
             + (f" — {_e(ent.note)}" if ent is not None and ent.note else "")
             + f"<br>unit: <b>{_e(u)}</b> · MI estimator: {_e(s['method'])} · permutations: {s['permutations']} · "
             f"resamples for CIs: {s['bootstrap']} ({100 * s['confidence_level']:.0f}% level) · seed "
             f"{s['random_state']} · infokit {_e(report.version)} · {_e(report.created)} · "
             f"{report.timings.get('total', 0.0):.1f} s</p>")
    if report.flagged:
        P.append(f'<p class="flag">{len(report.flagged)} column(s) were left out because of a data problem; '
                 'see <a href="#left-out">Columns left out</a>.</p>')

    P.append("<h2>Ranking by mutual information with the target</h2>")
    P.append(_img(plot_ranking(report), "MI with the target per column, with confidence intervals", "ranking"))
    P.append('<table class="ranking"><thead><tr><th>rank</th><th>column</th><th>type</th>'
             f"<th>MI [{_e(u)}]</th><th>CI [{_e(u)}]</th><th>p-value</th><th>MI / H(target)</th><th>Linfoot r</th>"
             f"<th>I(col; target | best) [{_e(u)}]</th><th>MI estimator</th></tr></thead><tbody>")
    for c in report.ranked:
        mi = c.mi
        sig = ' class="sig"' if mi.pvalue is not None and mi.pvalue <= 0.05 else ""
        ratio = c.mi_over_h_target.value if c.mi_over_h_target is not None else None
        lin = c.linfoot.value if c.linfoot is not None else None
        cmi = c.cmi_given_best.value if c.cmi_given_best is not None else None
        P.append(f"<tr><td class='num'>{c.rank}</td><td{sig}><code>{_e(c.name)}</code></td>"
                 f"<td title='{_e(c.rule)}'>{_e(c.type)}</td>"
                 f"{_td(mi.value)}<td class='num'>{_e(mi.ci_text())}</td>"
                 f"<td class='num'>{_e(mi.p_text())}</td>{_td(ratio)}{_td(lin)}{_td(cmi)}"
                 f"<td title='{_e(c.reason)}'>{_e(mi.estimator)}"
                 + (f" <span class='note'>CI: {_e(mi.ci_method)}</span>" if mi.ci_method else "") + "</td></tr>")
    for c in report.columns:
        if c.status == "ok" and c.rank is None:
            note = c.mi.note if c.mi is not None else ""
            P.append(f"<tr><td>—</td><td><code>{_e(c.name)}</code></td><td>{_e(c.type)}</td>"
                     f"<td colspan='7' class='note'>{_e(note)}</td></tr>")
    P.append("</tbody></table>")
    P.append(f'<p class="note">MI in {_e(u)}. CI: confidence interval of the MI estimate by half-sampling (the '
             "estimate on random halves of the rows, without replacement, reflected around the full-sample "
             "estimate); the reflection also removes the small-sample bias, so an interval need not contain the "
             "estimate. p-value: "
             "permutation test of independence, (1 + #null ≥ observed) / (1 + permutations); bold names have "
             "p ≤ 0.05. Linfoot r = √(1 − e<sup>−2I</sup>) (I in nats), |correlation| for Gaussian pairs. "
             "Hover a type for its rule, an estimator for why it was chosen.</p>")
    if report.best is not None:
        P.append(f'<p class="note">I(col; target | best): what a column still tells about the target once '
                 f"<code>{_e(report.best)}</code> is known.</p>")

    red = report.redundancy
    if red is not None:
        P.append(f"<h2>Redundancy among the top {len(red.features)} columns</h2>")
        P.append(_img(plot_heatmap(report), "pairwise MI heat-map of the top columns", "heatmap"))
        P.append('<table class="redundancy"><thead><tr><th></th>'
                 + "".join(f"<th><code>{_e(f)}</code></th>" for f in red.features) + "</tr></thead><tbody>")
        for f, row in zip(red.features, red.matrix):
            P.append(f"<tr><th><code>{_e(f)}</code></th>" + "".join(_td(v) for v in row) + "</tr>")
        P.append("</tbody></table>")
        P.append(f'<p class="note">Pairwise MI in {_e(red.unit)}; the diagonal is blank (I(X;X) = H(X), infinite '
                 "for a continuous X).</p>")
        for note in red.notes:
            P.append(f'<p class="note">{_e(note)}</p>')
    if report.mrmr:
        P.append("<h2>mRMR order</h2>")
        P.append('<table class="mrmr"><thead><tr><th>step</th><th>column</th>'
                 f"<th>score [{_e(u)}]</th><th>relevance [{_e(u)}]</th><th>mean redundancy [{_e(u)}]</th>"
                 "</tr></thead><tbody>")
        for i, st in enumerate(report.mrmr, 1):
            P.append(f"<tr><td class='num'>{i}</td><td><code>{_e(st.feature)}</code></td>{_td(st.score)}"
                     f"{_td(st.relevance)}{_td(st.mean_redundancy)}</tr>")
        P.append("</tbody></table>")
        P.append('<p class="note">Minimum redundancy, maximum relevance (Peng, Long &amp; Ding 2005): each step '
                 "picks the column with the largest relevance I(col; target) minus its mean MI with the columns "
                 "already picked.</p>")
    elif report.mrmr_note:
        P.append(f'<p class="note">mRMR: {_e(report.mrmr_note)}</p>')
    P.append("<h2>Columns: types and entropies</h2>")
    P.append('<table class="types"><thead><tr><th>column</th><th>type</th><th>rule</th><th>missing</th>'
             f"<th>distinct</th><th>entropy [{_e(u)}]</th><th>estimator</th><th>note</th></tr></thead><tbody>")
    for c in (report.target,) + tuple(report.columns):
        e = c.entropy
        name = f"<code>{_e(c.name)}</code>" + (" (target)" if c is report.target else "")
        P.append(f"<tr><td>{name}</td><td>{_e(c.type or c.status)}</td><td>{_e(c.rule)}</td>"
                 f"<td class='num'>{c.missing}</td><td class='num'>{c.distinct}</td>"
                 f"{_td(None if e is None else e.value)}<td>{_e(None if e is None else e.estimator)}</td>"
                 f"<td class='note'>{_e(_short_note(e))}</td></tr>")
    P.append("</tbody></table>")
    P.append('<p class="note">Entropy: Shannon entropy for discrete columns; for continuous ones the differential '
             "entropy, which depends on the column's units and can be negative.</p>")
    others = [c for c in report.columns if c.status != "ok"]
    if others:
        P.append('<h2 id="left-out">Columns left out</h2>')
        P.append('<table class="left-out"><thead><tr><th>column</th><th>status</th><th>rule</th><th>message</th>'
                 "</tr></thead><tbody>")
        for c in others:
            P.append(f"<tr class='flag'><td><code>{_e(c.name)}</code></td><td>{_e(c.status)}</td>"
                     f"<td>{_e(c.rule)}</td><td>{_e(c.message)}</td></tr>")
        P.append("</tbody></table>")
    if report.warnings:
        P.append("<h2>Notes</h2><ul class='notes'>")
        for w in report.warnings:
            P.append(f"<li class='note'>{_e(w)}</li>")
        P.append("</ul>")
    P.append("</body></html>")
    return "\n".join(P) + "\n"


# --------------------------------------------------------------------------------------------- writing
def parse_formats(formats) -> tuple:
    """Validate ``formats`` ("html,md,json" or a sequence); return them in a fixed order."""
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    formats = [str(f).lower() for f in formats]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        from ..exceptions import InvalidParameterError

        raise InvalidParameterError(
            f"`formats` must be a non-empty subset of {{'html', 'md', 'json'}} (e.g. 'html,md'); got {bad or formats}"
        )
    return tuple(f for f in FORMATS if f in formats)


def write_report(report, out_dir, formats=FORMATS, *, stem: str = "report") -> dict:
    """Render every format in memory, then write each file atomically into ``out_dir``."""
    formats = parse_formats(formats)
    out_dir = os.fspath(out_dir)
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise InvalidTableError(f"the output folder `{out_dir}` is a file; pass a folder (--out DIR)")
    rendered = {}
    for f in formats:  # everything rendered before anything is written
        if f == "html":
            rendered[f] = report.to_html().encode("utf-8")
        elif f == "md":
            rendered[f] = report.to_markdown().encode("utf-8")
        else:
            rendered[f] = report.to_json().encode("utf-8")
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        raise InvalidTableError(f"cannot create the output folder `{out_dir}`: {exc.strerror or exc}") from None
    paths = {}
    for f, data in rendered.items():
        path = os.path.join(out_dir, f"{stem}.{f}")
        try:
            atomic_write(path, data)
        except OSError as exc:
            raise InvalidTableError(f"cannot write `{path}`: {exc.strerror or exc}") from None
        paths[f] = path
    return paths
