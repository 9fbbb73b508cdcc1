"""Inline SVG charts for the HTML brief: timeline, figures over time, places map.

Takes plain values (TimeML dates, numbers, coordinates, labels) and gives
``Markup`` holding one ``<svg>`` element, or None when there is nothing to
draw. Every piece of text goes in through ``Markup.format``, which escapes it,
so labels taken from articles stay text. Sizes are in CSS pixels; the SVGs
scale to the column width through their ``viewBox``.

The map is an equirectangular plot of the points over a labelled
latitude/longitude graticule, zoomed to the points' bounding box. It draws no
coastlines itself: a caller that has outlines passes an :data:`Underlay`
(the web app's :func:`newsdesk.web.basemap.layer`), drawn under the graticule.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup

from newsdesk.render.common import (
    MONTHS,
    fmt_date,
    fmt_number,
    shorten,
    timeml_interval,
)

WIDTH = 680
FONT = 11
CHAR_W = 6.1  # average advance of the 11px sans-serif used for labels
INK, MUTED, GRID, ACCENT, SOFT = "#2b2b2b", "#6b6b6b", "#e3e0da", "#3d5a80", "#98a9c0"


@dataclass(frozen=True)
class Event:
    date: str
    label: str
    tooltip: str


@dataclass(frozen=True)
class Point:
    value: float
    as_of: str | None
    tooltip: str


@dataclass(frozen=True)
class Pin:
    name: str
    lat: float
    lon: float
    tooltip: str


#: Draws under a places map's graticule, given the map's lon/lat box (lon_lo, lon_hi, lat_lo, lat_hi),
#: its plot rectangle (x, y, width, height) and its index among the story's maps (0: the overview).
Underlay = Callable[[tuple[float, float, float, float], tuple[float, float, float, float], int], Markup]


def _svg(width: float, height: float, label: str, body: list[Markup]) -> Markup:
    head = Markup(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{label}"'
        ' font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="{fs}">'
        "<title>{label}</title>"
    ).format(w=round(width), h=round(height), label=label, fs=FONT)
    return head + Markup("").join(body) + Markup("</svg>")


def _text(
    x: float,
    y: float,
    text: str,
    anchor: str = "start",
    fill: str = INK,
    extra: str = "",
) -> Markup:
    return Markup(
        '<text x="{x:.1f}" y="{y:.1f}" text-anchor="{a}" fill="{f}"{extra}>{t}</text>'
    ).format(x=x, y=y, a=anchor, f=fill, extra=Markup(extra), t=text)


def _line(
    x1: float, y1: float, x2: float, y2: float, stroke: str = GRID, width: float = 1
) -> Markup:
    return Markup(
        '<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="{}"/>'
    ).format(x1, y1, x2, y2, stroke, width)


# ---- time axis ------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def time_ticks(lo: date, hi: date, most: int = 7) -> list[tuple[date, str]]:
    """Round calendar ticks between ``lo`` and ``hi``: days, months or years, at most ``most``."""
    span = max((hi - lo).days, 1)
    if span <= 120:
        step = next((s for s in (1, 2, 7, 14, 28) if span / s <= most), 28)
        first = (
            lo if step < 7 else lo + timedelta(days=(7 - lo.weekday()) % 7)
        )  # weekly ticks on Mondays
        days = [first + timedelta(days=k * step) for k in range(span // step + 2)]
        return [(d, f"{d.day} {MONTHS[d.month - 1]}") for d in days if lo <= d <= hi]
    months = span / 30.44
    step = next(
        (s for s in (1, 2, 3, 6, 12, 24, 60, 120, 240, 600) if months / s <= most), 1200
    )
    first = _add_months(date(lo.year, lo.month, 1), 0 if lo.day == 1 else 1)
    while (first.year * 12 + first.month - 1) % step:
        first = _add_months(first, 1)
    ticks = []
    current = first
    while current <= hi:
        label = (
            str(current.year)
            if step >= 12
            else f"{MONTHS[current.month - 1]} {current.year}"
        )
        ticks.append((current, label))
        current = _add_months(current, step)
    return ticks


class _TimeScale:
    def __init__(self, lo: date, hi: date, x0: float, x1: float) -> None:
        pad = max((hi - lo).days * 0.04, 1.0)
        self.lo = lo.toordinal() - pad
        self.hi = hi.toordinal() + 1 + pad
        self.x0, self.x1 = x0, x1

    def x(self, day: date, end: bool = False) -> float:
        t = day.toordinal() + (1 if end else 0)
        return self.x0 + (t - self.lo) / (self.hi - self.lo) * (self.x1 - self.x0)

    def mid(self, first: date, last: date) -> float:
        return (self.x(first) + self.x(last, end=True)) / 2


def _axis(
    scale: _TimeScale, lo: date, hi: date, y: float, bottom: float
) -> list[Markup]:
    parts = [_line(scale.x0, y, scale.x1, y, MUTED)]
    for day, label in time_ticks(lo, hi):
        x = scale.x(day)
        parts.append(_line(x, y, x, bottom))
        parts.append(_text(x, y - 6, label, "middle", MUTED))
    return parts


# ---- timeline -------------------------------------------------------------------


def timeline_chart(events: list[Event]) -> Markup | None:
    """Dated events as rows under a time axis: a dot for a day, a bar for a longer period."""
    dated = [(timeml_interval(e.date), e) for e in events]
    rows = sorted(
        ((span, e) for span, e in dated if span is not None),
        key=lambda r: (r[0][0], r[0][1]),
    )
    if not rows:
        return None
    lo, hi = min(s[0] for s, _ in rows), max(s[1] for s, _ in rows)
    top, row_h, left, right = 34, 22, 12, WIDTH - 12
    height = top + row_h * len(rows) + 10
    scale = _TimeScale(lo, hi, left, right)
    body = _axis(scale, lo, hi, top - 14, height - 6)
    for i, ((first, last), event) in enumerate(rows):
        y = top + row_h * i + row_h / 2
        x0, x1 = scale.x(first), scale.x(last, end=True)
        if last > first and x1 - x0 >= 6:
            body.append(
                Markup(
                    '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="8" rx="4" fill="{}"/>'
                ).format(x0, y - 4, x1 - x0, SOFT)
            )
        cx = (x0 + x1) / 2
        body.append(
            Markup(
                '<circle cx="{:.1f}" cy="{:.1f}" r="4" fill="{}"><title>{}</title></circle>'
            ).format(cx, y, ACCENT, event.tooltip)
        )
        # Labels go to the side with more room, cut to fit it.
        if cx < (left + right) / 2:
            room, anchor, tx = right - max(x1, cx) - 10, "start", max(x1, cx) + 8
        else:
            room, anchor, tx = min(x0, cx) - left - 10, "end", min(x0, cx) - 8
        label = shorten(event.label, max(int(room / CHAR_W), 8))
        body.append(_text(tx, y + 4, label, anchor, INK, Markup(' class="lbl"')))
    return _svg(WIDTH, height, "Timeline of dated events", body)


# ---- figures over time ----------------------------------------------------------


def nice_step(span: float, most: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving at most ``most`` intervals."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / most
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw * (1 - 1e-9):
            return factor * power
    return 10 * power


def series_chart(quantity: str, points: list[Point]) -> Markup | None:
    """One quantity's values at their as-of dates, as points joined by a line, y from zero."""
    dated = [(timeml_interval(p.as_of), p) for p in points]
    rows = sorted(((s, p) for s, p in dated if s is not None), key=lambda r: r[0][0])
    if not rows:
        return None
    height, left, right, top, bottom = 220, 58, WIDTH - 24, 28, 220 - 46
    lo, hi = min(s[0] for s, _ in rows), max(s[1] for s, _ in rows)
    scale = _TimeScale(lo, hi, left + 10, right - 10)
    high = max(max(p.value for _, p in rows), 0.0)
    low = min(min(p.value for _, p in rows), 0.0)
    step = nice_step(high - low if high > low else max(abs(high), 1.0))
    vmin = math.floor(low / step) * step
    vmax = max(math.ceil(high / step) * step, vmin + step)
    if vmax - high < step * 0.15:  # leave room above the top point for its label
        vmax += step

    def y(value: float) -> float:
        return bottom - (value - vmin) / (vmax - vmin) * (bottom - top)

    body = [
        _text(
            left - 50,
            14,
            quantity,
            "start",
            INK,
            Markup(' font-weight="600" font-size="12"'),
        )
    ]
    for k in range(round((vmax - vmin) / step) + 1):
        value = vmin + step * k
        body.append(_line(left, y(value), right, y(value)))
        body.append(
            _text(left - 6, y(value) + 4, fmt_number(round(value, 6)), "end", MUTED)
        )
    body.append(_line(left, bottom, right, bottom, MUTED))
    coords = [(scale.mid(*s), y(p.value), s, p) for s, p in rows]
    # Values reported for the same date are drawn as points; the line runs through their median.
    by_x: dict[float, list[float]] = {}
    for cx, cy, _, _ in coords:
        by_x.setdefault(round(cx, 1), []).append(cy)
    if len(by_x) > 1:
        path = " ".join(
            f"{x:.1f},{statistics.median(ys):.1f}" for x, ys in sorted(by_x.items())
        )
        body.append(
            Markup(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>'
            ).format(path, ACCENT)
        )
    labelled: set[str] = set()
    value_boxes: list[tuple[float, float, float, float]] = []
    last_label_end = (
        -math.inf
    )  # dates too close to the previous label are left to the tooltip
    for cx, cy, (first, last), point in coords:
        if last > first:
            body.append(_line(scale.x(first), cy, scale.x(last, end=True), cy, SOFT, 3))
        body.append(
            Markup(
                '<circle cx="{:.1f}" cy="{:.1f}" r="4.5" fill="{}"><title>{}</title></circle>'
            ).format(cx, cy, ACCENT, point.tooltip)
        )
        value = fmt_number(point.value)
        box = (
            cx - len(value) * CHAR_W / 2,
            cy - 20,
            cx + len(value) * CHAR_W / 2,
            cy - 6,
        )
        if not _overlaps(box, value_boxes):
            value_boxes.append(box)
            body.append(
                _text(cx, cy - 9, value, "middle", INK, Markup(' font-weight="600"'))
            )
        label = fmt_date(point.as_of)
        half = len(label) * CHAR_W / 2 + 6
        if point.as_of and point.as_of not in labelled and cx - half >= last_label_end:
            labelled.add(point.as_of)
            last_label_end = cx + half
            body.append(_line(cx, bottom, cx, bottom + 4, MUTED))
            body.append(_text(cx, bottom + 17, label, "middle", MUTED))
    undated = len(points) - len(rows)
    if undated:
        note = f"{undated} value{'s' if undated != 1 else ''} without a date not shown"
        body.append(
            _text(
                left, height - 8, note, "start", MUTED, Markup(' font-style="italic"')
            )
        )
    return _svg(WIDTH, height, f"{quantity} over time", body)


# ---- places map -----------------------------------------------------------------


def _grid_step(span: float) -> float:
    return next((s for s in (0.5, 1, 2, 5, 10, 15, 30, 45, 60) if span / s <= 6), 90)


def _degrees(value: float, positive: str, negative: str) -> str:
    text = f"{abs(value):g}°"
    return text if value == 0 else text + (positive if value > 0 else negative)


def _bbox(pins: list[Pin]) -> tuple[float, float, float, float]:
    """Lon/lat box around the pins with padding, at least 4° across, between a strip and a square."""
    lats = [p.lat for p in pins]
    lons = [p.lon for p in pins]
    lat_mid = (min(lats) + max(lats)) / 2
    lon_mid = (min(lons) + max(lons)) / 2
    kx = max(
        math.cos(math.radians(lat_mid)), 0.2
    )  # a degree of longitude shrinks away from the equator
    lon_span = max((max(lons) - min(lons)) * 1.3, 4.0)
    lat_span = max((max(lats) - min(lats)) * 1.3, 4.0 * kx)
    # Height over width on the page is lat_span / (lon_span * kx); keep it in [0.45, 0.62].
    lon_span = max(lon_span, lat_span / (0.62 * kx))
    lat_span = max(lat_span, 0.45 * lon_span * kx)
    lat_lo, lat_hi = (
        max(lat_mid - lat_span / 2, -90.0),
        min(lat_mid + lat_span / 2, 90.0),
    )
    return lon_mid - lon_span / 2, lon_mid + lon_span / 2, lat_lo, lat_hi


def _overlaps(
    box: tuple[float, float, float, float],
    boxes: list[tuple[float, float, float, float]],
) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in boxes)


def _valid(pins: list[Pin]) -> list[Pin]:
    return [
        p
        for p in pins
        if math.isfinite(p.lat)
        and math.isfinite(p.lon)
        and abs(p.lat) <= 90
        and abs(p.lon) <= 180
    ]


def places_map(pins: list[Pin]) -> Markup | None:
    """The pins on an equirectangular plot zoomed to their bounding box, with a graticule."""
    maps = places_maps(pins)
    return maps[0] if maps else None


def places_maps(pins: list[Pin], underlay: Underlay | None = None) -> list[Markup]:
    """The overview map, plus a detail map of the biggest cluster when the overview hides its labels;
    ``underlay`` (coastlines, say) is drawn under each map's graticule."""
    pins = _valid(pins)
    if not pins:
        return []
    overview, hidden = _draw_map(pins, "Map of places named in the story", underlay, 0)
    maps = [overview]
    cluster = _largest_cluster(pins)
    if hidden and 1 < len(cluster) < len(pins):
        maps.append(_draw_map(cluster, "Detail map of the densest group of places", underlay, 1)[0])
    return maps


def _largest_cluster(pins: list[Pin]) -> list[Pin]:
    """Single-link groups of pins closer than an eighth of the whole spread (at least 1 degree)."""
    spread = max(
        max(p.lon for p in pins) - min(p.lon for p in pins),
        max(p.lat for p in pins) - min(p.lat for p in pins),
    )
    reach = max(spread / 8, 1.0)
    groups: list[list[Pin]] = []
    for pin in sorted(pins, key=lambda p: (p.lon, p.lat, p.name)):
        near = [
            g
            for g in groups
            if any(
                abs(pin.lat - q.lat) <= reach and abs(pin.lon - q.lon) <= reach
                for q in g
            )
        ]
        merged = [pin] + [q for g in near for q in g]
        groups = [g for g in groups if g not in near] + [merged]
    return max(groups, key=len)


def _draw_map(pins: list[Pin], title: str, underlay: Underlay | None, index: int) -> tuple[Markup, int]:
    box = _bbox(pins)
    lon_lo, lon_hi, lat_lo, lat_hi = box
    kx = max(math.cos(math.radians((lat_lo + lat_hi) / 2)), 0.2)
    margin, left = 24, 44  # room on the left for latitude labels
    inner_w = WIDTH - left - 16
    px_per_deg = inner_w / (lon_hi - lon_lo)
    inner_h = min(max((lat_hi - lat_lo) / kx * px_per_deg, 180.0), 460.0)
    height = inner_h + 2 * margin

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (
            left + (lon - lon_lo) / (lon_hi - lon_lo) * inner_w,
            margin + (lat_hi - lat) / (lat_hi - lat_lo) * inner_h,
        )

    body = [
        Markup(
            '<rect x="{x}" y="{m}" width="{w:.1f}" height="{h:.1f}" fill="#f7f5f0" stroke="{g}"/>'
        ).format(x=left, m=margin, w=inner_w, h=inner_h, g=GRID)
    ]
    if underlay is not None:
        # The rectangle as the markup above holds it, to the tenth of a pixel.
        rect = (float(left), float(margin), round(float(inner_w), 1), round(inner_h, 1))
        body.append(underlay(box, rect, index))
    step = _grid_step(max(lon_hi - lon_lo, lat_hi - lat_lo))
    lon = math.ceil(lon_lo / step) * step
    while lon <= lon_hi:
        x, _ = xy(lat_lo, lon)
        body += [
            _line(x, margin, x, margin + inner_h),
            _text(x, height - margin + 15, _degrees(lon, "E", "W"), "middle", MUTED),
        ]
        lon += step
    lat = math.ceil(lat_lo / step) * step
    while lat <= lat_hi:
        _, y = xy(lat, lon_lo)
        body += [
            _line(left, y, left + inner_w, y),
            _text(left - 5, y + 4, _degrees(lat, "N", "S"), "end", MUTED),
        ]
        lat += step
    placed: list[tuple[float, float, float, float]] = []
    dots = [(xy(p.lat, p.lon), p) for p in pins]
    for (x, y), pin in dots:
        placed.append((x - 5, y - 5, x + 5, y + 5))
    labels: list[Markup] = []
    hidden = 0
    for (x, y), pin in sorted(dots, key=lambda d: (d[0][1], d[0][0])):
        body.append(
            Markup(
                '<circle cx="{:.1f}" cy="{:.1f}" r="4.5" fill="{}" stroke="#fff" stroke-width="1.5">'
                "<title>{}</title></circle>"
            ).format(x, y, ACCENT, pin.tooltip)
        )
        name = shorten(pin.name, 28)
        w = len(name) * CHAR_W
        options = [
            (x + 8, y + 4, "start", (x + 7, y - 8, x + 9 + w, y + 6)),
            (x - 8, y + 4, "end", (x - 9 - w, y - 8, x - 7, y + 6)),
            (x, y - 9, "middle", (x - w / 2, y - 20, x + w / 2, y - 6)),
            (x, y + 17, "middle", (x - w / 2, y + 6, x + w / 2, y + 20)),
        ]
        inside = [o for o in options if o[3][0] >= 2 and o[3][2] <= WIDTH - 2]
        free = [o for o in inside if not _overlaps(o[3], placed)]
        if not free:
            hidden += 1  # a crowded label is left to the dot's tooltip and the list below the map
            continue
        tx, ty, anchor, box = free[0]
        placed.append(box)
        labels.append(_text(tx, ty, name, anchor, INK, Markup(' class="halo"')))
    return _svg(WIDTH, height, title, body + labels), hidden
