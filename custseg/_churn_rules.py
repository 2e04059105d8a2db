"""Churn rules: an explicit, weighted score from declared signals (a heuristic).

A rule is a dict: ``name``, ``column``, ``op`` (one of ``OPERATORS``),
``value`` and ``weight`` (a finite number > 0). A customer's risk is the
weight of the rules they trigger over the weight of the rules that can be
judged for them (whose column they answered): 0 when none fires, 1 when all
do. A missing answer is left out of both, not read as "no risk"; a
customer who answered none of the rules' columns has no risk (NaN). Named
rule sets are in ``RULE_SETS``; nothing in them is fitted to data, which is
why the method is labelled a heuristic.
"""

import operator

import numpy as np
import pandas as pd

from ._validation import format_values, is_number
from .exceptions import InvalidInputError

OPERATORS = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    "in": None,
}

RULE_SETS = {
    # A recency/frequency rule set in the spirit of the first seed's (whose
    # exact thresholds were not documented), on columns the user has: long
    # silence and rare purchases raise the risk.
    "recency_frequency": (
        {
            "name": "silent for 90+ days",
            "column": "recency_days",
            "op": ">=",
            "value": 90,
            "weight": 0.5,
        },
        {
            "name": "silent for 180+ days",
            "column": "recency_days",
            "op": ">=",
            "value": 180,
            "weight": 0.2,
        },
        {
            # "frequency" as the user's table counts it; in an rfm_summary it
            # counts repeat purchases, so there this rule means "at most two"
            "name": "rare buyer (frequency <= 1)",
            "column": "frequency",
            "op": "<=",
            "value": 1,
            "weight": 0.3,
        },
    ),
    # Survey answers (the Amazon survey's columns): low satisfaction, rare
    # purchases and carts left behind.
    "survey": (
        {
            "name": "low satisfaction",
            "column": "shopping_satisfaction",
            "op": "<=",
            "value": 2,
            "weight": 0.4,
        },
        {
            "name": "buys less than once a month",
            "column": "purchase_frequency",
            "op": "in",
            "value": ["Less than once a month"],
            "weight": 0.3,
        },
        {
            "name": "rarely completes a cart",
            "column": "cart_completion_frequency",
            "op": "in",
            "value": ["Never", "Rarely"],
            "weight": 0.3,
        },
    ),
}
_KEYS = {"name", "column", "op", "value", "weight"}


def resolve_rules(rules, frame, who):
    """The rules as a list of dicts, checked against the data's columns."""
    columns = frame.columns
    if isinstance(rules, str):
        if rules not in RULE_SETS:
            raise InvalidInputError(
                f"{who}: rules={rules!r} is no named rule set; expected one of "
                f"{format_values(sorted(RULE_SETS))} or a list of rule dicts."
            )
        rules = RULE_SETS[rules]
    if rules is None or isinstance(rules, dict) or not len(rules):
        raise InvalidInputError(
            f"{who}: the rules method needs rules: a named set "
            f"({format_values(sorted(RULE_SETS))}) or a list of dicts with the "
            f"keys {format_values(sorted(_KEYS))}."
        )
    checked = []
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict) or set(rule) != _KEYS:
            raise InvalidInputError(
                f"{who}: rules[{i}] must be a dict with the keys "
                f"{format_values(sorted(_KEYS))}; got {rule!r}."
            )
        if rule["op"] not in OPERATORS:
            raise InvalidInputError(
                f"{who}: rules[{i}] ({rule['name']!r}) has op {rule['op']!r}; "
                f"expected one of {format_values(list(OPERATORS))}."
            )
        weight = rule["weight"]
        if not is_number(weight) or not np.isfinite(weight) or weight <= 0:
            raise InvalidInputError(
                f"{who}: rules[{i}] ({rule['name']!r}) has weight {weight!r}; "
                "expected a finite number > 0."
            )
        if rule["column"] not in columns:
            raise InvalidInputError(
                f"{who}: rules[{i}] ({rule['name']!r}) names the column "
                f"{rule['column']!r}, which is not in X; its columns are "
                f"{format_values(list(columns), limit=10)}."
            )
        rule = dict(rule, weight=float(weight))
        column = frame[rule["column"]]
        numeric = pd.api.types.is_numeric_dtype(column.dtype) and not (
            pd.api.types.is_bool_dtype(column.dtype)
        )
        if rule["op"] == "in":
            if isinstance(rule["value"], str) or not hasattr(rule["value"], "__iter__"):
                rule["value"] = [rule["value"]]  # one answer, not its characters
            values = list(rule["value"])
        else:
            values = [rule["value"]]
            if not np.ndim(rule["value"]) == 0:
                raise InvalidInputError(
                    f"{who}: rules[{i}] ({rule['name']!r}) compares with "
                    f"{rule['value']!r}; op {rule['op']!r} needs one value (use "
                    "op 'in' for a list)."
                )
        texts = [v for v in values if isinstance(v, str)]
        if numeric and texts:
            raise InvalidInputError(
                f"{who}: rules[{i}] ({rule['name']!r}) compares the numeric column "
                f"{rule['column']!r} with text {format_values(texts)}; rules work on "
                "the raw columns (not an encoded matrix), with values of their type."
            )
        ordered = isinstance(column.dtype, pd.CategoricalDtype) and column.dtype.ordered
        if not numeric and rule["op"] in (">", ">=", "<", "<=") and not ordered:
            raise InvalidInputError(
                f"{who}: rules[{i}] ({rule['name']!r}) compares the non-numeric "
                f"column {rule['column']!r} ({column.dtype}) with op "
                f"{rule['op']!r}, but its answers have no order; use op 'in' with "
                "its answers, or give the column as numbers or as an ordered "
                "categorical."
            )
        if ordered and rule["op"] != "in":
            unknown = [v for v in values if v not in column.cat.categories]
            if unknown:
                raise InvalidInputError(
                    f"{who}: rules[{i}] ({rule['name']!r}) compares the ordered "
                    f"column {rule['column']!r} with {format_values(unknown)}, "
                    "which is not one of its categories "
                    f"{format_values(list(column.cat.categories))}."
                )
        if rule["op"] == "in":
            rule["value"] = tuple(values)  # a copy the caller cannot change
        checked.append(rule)
    return checked


def triggered(rules, frame):
    """Which rules each customer triggers, and which can be judged.

    Returns
    -------
    hits, present : ndarray of bool, shape (n_customers, n_rules)
        ``hits``: the rule fires; ``present``: the customer answered the
        rule's column (a missing answer triggers nothing).
    """
    hits = np.zeros((len(frame), len(rules)), dtype=bool)
    present = np.zeros_like(hits)
    for j, rule in enumerate(rules):
        column = frame[rule["column"]]
        present[:, j] = column.notna().to_numpy()
        if rule["op"] == "in":
            fired = column.isin(list(rule["value"])).to_numpy()
        else:
            try:
                fired = OPERATORS[rule["op"]](column, rule["value"])
            except TypeError as exc:
                raise InvalidInputError(
                    f"ChurnRiskScorer: rule {rule['name']!r} compares column "
                    f"{rule['column']!r} ({column.dtype}) with {rule['value']!r}: "
                    f"{exc}."
                ) from exc
            fired = pd.Series(fired).fillna(False).to_numpy(dtype=bool)
        hits[:, j] = fired & present[:, j]
    return hits, present


def rule_risk(rules, frame):
    """Risk in [0, 1]: triggered weight over the weight of the judged rules.

    Returns
    -------
    risk : ndarray of shape (n_customers,)
        NaN for a customer who answered none of the rules' columns.
    hits : ndarray of bool, shape (n_customers, n_rules)
    evaluable : ndarray of shape (n_customers,)
        The weight of the rules that could be judged for each customer, in
        units of the heaviest rule's weight (see ``relative_weights``).
    answered : ndarray of int, shape (n_customers,)
        How many rules could be judged for each customer.
    """
    weights = relative_weights(rules)
    hits, present = triggered(rules, frame)
    evaluable = present.astype(np.float64) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        risk = (hits.astype(np.float64) @ weights) / evaluable
    risk[evaluable == 0] = np.nan
    return risk, hits, evaluable, present.sum(axis=1)


def relative_weights(rules):
    """The rules' weights over the heaviest one's: the same ratios, and sums
    that cannot overflow however large the weights (1e308 + 1e308)."""
    weights = np.array([rule["weight"] for rule in rules], dtype=np.float64)
    return weights / weights.max()
