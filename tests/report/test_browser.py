"""Open the HTML report in headless Chromium (skipped when no Chromium / Chrome is installed)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

# A check run by the browser after the page loads: every image decoded to a non-empty bitmap, every table has
# rows. It is appended to a *copy* of the page (the report itself carries no script).
_PROBE = """
<script>
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images);
  var ok = imgs.map(function (i) { return i.complete && i.naturalWidth > 0 && i.naturalHeight > 0; });
  var rows = Array.prototype.slice.call(document.querySelectorAll("table")).map(function (t) {
    return t.rows.length; });
  var out = document.createElement("pre");
  out.id = "probe";
  out.textContent = "images=" + imgs.length + " decoded=" + ok.filter(Boolean).length +
                    " widths=" + imgs.map(function (i) { return i.naturalWidth; }).join(",") +
                    " tables=" + rows.length + " rows=" + rows.join(",");
  document.body.appendChild(out);
});
</script>
"""


def _browser():
    for name in _BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.skipif(_browser() is None, reason="no Chromium / Chrome on PATH")
def test_the_html_report_renders_its_tables_and_images_in_a_browser(tmp_path):
    from infokit.report import compute

    rng = np.random.default_rng(0)
    n = 300
    a = rng.normal(size=n)
    y = (a + rng.normal(size=n) > 0).astype(int)
    df = pd.DataFrame({"a": a, "b": rng.integers(0, 3, n), "c": a + 0.2 * rng.normal(size=n), "y": y})
    rep = compute(df, "y", permutations=5, bootstrap=5, top=3)
    page = tmp_path / "probe.html"
    page.write_text(rep.to_html().replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    cmd = [_browser(), "--headless", "--disable-gpu", "--no-sandbox", "--virtual-time-budget=10000",
           f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = re.search(r'<pre id="probe">images=(\d+) decoded=(\d+) widths=([\d,]*) tables=(\d+) rows=([\d,]*)</pre>',
                  proc.stdout)
    assert m, proc.stdout[-2000:]
    images, decoded, widths, tables, rows = m.groups()
    assert images == decoded == "2"  # the ranking bars and the heat-map, both decoded
    assert all(int(w) > 100 for w in widths.split(","))  # real plots, not 1-pixel placeholders
    # ranking, redundancy, mRMR, types: each with a header row and one row per column shown
    row_counts = [int(r) for r in rows.split(",")]
    assert int(tables) == 4 and row_counts == [1 + 3, 1 + 3, 1 + 3, 1 + 4]
