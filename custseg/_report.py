"""The HTML report of a fitted SegmentProfiler: one file, no network needed.

Tables are pandas' HTML (escaped); plots are PNG images embedded as base64
``data:`` URIs; the style sheet is inline. Each section is an ``<section>``
with a stable ``id`` so that the report can be checked and linked to.
"""

import base64
import html
import io

import numpy as np

from ._optional import import_optional
from .plotting import (
    plot_distinguishing_features,
    plot_profile_heatmap,
    plot_segment_sizes,
    plot_segments_2d,
)

SECTIONS = (
    ("personas", "Personas and recommended actions"),
    ("sizes", "Segment sizes"),
    ("profile", "Profile"),
    ("distinguishing", "Distinguishing answers"),
    ("map", "Map of the customers"),
    ("tests", "Tests of association"),
    ("rules", "Action rules"),
    ("columns", "Columns"),
)

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.5em; text-align: left; }
th { background: #f4f4f4; }
.persona { border-left: 4px solid #4a7ab5; padding: 0.2em 1em; margin: 1em 0; }
.note { color: #666; font-size: 0.9em; }
img { max-width: 100%; }
"""


def _table(frame, float_format="{:.4g}".format):
    return frame.to_html(
        escape=True, float_format=float_format, na_rep="", border=0, index=True
    )


def _figure_html(draw, size=(8, 4.5)):
    """Draw on a fresh matplotlib Figure and return it as an <img> tag."""
    figure_module = import_optional("matplotlib.figure")
    figure = figure_module.Figure(figsize=size, layout="constrained")
    draw(figure.subplots())
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="plot" src="data:image/png;base64,{data}">'


def _personas_html(profiler):
    parts = []
    for segment, persona in profiler.personas_.iterrows():
        actions = "".join(f"<li>{html.escape(a)}</li>" for a in persona["actions"])
        actions = actions or "<li>No action rule fired for this segment.</li>"
        parts.append(
            f'<div class="persona"><h3>Segment {html.escape(str(segment))}: '
            f"{html.escape(persona['name'])}</h3>"
            f"<p>{html.escape(persona['description'])}</p><ul>{actions}</ul></div>"
        )
    return "".join(parts)


def _map_space(profiler, X):
    from sklearn.pipeline import Pipeline

    from ._profile import _unfrozen

    segmenter = _unfrozen(profiler.segmenter_)
    if isinstance(segmenter, Pipeline) and len(segmenter) > 1:
        return np.asarray(segmenter[:-1].transform(X), dtype=np.float64)
    return np.asarray(X, dtype=np.float64)


def render_report(profiler, X=None, plots=True):
    """The report of a fitted profiler, as an HTML string."""
    if plots:
        import_optional("matplotlib")
    body = {}
    body["personas"] = _personas_html(profiler)
    sizes = profiler.sizes_.join(profiler.personas_["name"].rename("persona"))
    body["sizes"] = _table(sizes)
    if plots:
        body["sizes"] += _figure_html(lambda ax: plot_segment_sizes(profiler, ax=ax))
    body["profile"] = ""
    has_numbers = (
        profiler.profile_.loc[profiler.profile_["kind"] == "number", "std_difference"]
        .notna()
        .any()
    )
    if plots and has_numbers:
        body["profile"] += _figure_html(
            lambda ax: plot_profile_heatmap(profiler, ax=ax), size=(8, 6)
        )
    body["profile"] += _table(profiler.to_frame())
    distinguishing = []
    for segment in profiler.segments_:
        features = profiler.distinguishing_features(segment)
        distinguishing.append(f"<h3>Segment {html.escape(str(segment))}</h3>")
        if features.empty:
            distinguishing.append(
                '<p class="note">No answer differs significantly from the rest.</p>'
            )
            continue
        if plots:
            distinguishing.append(
                _figure_html(
                    lambda ax, s=segment: plot_distinguishing_features(
                        profiler, s, ax=ax
                    )
                )
            )
        distinguishing.append(_table(features))
    if profiler.surrogate_.get("balanced_accuracy") is not None:
        distinguishing.append(
            '<p class="note">Column importance: permutation importance of a '
            "gradient-boosting classifier predicting the segment from the raw "
            "columns (held-out balanced accuracy "
            f"{profiler.surrogate_['balanced_accuracy']:.3f}).</p>"
        )
    body["distinguishing"] = "".join(distinguishing)
    if X is None:
        body["map"] = (
            '<p class="note">Not drawn: call to_html(X=...) with the data.</p>'
        )
    elif not plots:
        body["map"] = '<p class="note">Not drawn: plots=False.</p>'
    else:
        space = _map_space(profiler, X)
        if (
            space.ndim == 2
            and space.shape[1] >= 2
            and len(space) == len(profiler.labels_)
        ):
            body["map"] = _figure_html(
                lambda ax: plot_segments_2d(space, profiler.labels_, ax=ax),
                size=(7, 5.5),
            )
        else:
            body["map"] = (
                '<p class="note">Not drawn: the segmenter sees fewer than two '
                "columns, or X is not the data the profiler was fitted on.</p>"
            )
    body["tests"] = _table(profiler.tests_.drop(columns=["n_missing"]))
    body["rules"] = _table(profiler.rules_)
    body["columns"] = _table(profiler.columns_)
    if not plots:
        body["sizes"] += '<p class="note">Plots left out (plots=False).</p>'
    sections = "".join(
        f'<section id="{key}"><h2>{title}</h2>{body[key]}</section>'
        for key, title in SECTIONS
    )
    n = int(profiler.sizes_["size"].sum())
    title = f"Segment report: {len(profiler.segments_)} segments of {n:,} customers"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{sections}</body></html>"
    )
