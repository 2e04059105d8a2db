"""Tests of association between a column and segment labels, with effect sizes.

The statistics behind the segment profiles (``SegmentProfiler.tests_``):
chi-square with Cramer's V for answers without order, one-way ANOVA with eta
squared and Kruskal-Wallis with epsilon squared for numbers, ratings and
ranks, and Benjamini-Hochberg adjusted p-values across columns. Missing
answers are left out of a test and counted; a test that cannot be computed
(a constant column, a single segment) gives NaN and says why.
"""

import numpy as np
import pandas as pd
from scipy import stats


def _result(test, effect, n, n_missing, reason=None, **values):
    row = {
        "test": test,
        "statistic": np.nan,
        "dof": np.nan,
        "p_value": np.nan,
        "effect_size": np.nan,
        "effect": effect,
        "n": int(n),
        "n_missing": int(n_missing),
        "reason": reason,
    }
    row.update(values)
    return row


def chi_square_test(answers, segments):
    """Chi-square test of independence of answers and segments, with Cramer's V.

    The contingency table counts each (answer, segment) pair; scipy's
    continuity correction applies to the statistic and p-value of 2 x 2
    tables. Cramer's V is ``sqrt(chi2 / (n * (min(rows, columns) - 1)))``
    with the uncorrected chi2, from 0 (no association) to 1.

    Parameters
    ----------
    answers : array-like of shape (n_samples,)
        Answers (any labels); missing ones are left out.
    segments : array-like of shape (n_samples,)
        Segment of each row.

    Returns
    -------
    result : dict
        ``test``, ``statistic`` (chi2), ``dof``, ``p_value``, ``effect_size``
        (Cramer's V), ``effect``, ``n``, ``n_missing`` and ``reason`` (why a
        test could not be computed, else None).

    Examples
    --------
    >>> from custseg._significance import chi_square_test
    >>> result = chi_square_test(["a", "a", "b", "b"] * 10, [0, 0, 1, 1] * 10)
    >>> float(result["effect_size"])  # every "a" in segment 0: perfect
    1.0
    """
    answers = pd.Series(np.asarray(answers, dtype=object))
    segments = pd.Series(np.asarray(segments))
    present = answers.notna().to_numpy()
    table = pd.crosstab(answers[present], segments[present]).to_numpy()
    return chi_square_table(table, n_missing=int((~present).sum()))


def chi_square_table(table, n_missing=0):
    """:func:`chi_square_test` from a contingency table of counts.

    Parameters
    ----------
    table : array-like of shape (n_answers, n_segments)
        Counts; rows or columns that are all zero are left out.
    n_missing : int, default=0
        Rows left out for a missing answer, reported in the result.

    Returns
    -------
    result : dict
        As :func:`chi_square_test`.
    """
    table = np.asarray(table, dtype=np.float64)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    n = int(table.sum())
    if table.shape[0] < 2 or table.shape[1] < 2:
        what = "answer" if table.shape[0] < 2 else "segment"
        return _result("chi-square", "Cramer's V", n, n_missing, f"a single {what}")
    chi2, p_value, dof, _ = stats.chi2_contingency(table)
    # V from the uncorrected statistic: the continuity correction of a 2 x 2
    # table adjusts the p-value, not the strength of the association
    uncorrected = stats.chi2_contingency(table, correction=False)[0]
    cramers_v = np.sqrt(uncorrected / (n * (min(table.shape) - 1)))
    return _result(
        "chi-square",
        "Cramer's V",
        n,
        n_missing,
        statistic=float(chi2),
        dof=int(dof),
        p_value=float(p_value),
        effect_size=float(cramers_v),
    )


def group_tests(values, segments):
    """One-way ANOVA (eta squared) and Kruskal-Wallis (epsilon squared).

    Eta squared is the share of the variance between segments,
    ``SS_between / SS_total``; epsilon squared is ``H (n + 1) / (n^2 - 1)``
    (Tomczak and Tomczak, 2014). Both run from 0 to 1.

    Parameters
    ----------
    values : array-like of shape (n_samples,)
        Numbers; NaN values are left out.
    segments : array-like of shape (n_samples,)
        Segment of each row.

    Returns
    -------
    anova, kruskal : dict
        As in :func:`chi_square_test`, with ``test`` "ANOVA" (statistic F)
        and "Kruskal-Wallis" (statistic H).

    Examples
    --------
    >>> from custseg._significance import group_tests
    >>> anova, kruskal = group_tests([1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 1, 1])
    >>> anova["statistic"], round(anova["effect_size"], 4)
    (13.5, 0.7714)
    """
    values = np.asarray(values, dtype=np.float64)
    segments = np.asarray(segments)
    present = ~np.isnan(values)
    values, segments = values[present], segments[present]
    # F, eta squared and the ranks do not change with the unit: work in units
    # of the largest magnitude, so that huge numbers cannot overflow
    magnitude = float(np.max(np.abs(values))) if len(values) else 1.0
    if np.isfinite(magnitude) and magnitude > 0:
        values = values / magnitude
    n, missing = len(values), int((~present).sum())
    groups = [values[segments == s] for s in np.unique(segments)]
    reason = None
    if len(groups) < 2:
        reason = "a single segment"
    elif np.ptp(values) == 0:
        reason = "a constant column"
    elif n <= len(groups):
        reason = "no segment has two values"
    if reason:
        return (
            _result("ANOVA", "eta squared", n, missing, reason),
            _result("Kruskal-Wallis", "epsilon squared", n, missing, reason),
        )
    # sums of squares in two passes (around each mean), not as differences of
    # sums: scipy's f_oneway subtracts nearly equal numbers and can return a
    # negative F when the spread within segments is tiny against the range
    mean = values.mean()
    between = float(sum(len(g) * (g.mean() - mean) ** 2 for g in groups))
    within = float(sum(((g - g.mean()) ** 2).sum() for g in groups))
    total = between + within
    dof = len(groups) - 1
    dof_within = n - len(groups)
    if within > 0:
        f_stat = (between / dof) / (within / dof_within)
        f_p = float(stats.f.sf(f_stat, dof, dof_within))
    else:  # no spread within segments, different means: perfectly separated
        f_stat, f_p = np.inf, 0.0
    h_stat, h_p = stats.kruskal(*groups)
    return (
        _result(
            "ANOVA",
            "eta squared",
            n,
            missing,
            statistic=float(f_stat),
            dof=dof,
            p_value=float(f_p),
            effect_size=float(between / total),
        ),
        _result(
            "Kruskal-Wallis",
            "epsilon squared",
            n,
            missing,
            statistic=float(h_stat),
            dof=dof,
            p_value=float(h_p),
            effect_size=float(h_stat * (n + 1) / (n**2 - 1)),
        ),
    )


def adjust_p_values(p_values):
    """Benjamini-Hochberg adjusted p-values; NaN stays NaN.

    Examples
    --------
    >>> from custseg._significance import adjust_p_values
    >>> adjust_p_values([0.01, 0.04, 0.03, 0.2]).round(4).tolist()
    [0.04, 0.0533, 0.0533, 0.2]
    """
    p_values = np.asarray(p_values, dtype=np.float64)
    adjusted = np.full(len(p_values), np.nan)
    finite = ~np.isnan(p_values)
    if finite.any():
        adjusted[finite] = stats.false_discovery_control(p_values[finite], method="bh")
    return adjusted
