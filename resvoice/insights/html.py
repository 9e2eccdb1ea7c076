"""A self-contained HTML report of `CallStats`: inline CSS and SVG charts, nothing fetched.

Charts: calls per day, escalation reasons and latency distributions (histograms with the p50
and p95 marked). The page opens from a file, offline, in any browser.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from resvoice.insights.report import NO_SESSIONS, pct
from resvoice.insights.stats import CallStats, Latency

__all__ = ["render_html"]

_W, _H, _PAD = 560, 220, 36
_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:62rem;
color:#1d2530;background:#fbfaf7}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{background:#fff;border:1px solid #e3e0d8;
border-radius:8px;padding:.7rem 1rem;min-width:10rem}.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #e3e0d8;padding:.3rem .7rem;
text-align:right}td:first-child,th:first-child{text-align:left}svg{background:#fff;
border:1px solid #e3e0d8;border-radius:8px}svg text{font-size:11px;fill:#1d2530}
.muted{color:#6b7280}
"""


def render_html(stats: CallStats, *, title: str = "resvoice: how the phone agent is doing") -> str:
    """The whole page as one string."""
    head = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{_e(title)}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{_e(title)}</h1>"
    )
    if stats.empty:
        return head + f"<p>{_e(NO_SESSIONS)}</p></body></html>"
    since = f"since {stats.since:%Y-%m-%d}" if stats.since else "all stored calls"
    parts = [head, f"<p class=muted>{_e(since)}, {stats.sessions} calls</p>", _cards(stats)]
    parts.append("<h2>Calls per day</h2>")
    parts.append(_bars(list(stats.calls_per_day.items()), "calls per day"))
    parts.append("<h2>Escalation reasons</h2>")
    reasons = [(k.replace("_", " "), v) for k, v in stats.escalation_reasons.items()]
    parts.append(_hbars(reasons, "escalation reasons"))
    parts.append("<h2>Latency</h2>")
    series: list[tuple[str, Latency]] = [
        (name, s)
        for name, s in (
            ("RAG retrieval", stats.rag_latency_ms),
            ("SQL availability", stats.sql_latency_ms),
        )
        if s is not None
    ]
    series += [(f"voice {k.replace('_', ' ')}", v) for k, v in stats.voice_latency_ms.items()]
    if not series:
        parts.append("<p class=muted>no latency samples yet</p>")
    for name, latency in series:
        parts.append(f"<h3>{_e(name)}</h3>")
        parts.append(_histogram(latency, name))
    parts.append(_latency_table(series))
    parts.append("</body></html>")
    return "".join(parts)


def _cards(stats: CallStats) -> str:
    pickup = "n/a" if stats.pickup_s is None else f"{stats.pickup_s.p50:.0f} s"
    duration = "n/a" if stats.average_duration_s is None else f"{stats.average_duration_s:.0f} s"
    items = [
        ("calls", str(stats.sessions)),
        ("reservation made", pct(stats.completion_rate)),
        ("all details captured", pct(stats.complete_share)),
        (
            "fields per turn",
            "n/a" if stats.fields_per_turn is None else f"{stats.fields_per_turn:.2f}",
        ),
        ("most often missing", stats.most_missing_field or "none"),
        ("escalated", pct(stats.escalation_rate)),
        ("time to pickup p50", pickup),
        ("average call", duration),
    ]
    cards = "".join(
        f"<div class=card>{_e(label)}<b>{_e(value)}</b></div>" for label, value in items
    )
    return f"<div class=cards>{cards}</div>"


def _bars(points: Sequence[tuple[str, int]], label: str) -> str:
    """Vertical bars, one per labelled count."""
    top = max((v for _, v in points), default=0) or 1
    n = max(len(points), 1)
    slot = (_W - 2 * _PAD) / n
    body: list[str] = []
    for i, (name, value) in enumerate(points):
        height = (_H - 2 * _PAD) * value / top
        x = _PAD + i * slot + slot * 0.15
        y = _H - _PAD - height
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}" '
            f'fill="#2f6f8f"><title>{_e(name)}: {value}</title></rect>'
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle">{value}</text>'
        )
        if n <= 16 or i % max(1, n // 8) == 0:
            body.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{_H - _PAD + 14}" '
                f'text-anchor="middle">{_e(name[5:] if n > 6 and len(name) == 10 else name)}</text>'
            )
    return _svg(label, body)


def _hbars(points: Sequence[tuple[str, int]], label: str) -> str:
    """Horizontal bars with the label on the left."""
    top = max((v for _, v in points), default=0) or 1
    row = (_H - 2 * 12) / max(len(points), 1)
    left = 120
    body: list[str] = []
    for i, (name, value) in enumerate(points):
        width = (_W - left - _PAD) * value / top
        y = 12 + i * row
        body.append(
            f'<text x="{left - 6}" y="{y + row * 0.6:.1f}" text-anchor="end">{_e(name)}</text>'
            f'<rect x="{left}" y="{y + row * 0.15:.1f}" width="{width:.1f}" '
            f'height="{row * 0.7:.1f}" fill="#c2672f"><title>{_e(name)}: {value}</title></rect>'
            f'<text x="{left + width + 4:.1f}" y="{y + row * 0.6:.1f}">{value}</text>'
        )
    return _svg(label, body)


def _histogram(latency: Latency, label: str, bins: int = 20) -> str:
    """A histogram of the samples with the p50 and p95 drawn as lines."""
    low, high = latency.values[0], latency.values[-1]
    span = (high - low) or 1.0
    counts = [0] * bins
    for value in latency.values:
        counts[min(bins - 1, int((value - low) / span * bins))] += 1
    top = max(counts) or 1
    width = (_W - 2 * _PAD) / bins
    body: list[str] = []
    for i, count in enumerate(counts):
        height = (_H - 2 * _PAD) * count / top
        edge = low + span * i / bins
        body.append(
            f'<rect x="{_PAD + i * width:.1f}" y="{_H - _PAD - height:.1f}" '
            f'width="{width * 0.9:.1f}" height="{height:.1f}" fill="#4f8f5f">'
            f"<title>{edge:.1f} ms and up: {count}</title></rect>"
        )
    marks = (("p50", latency.p50, "#1d2530", 12), ("p95", latency.p95, "#b02a2a", 26))
    for name, value, colour, y in marks:
        x = _PAD + (value - low) / span * (_W - 2 * _PAD)
        # labels on two rows so close percentiles stay readable; right-aligned near the edge
        anchor, dx = ("end", -3) if x > _W * 0.75 else ("start", 3)
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 8}" y2="{_H - _PAD}" stroke="{colour}" '
            f'stroke-dasharray="4 3"/><text x="{x + dx:.1f}" y="{y}" text-anchor="{anchor}" '
            f'fill="{colour}">{name} {value:.1f} ms</text>'
        )
    body.append(f'<text x="{_PAD}" y="{_H - 8}">{low:.1f} ms</text>')
    body.append(f'<text x="{_W - _PAD}" y="{_H - 8}" text-anchor="end">{high:.1f} ms</text>')
    return _svg(f"{label} latency distribution", body)


def _latency_table(series: Sequence[tuple[str, Latency]]) -> str:
    rows = "".join(
        f"<tr><td>{_e(name)}</td><td>{s.samples}</td><td>{s.p50:.1f}</td><td>{s.p95:.1f}</td>"
        f"<td>{s.p99:.1f}</td></tr>"
        for name, s in series
    )
    head = "<tr><th>stage</th><th>samples</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th></tr>"
    return f"<table>{head}{rows}</table>"


def _svg(label: str, body: Sequence[str]) -> str:
    return (
        f'<svg viewBox="0 0 {_W} {_H}" width="{_W}" '
        f'height="{_H}" role="img" aria-label="{_e(label)}">{"".join(body)}</svg>'
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)
