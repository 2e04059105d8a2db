"""Per-segment statistics of the raw answers: the rows of ``profile_``.

Every statistic comes from counts and sums per segment (``np.bincount``), so
profiling a million customers costs a few passes over each column. Three
kinds of rows:

- ``"number"``: numbers, ratings and ranks: mean, median, standard
  deviation (n - 1) and a t confidence interval of the mean;
- ``"answer"`` / ``"top answer"``: the share of the segment's answering
  members giving each answer (every answer of a nominal, ordinal or Likert
  column; the ``top_answers`` most frequent whole answers of free-text and
  multi-select columns);
- ``"option"``: the share choosing each option of a multi-select column.

Each row compares the segment with the whole population (``lift``,
``std_difference``) and with the rest of the customers (``effect``: Cohen's
d for numbers, Cohen's h for shares, both on the scale of a standardised
difference; ``p_value`` from Welch's t test or the two-proportion z test;
``p_adjusted`` by Benjamini-Hochberg within the segment).
"""

import numbers

import numpy as np
import pandas as pd
from scipy import stats

from ._significance import adjust_p_values, chi_square_table, group_tests

PROFILE_COLUMNS = [
    "segment",
    "column",
    "kind",
    "answer",
    "n",
    "count",
    "share",
    "population_share",
    "lift",
    "rest_share",
    "rank",
    "mean",
    "median",
    "std",
    "ci_low",
    "ci_high",
    "population_mean",
    "std_difference",
    "rest_mean",
    "effect",
    "p_value",
    "p_adjusted",
]


def profile_table(answers, codes, segments, *, confidence, top_answers):
    """The tidy profile: one row per segment and number, answer or option.

    Parameters
    ----------
    answers : dict of str to ColumnAnswers
        The columns, as read by ``custseg._answers.read_answers``.
    codes : ndarray of int of shape (n_samples,)
        Per row, the position of its segment in ``segments``.
    segments : ndarray
        The segment labels. A label -1 is the noise of density clusterers:
        it is profiled, but it is not part of "the rest" of any segment.
    confidence : float
        Level of the confidence interval of each mean.
    top_answers : int
        How many whole answers of free-text and multi-select columns to keep
        per segment.

    Returns
    -------
    profile : DataFrame
        Columns ``PROFILE_COLUMNS``.
    """
    n_segments = len(segments)
    assigned = np.array([not is_noise(s) for s in segments])
    frames = []
    for entry in answers.values():
        if entry.numbers is not None:
            frames.append(_number_rows(entry, codes, assigned, confidence))
        if entry.codes is not None:
            frames.append(_answer_rows(entry, codes, assigned, top_answers))
        if entry.options is not None:
            counts, answering = option_counts(entry, codes, n_segments)
            frames.append(
                _share_rows(
                    entry.column,
                    "option",
                    entry.option_names,
                    counts,
                    answering,
                    assigned,
                )
            )
    frames = [frame for frame in frames if len(frame)]
    if not frames:
        return pd.DataFrame(columns=PROFILE_COLUMNS)
    profile = pd.concat(frames, ignore_index=True)
    profile["segment"] = segments[profile["segment"].to_numpy()]
    profile["p_adjusted"] = np.nan
    compared = profile["kind"] != "top answer"
    for _, rows in profile[compared].groupby("segment", sort=False):
        profile.loc[rows.index, "p_adjusted"] = adjust_p_values(rows["p_value"])
    return profile.reindex(columns=PROFILE_COLUMNS)


def is_noise(segment):
    """Whether a segment label is -1, the noise of density clusterers."""
    return isinstance(segment, numbers.Integral | np.integer) and segment == -1


def _rest(totals, per_segment, assigned):
    """Per segment, the total over the other assigned segments."""
    return np.where(assigned, totals - per_segment, totals)


def _number_rows(entry, codes, assigned, confidence):
    n_segments = len(assigned)
    present = ~np.isnan(entry.numbers)
    c = codes[present]
    values = entry.numbers[present]
    # in units of the largest magnitude, around the mean: no overflow, no
    # cancellation, whatever the size of the numbers
    magnitude = float(np.max(np.abs(values))) if len(values) else 1.0
    magnitude = magnitude if np.isfinite(magnitude) and magnitude > 0 else 1.0
    centre = float(np.mean(values / magnitude)) if len(values) else np.nan
    x = values / magnitude - centre
    n = np.bincount(c, minlength=n_segments).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(c, x, minlength=n_segments) / n
        ss = np.bincount(c, (x - mean[c]) ** 2, minlength=n_segments)
        std = np.sqrt(ss / (n - 1))
        half = stats.t.ppf((1 + confidence) / 2, n - 1) * std / np.sqrt(n)
        population_std = (
            np.sqrt(float(((x - x.mean()) ** 2).sum()) / (len(x) - 1))
            if len(x) > 1
            else np.nan  # no spread of a single value
        )
        # the rest of a segment: the other assigned segments
        mean_0 = np.where(n > 0, mean, 0.0)
        others = assigned[None, :] & ~np.eye(n_segments, dtype=bool)
        others[~assigned] = assigned  # noise: its rest is every segment
        rest_n = others @ n
        rest_mean = (others @ (n * mean_0)) / rest_n
        spread = (mean_0[None, :] - rest_mean[:, None]) ** 2 * n[None, :]
        rest_ss = (others * (ss[None, :] + spread)).sum(axis=1)
        rest_std = np.sqrt(rest_ss / (rest_n - 1))
        pooled = np.sqrt((ss + rest_ss) / (n + rest_n - 2))
        difference = mean - rest_mean
        effect = difference / pooled
        p_value = stats.ttest_ind_from_stats(
            mean, std, n, rest_mean, rest_std, rest_n, equal_var=False
        ).pvalue
        std_difference = mean / population_std
    # no spread at all: a difference is infinitely large, no difference none
    separated = (pooled == 0) & (difference != 0) & np.isfinite(difference)
    effect[separated] = np.sign(difference[separated]) * np.inf
    effect[np.isnan(difference) | ((pooled == 0) & (difference == 0))] = np.nan
    if not np.isfinite(population_std) or population_std == 0:
        std_difference = np.full(n_segments, np.nan)
    medians = pd.Series(x).groupby(c).median().reindex(range(n_segments)).to_numpy()

    def level(values):  # back to the column's units
        return (values + centre) * magnitude

    return pd.DataFrame(
        {
            "segment": np.arange(n_segments),
            "column": entry.column,
            "kind": "number",
            "answer": None,
            "n": n.astype(np.int64),
            "mean": level(mean),
            "median": level(medians),
            "std": std * magnitude,
            "ci_low": level(mean - half),
            "ci_high": level(mean + half),
            "population_mean": level(0.0),
            "std_difference": std_difference,
            "rest_mean": level(rest_mean),
            "effect": effect,
            "p_value": p_value,
        }
    )


def _share_rows(column, kind, names, counts, answering, assigned):
    """Rows comparing per-segment counts of answers or options.

    ``counts`` has shape (n_segments, n_answers); ``answering`` the number
    of members of each segment who answered the column. The population is
    every customer; the rest of a segment, the other assigned segments.
    """
    n_segments, n_answers = counts.shape
    total, column_total = answering.sum(), counts.sum(axis=0)
    rest_n = _rest(answering[assigned].sum(), answering, assigned)[:, None]
    rest_counts = _rest(
        counts[assigned].sum(axis=0)[None, :], counts, assigned[:, None]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        share = counts / answering[:, None]
        population_share = column_total / total
        lift = share / population_share
        rest_share = rest_counts / rest_n
        effect = 2 * np.arcsin(np.sqrt(share)) - 2 * np.arcsin(np.sqrt(rest_share))
        pooled = (counts + rest_counts) / (answering[:, None] + rest_n)
        se = np.sqrt(pooled * (1 - pooled) * (1 / answering[:, None] + 1 / rest_n))
        z = (share - rest_share) / se
        p_value = 2 * stats.norm.sf(np.abs(z))
    p_value[(se == 0) & (share == rest_share)] = 1.0
    order = np.argsort(-counts, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(1, n_answers + 1)[None, :], axis=1)
    return pd.DataFrame(
        {
            "segment": np.repeat(np.arange(n_segments), n_answers),
            "column": column,
            "kind": kind,
            "answer": np.tile(np.asarray(names, dtype=object), n_segments),
            "n": np.repeat(answering, n_answers).astype(np.int64),
            "count": counts.ravel().astype(np.int64),
            "share": share.ravel(),
            "population_share": np.tile(population_share, n_segments),
            "lift": lift.ravel(),
            "rest_share": rest_share.ravel(),
            "rank": rank.ravel(),
            "effect": effect.ravel(),
            "p_value": p_value.ravel(),
        }
    )


def answer_counts(entry, codes, n_segments):
    """Counts of each (segment, answer), shape (n_segments, n_levels)."""
    n_levels = len(entry.levels)
    given = entry.codes >= 0
    flat = codes[given] * n_levels + entry.codes[given]
    counts = np.bincount(flat, minlength=n_segments * n_levels)
    return counts.reshape(n_segments, n_levels).astype(np.float64)


def option_counts(entry, codes, n_segments):
    """Counts of each (segment, option) and of answering members per segment."""
    answered = entry.answered
    c = codes[answered]
    chosen = entry.options[answered]
    counts = np.column_stack(
        [
            np.bincount(c, chosen[:, j], minlength=n_segments)
            for j in range(chosen.shape[1])
        ]
    )
    return counts, np.bincount(c, minlength=n_segments).astype(np.float64)


def _answer_rows(entry, codes, assigned, top_answers):
    counts = answer_counts(entry, codes, len(assigned))
    kind = "answer" if entry.every_level else "top answer"
    rows = _share_rows(
        entry.column, kind, entry.levels, counts, counts.sum(axis=1), assigned
    )
    if not entry.every_level:
        rows = rows[(rows["rank"] <= top_answers) & (rows["count"] > 0)]
        rows = rows.sort_values(["segment", "rank"], kind="stable")
    return rows


def association_table(answers, codes, segments):
    """Per column the tests of association with the segments.

    Chi-square with Cramer's V for nominal columns and for each option of a
    multi-select column; one-way ANOVA (eta squared) and Kruskal-Wallis
    (epsilon squared) for numbers, ratings and ranks. P-values are adjusted
    by Benjamini-Hochberg within each test; rows are ranked by effect size
    within each test. Rows of the noise label -1 are left out.
    """
    n_segments = len(segments)
    noise = [i for i, segment in enumerate(segments) if is_noise(segment)]
    if noise:  # the noise of density clusterers is no segment
        assigned = ~np.isin(codes, noise)
        codes = codes[assigned]
        answers = {name: _rows_of(entry, assigned) for name, entry in answers.items()}
    labels = codes  # the tests need groups, not their names
    rows = []
    for entry in answers.values():
        if entry.numbers is not None:
            for result in group_tests(entry.numbers, labels):
                rows.append({"column": entry.column, "answer": None, **result})
        if entry.codes is not None and entry.tested_by_answer:
            counts = answer_counts(entry, codes, n_segments)
            result = chi_square_table(counts.T, int((entry.codes < 0).sum()))
            rows.append({"column": entry.column, "answer": None, **result})
        if entry.options is not None:
            counts, answering = option_counts(entry, codes, n_segments)
            n_missing = int((~entry.answered).sum())
            for j, option in enumerate(entry.option_names):
                table = np.vstack([counts[:, j], answering - counts[:, j]])
                result = chi_square_table(table, n_missing)
                rows.append({"column": entry.column, "answer": option, **result})
    columns = [
        "column",
        "answer",
        "test",
        "statistic",
        "dof",
        "p_value",
        "p_adjusted",
        "effect",
        "effect_size",
        "rank",
        "n",
        "n_missing",
        "reason",
    ]
    if not rows:
        return pd.DataFrame(columns=columns)
    table = pd.DataFrame(rows)
    table["p_adjusted"] = np.nan
    for _, tests in table.groupby("test"):  # one family per kind of test
        table.loc[tests.index, "p_adjusted"] = adjust_p_values(tests["p_value"])
    table["rank"] = (
        table.groupby("test")["effect_size"]
        .rank(ascending=False, method="min")
        .astype("Int64")
    )
    table = table.sort_values(["test", "rank"], kind="stable", na_position="last")
    return table.reindex(columns=columns).reset_index(drop=True)


def _rows_of(entry, keep):
    """The answers of the rows in the boolean mask ``keep``."""
    from dataclasses import replace

    return replace(
        entry,
        numbers=None if entry.numbers is None else entry.numbers[keep],
        codes=None if entry.codes is None else entry.codes[keep],
        options=None if entry.options is None else entry.options[keep],
        answered=None if entry.answered is None else entry.answered[keep],
    )
