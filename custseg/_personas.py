"""Personas: a name, a description and recommended actions per segment.

Everything here is read off the profile (``SegmentProfiler.profile_``): a
persona is named after the answers that set its segment apart from the rest
of the customers most strongly (largest ``|effect|`` among the significant
ones), described in a paragraph of those answers with their figures, and
given the actions of the rules it triggers.

The action rules are data, not code: each is a dict that names the columns
it applies to by a regular expression, the signal that triggers it and the
text of the action. :data:`DEFAULT_ACTION_RULES` is the documented default;
``SegmentProfiler(action_rules=...)`` replaces it. A rule that matches no
column is skipped and reported, never applied to invented values.
"""

import re

import numpy as np
import pandas as pd

from ._segment_stats import is_noise
from ._validation import format_values
from .exceptions import InvalidInputError

#: The default action rules (see ``docs/segment_profiler.md``). Each rule:
#:
#: - ``name``: how the action is labelled;
#: - ``columns``: a regular expression searched in the lower-cased column
#:   names;
#: - ``signal``: ``"high"`` or ``"low"`` (a number whose segment mean is at
#:   least ``threshold`` standard deviations above or below the rest: Cohen's
#:   d) or ``"over"`` (answers or options the segment gives at least
#:   ``threshold`` times as often as the rest);
#: - ``threshold``: as above;
#: - ``action``: the text; ``{evidence}`` is replaced by the figures that
#:   triggered it.
#:
#: A signal also needs a Benjamini-Hochberg adjusted p-value below the
#: profiler's ``alpha``.
DEFAULT_ACTION_RULES = (
    {
        "name": "loyalty",
        "columns": r"satisf|loyal|\bnps\b|promoter",
        "signal": "high",
        "threshold": 0.5,
        "action": "Reward and retain: loyalty programme, referral incentives, early "
        "access ({evidence}).",
    },
    {
        "name": "win-back",
        "columns": r"satisf|loyal|\bnps\b|promoter",
        "signal": "low",
        "threshold": 0.5,
        "action": "Win back before they leave: ask what went wrong, fix it, follow "
        "up with a personal offer ({evidence}).",
    },
    {
        "name": "win-back (lapsing)",
        "columns": r"recency|days_since|since_last",
        "signal": "high",
        "threshold": 0.5,
        "action": "Re-engage lapsing customers with a reminder or a time-limited "
        "offer ({evidence}).",
    },
    {
        "name": "cross-sell",
        "columns": r"categor|department",
        "signal": "over",
        "threshold": 1.25,
        "action": "Cross-sell within what this segment over-buys, and the "
        "neighbouring ranges ({evidence}).",
    },
    {
        "name": "service attention",
        "columns": r"support|ticket|complain|contact|return",
        "signal": "high",
        "threshold": 0.5,
        "action": "Give service attention: proactive support, a named contact, "
        "root-cause fixes ({evidence}).",
    },
)

_RULE_KEYS = {"name", "columns", "signal", "threshold", "action"}
_SIGNALS = {"high": "number", "low": "number", "over": "share"}

# How many answers make a persona's name and description.
NAME_ANSWERS = 2
DESCRIPTION_ANSWERS = 4


def check_action_rules(rules):
    """Validate ``action_rules``; return them as a list of dicts."""
    who = "SegmentProfiler.fit"
    if isinstance(rules, dict) or not isinstance(rules, list | tuple):
        raise InvalidInputError(
            f"{who}: action_rules must be a list of dicts (see "
            f"custseg.DEFAULT_ACTION_RULES); got {type(rules).__name__}."
        )
    checked = []
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict) or set(rule) != _RULE_KEYS:
            found = sorted(rule) if isinstance(rule, dict) else type(rule).__name__
            raise InvalidInputError(
                f"{who}: action_rules[{i}] must be a dict with the keys "
                f"{format_values(sorted(_RULE_KEYS))}; got {found!r}."
            )
        if rule["signal"] not in _SIGNALS:
            raise InvalidInputError(
                f"{who}: action_rules[{i}] ({rule['name']!r}) has the signal "
                f"{rule['signal']!r}; expected one of {format_values(list(_SIGNALS))}."
            )
        try:
            re.compile(rule["columns"])
        except (re.error, TypeError) as exc:
            raise InvalidInputError(
                f"{who}: action_rules[{i}] ({rule['name']!r}) has columns="
                f"{rule['columns']!r}, not a valid regular expression: {exc}."
            ) from exc
        threshold = rule["threshold"]
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            raise InvalidInputError(
                f"{who}: action_rules[{i}] ({rule['name']!r}) has threshold="
                f"{threshold!r}; expected a number."
            )
        checked.append(dict(rule))
    return checked


def _readable(column):
    return str(column).replace("_", " ").strip()


def _phrase(row):
    """A few words for one distinguishing row, for a persona's name."""
    column = _readable(row["column"])
    if row["kind"] == "number":
        return f"{'high' if row['effect'] > 0 else 'low'} {column}"
    return f"{column}: {row['answer']}"


def _figure(row):
    """The figures behind one distinguishing row, for a description."""
    column = _readable(row["column"])
    if row["kind"] == "number":
        direction = "higher" if row["effect"] > 0 else "lower"
        return (
            f"{direction} {column} (mean {row['mean']:.3g} against "
            f"{row['rest_mean']:.3g})"
        )
    direction = "more" if row["effect"] > 0 else "less"
    what = "choose" if row["kind"] == "option" else "answer"
    return (
        f"{direction} often {what} {row['answer']!r} for {column} "
        f"({row['share']:.0%} against {row['rest_share']:.0%})"
    )


def distinguishing_rows(profile, segment, alpha):
    """Rows of ``segment`` that differ from the rest, strongest first."""
    rows = profile[
        (profile["segment"] == segment)
        & (profile["kind"] != "top answer")
        & (profile["p_adjusted"] < alpha)
        & profile["effect"].notna()
    ]
    order = rows["effect"].abs().sort_values(ascending=False, kind="stable").index
    return rows.loc[order]


def _one_per_column(rows):
    """The strongest row of each column, numbers before their own answers."""
    numbers = set(rows.loc[rows["kind"] == "number", "column"])
    keep = (rows["kind"] == "number") | ~rows["column"].isin(numbers)
    return rows[keep].drop_duplicates("column")


def personas_table(profile, sizes, alpha):
    """One row per segment: ``name``, ``size``, ``share``, ``description``.

    The name joins the ``NAME_ANSWERS`` strongest differences, one per
    column: numbers in either direction ("high satisfaction"), answers and
    options the segment gives more often than the rest. The description
    gives the figures of the ``DESCRIPTION_ANSWERS`` strongest, one per
    column.
    """
    rows = []
    for segment, size in sizes["size"].items():
        share = sizes.loc[segment, "share"]
        strongest = _one_per_column(distinguishing_rows(profile, segment, alpha))
        namers = strongest[(strongest["kind"] == "number") | (strongest["effect"] > 0)]
        if is_noise(segment):
            name = "Unassigned (noise)"
        elif len(namers):
            name = ", ".join(
                _phrase(r) for _, r in namers.head(NAME_ANSWERS).iterrows()
            )
            name = name[0].upper() + name[1:]
        else:
            name = f"Segment {segment}"
        head = f"{size:,} customers ({share:.1%})."
        if len(strongest):
            figures = [
                _figure(row)
                for _, row in strongest.head(DESCRIPTION_ANSWERS).iterrows()
            ]
            body = (
                " Compared with the other customers they give "
                + "; ".join(figures)
                + "."
            )
        else:
            body = (
                " No answer sets them apart from the other customers at the "
                f"chosen significance level (alpha={alpha:g})."
            )
        rows.append(
            {
                "segment": segment,
                "name": name,
                "size": size,
                "share": share,
                "description": head + body,
            }
        )
    personas = pd.DataFrame(rows).set_index("segment")
    repeated = personas["name"].duplicated(keep=False)
    personas.loc[repeated, "name"] = [
        f"{name} (segment {segment})"
        for segment, name in personas.loc[repeated, "name"].items()
    ]
    return personas


def apply_action_rules(rules, profile, alpha):
    """Fire the rules on the profile.

    Returns
    -------
    actions : DataFrame
        One row per (segment, rule) fired: ``segment``, ``rule``,
        ``columns``, ``evidence``, ``action``.
    report : DataFrame
        One row per rule: the columns it matched, its ``status``
        ("applied", "not triggered" or "skipped") and why.
    """
    actions, report = [], []
    # the noise of density clusterers is no segment to act on
    noise = profile["segment"].map(is_noise).astype(bool)
    described = profile[(profile["kind"] != "top answer") & ~noise]
    for rule in rules:
        pattern = re.compile(rule["columns"])
        wanted = _SIGNALS[rule["signal"]]
        kinds = ["number"] if wanted == "number" else ["answer", "option"]
        candidates = described[described["kind"].isin(kinds)]
        matched = sorted(
            {c for c in candidates["column"].unique() if pattern.search(str(c).lower())}
        )
        if not matched:
            report.append(
                {
                    "rule": rule["name"],
                    "signal": rule["signal"],
                    "columns": [],
                    "status": "skipped",
                    "reason": f"no {'number' if wanted == 'number' else 'answer'} "
                    f"column matches {rule['columns']!r}",
                }
            )
            continue
        rows = candidates[candidates["column"].isin(matched)]
        rows = rows[rows["p_adjusted"] < alpha]
        if rule["signal"] == "high":
            fired = rows[rows["effect"] >= rule["threshold"]]
        elif rule["signal"] == "low":
            fired = rows[rows["effect"] <= -rule["threshold"]]
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = rows["share"] / rows["rest_share"]
            fired = rows[(ratio >= rule["threshold"]) & (rows["count"] > 0)]
        for segment, hits in fired.groupby("segment", sort=True):
            evidence = "; ".join(_figure(row) for _, row in hits.iterrows())
            actions.append(
                {
                    "segment": segment,
                    "rule": rule["name"],
                    "columns": sorted(hits["column"].unique()),
                    "evidence": evidence,
                    "action": rule["action"].replace("{evidence}", evidence),
                }
            )
        n_segments = fired["segment"].nunique()
        report.append(
            {
                "rule": rule["name"],
                "signal": rule["signal"],
                "columns": matched,
                "status": "applied" if n_segments else "not triggered",
                "reason": f"fired for {n_segments} segment(s)"
                if n_segments
                else f"no segment passes the threshold {rule['threshold']:g}",
            }
        )
    columns = ["segment", "rule", "columns", "evidence", "action"]
    return (
        pd.DataFrame(actions, columns=columns),
        pd.DataFrame(report, columns=["rule", "signal", "columns", "status", "reason"]),
    )
