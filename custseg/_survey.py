"""SurveyPreprocessor: raw survey answers to a numeric matrix."""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from ._columns import parse_column
from ._encoders import (
    DATETIME_PARTS,
    IMPUTATION_STRATEGIES,
    DatetimeEncoder,
    LikertEncoder,
    MultiSelectEncoder,
    NominalEncoder,
    NumericEncoder,
    OrdinalEncoder,
    Report,
    TopicEncoder,
)
from ._presets import preset_parameters
from ._scales import LEFT_OUT_ROLES, ROLES, infer_numeric_role, infer_text_role
from ._state import PandasFreeState
from ._validation import check_frame, check_mapping_keys, format_values, is_number
from .exceptions import InvalidInputError

# A text column is taken for numbers when at least this share of its answers
# are numbers; the other answers are then reported and treated as missing.
NUMBER_SHARE = 0.95


class SurveyPreprocessor(PandasFreeState, TransformerMixin, BaseEstimator):
    """Turn raw survey answers into a numeric matrix, traceable to its sources.

    Each column plays a *role* that decides how its answers become numbers.
    Roles are inferred from the answers (see Notes) and reported in
    ``roles_``; any column's role, order or scale can be declared instead.

    ============== ======================================= =====================
    role           output                                  missing answers
    ============== ======================================= =====================
    numeric        the number                              median
    likert         the rating (1..5, 1..7, ...)            median
    ordinal        rank in the order (1 = lowest)          median rank
    nominal        one 0/1 column per answer (one-hot)     most frequent answer
    multiselect    one 0/1 column per option of "A;B"      share of each option
    text           LDA topic weights (``text_topics``)     topics of ""
    datetime       parts such as hour (``datetime_parts``) median of each part
    identifier     left out                                --
    ignore         left out                                --
    ============== ======================================= =====================

    Numbers, ratings, ranks, topic weights and date parts are then scaled
    (``scale``); 0/1 indicators are not.

    Parameters
    ----------
    roles : dict of str to str or list of str, default=None
        Role of a column, overriding inference. A list gives a column several
        roles: ``{"satisfaction": ["likert", "nominal"]}`` enters it both as
        a rating and one-hot. Roles: "numeric", "likert", "ordinal",
        "nominal", "multiselect", "text", "datetime", "identifier", "ignore".
    orders : dict of str to list, default=None
        Order of an ordinal column's answers, lowest first, for example
        ``{"usage": ["Never", "Sometimes", "Always"]}``. Declaring an order
        makes the column ordinal unless ``roles`` says otherwise. Answers
        outside the order are treated as missing (see ``handle_unknown``).
    likert_scales : dict of str to (int, int), default=None
        Lowest and highest point of a Likert column, for example
        ``{"satisfaction": (1, 7)}``. Declaring a scale makes the column
        Likert unless ``roles`` says otherwise. An answer outside the scale
        or not a whole number is an error. Inferred scales run from 1 (0 if
        a 0 was answered) to the smallest of 5, 7 and 10 holding every answer.
    separator : str, default=";"
        Separator between the options of a multi-select answer.
    max_categories : int, default=50
        Most distinct answers a text column may have to be inferred nominal.
    text_topics : int or dict of str to int, default=0
        Number of LDA topics learned from each free-text column (or per
        column). 0 leaves text columns out (with a warning). Naming a column
        here makes it a text column unless ``roles`` says otherwise.
    datetime_parts : list of str, default=None
        Parts of date-time columns to output, among "year", "quarter",
        "month", "day", "day_of_week", "day_of_year", "hour", "minute". None
        leaves date-time columns out (with a warning).
    imputation : dict of str to str, default=None
        Missing-answer strategy per role, overriding the defaults above:
        "median", "mean" or "most_frequent" for numeric, likert, ordinal and
        datetime; "most_frequent" or "indicator" (an own 0/1 column) for
        nominal; "mean" or "zero" for multiselect.
    scale : {"standard", "minmax"} or None, default="standard"
        Scaling of continuous outputs: zero mean and unit variance, or the
        range 0..1 (both as seen in ``fit``; constant columns become 0).
        None keeps the raw numbers.
    handle_unknown : {"warn", "ignore", "error"}, default="warn"
        What to do about answers that cannot be placed: categories not seen
        in ``fit`` (encoded as all zeros), answers outside a declared order
        and text in a numeric column (treated as missing), unseen options of
        a multi-select answer (ignored). "warn" counts them in a
        :class:`~custseg.exceptions.DataDroppedWarning`.
    random_state : int, RandomState instance or None, default=None
        Seed of the topic models of text columns; the rest is deterministic.

    Attributes
    ----------
    roles_ : DataFrame
        One row per input column: ``role``, whether it was ``inferred``, the
        ``reason``, a ``detail`` (order, scale, answers, fill value),
        ``n_missing`` answers and ``n_outputs`` columns it produced (0 when
        left out).
    feature_map_ : DataFrame
        One row per output column (the index, as in
        ``get_feature_names_out()``): its ``source`` column, ``role`` and the
        ``answer`` it indicates (the answer, option, topic words or
        date-time part; None for single numbers).
    n_features_in_ : int
        Number of columns seen in ``fit``.
    feature_names_in_ : ndarray of str
        Names of the columns seen in ``fit``, if they were all strings.

    See Also
    --------
    custseg.datasets.load_amazon_survey : A real survey to try it on.
    custseg.datasets.make_survey : Synthetic survey answers of any size.

    Notes
    -----
    Inference rules, applied to the answers seen in ``fit``:

    - numbers: whole numbers in 0..10 with at least 3 distinct values are
      Likert; distinct whole numbers in a column named like an identifier
      (``id``, ``customer_id``, ``CustomerId``, ``RowNumber``) are
      identifiers; other numbers are numeric. A text column at least 95% of
      whose answers are numbers is inferred from its numbers (the rest are
      reported and treated as missing); "007" is text;
    - text: distinct answers in a column named like an identifier are an
      identifier; dates and times (95% of answers) are datetime; answers
      joining options with
      ``separator`` (in at least 5% of answers) are multiselect; answers that
      all belong to a known scale (``custseg._scales.KNOWN_SCALES``, such as
      Never < Rarely < Sometimes < Often < Always or No < Maybe < Yes) are
      ordinal; up to ``max_categories`` distinct answers are nominal; more,
      with three words or more on average, text; all distinct, identifier;
      otherwise ignored;
    - an ordered pandas Categorical is ordinal in its categories' order.

    Text answers are stripped of surrounding white space ("Yes " is "Yes");
    an empty answer is a missing one. Columns left out by inference are named
    in a warning; declare them "ignore" to silence it. A column with no
    answer at all, infinite numbers, a column mixing numbers and text
    without a declared role (unless 95% of it is numbers), duplicate column
    names, an empty table and a column missing at ``transform`` are errors
    naming the column. An answer outside an inferred Likert scale at
    ``transform`` is kept and reported. The input is never modified.

    Examples
    --------
    >>> import pandas as pd
    >>> from custseg import SurveyPreprocessor
    >>> answers = pd.DataFrame({
    ...     "age": [23, 35, 41, 29],
    ...     "satisfaction": [1, 4, 5, 3],
    ...     "uses_app": ["Never", "Often", "Always", "Sometimes"],
    ...     "channel": ["web", "store", "web", None],
    ... })
    >>> prep = SurveyPreprocessor().set_output(transform="pandas")
    >>> X = prep.fit_transform(answers)
    >>> prep.roles_[["role", "n_outputs"]]
                       role  n_outputs
    column
    age             numeric          1
    satisfaction     likert          1
    uses_app        ordinal          1
    channel         nominal          2
    >>> list(X.columns)
    ['age', 'satisfaction', 'uses_app', 'channel_store', 'channel_web']
    >>> X["channel_web"].tolist()  # the missing channel took the most frequent
    [1.0, 0.0, 1.0, 1.0]
    >>> prep.feature_map_.loc["channel_store"].tolist()
    ['channel', 'nominal', 'store']
    """

    _parameter_constraints = {
        "roles": [dict, None],
        "orders": [dict, None],
        "likert_scales": [dict, None],
        "separator": [str],
        "max_categories": [Interval(Integral, 1, None, closed="left")],
        "text_topics": [Interval(Integral, 0, None, closed="left"), dict],
        "datetime_parts": [list, tuple, None],
        "imputation": [dict, None],
        "scale": [StrOptions({"standard", "minmax"}), None],
        "handle_unknown": [StrOptions({"warn", "ignore", "error"})],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        roles=None,
        orders=None,
        likert_scales=None,
        separator=";",
        max_categories=50,
        text_topics=0,
        datetime_parts=None,
        imputation=None,
        scale="standard",
        handle_unknown="warn",
        random_state=None,
    ):
        self.roles = roles
        self.orders = orders
        self.likert_scales = likert_scales
        self.separator = separator
        self.max_categories = max_categories
        self.text_topics = text_topics
        self.datetime_parts = datetime_parts
        self.imputation = imputation
        self.scale = scale
        self.handle_unknown = handle_unknown
        self.random_state = random_state

    @classmethod
    def from_preset(cls, name):
        """A SurveyPreprocessor configured by a named preset.

        Parameters
        ----------
        name : {"amazon_seed"}
            ``"amazon_seed"`` reproduces the feature engineering of the
            Amazon-survey segmentation custseg grew from, quirks included
            (see ``custseg._presets``): on the Amazon Consumer Behaviour
            Survey it gives the documented 95-column matrix.

        Returns
        -------
        preprocessor : SurveyPreprocessor
            Unfitted; ``get_params()`` shows every setting of the preset.

        Examples
        --------
        >>> from custseg import SurveyPreprocessor
        >>> prep = SurveyPreprocessor.from_preset("amazon_seed")
        >>> prep.text_topics
        {'timestamp': 6, 'purchase_categories': 2, 'cart_abandonment_factors': 2}
        """
        return cls(**preset_parameters(name))

    # ------------------------------------------------------------------ fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Infer roles and learn encodings, fill values and scaling from X.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Survey answers, one row per respondent.
        y : None
            Ignored.

        Returns
        -------
        self : SurveyPreprocessor
            Fitted.
        """
        self._fit_encode(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit, then encode X; faster than ``fit(X).transform(X)``.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Survey answers.
        y : None
            Ignored.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features_out)
            Encoded answers (a DataFrame under ``set_output``).
        """
        return self._fit_encode(X)

    def _fit_encode(self, X):
        # a failed refit must leave an unfitted estimator, not a mix of the
        # old and the new fit: state is built locally and assigned at the end
        for attribute in ("feature_map_", "roles_"):
            self.__dict__.pop(attribute, None)
        frame = check_frame(self, X, reset=True)
        columns = list(frame.columns)
        declared = self._declared_roles(columns)
        report = Report("SurveyPreprocessor.fit", self.handle_unknown)
        parsed, encoders, rows = {}, [], []
        for position, column in enumerate(columns):
            roles = declared.get(column)
            if roles is not None and set(roles) <= set(LEFT_OUT_ROLES):
                rows.append(_role_row(column, roles, False, "declared", 0, []))
                continue
            parsed[position] = parse_column(frame.iloc[:, position], column)
            n_missing = int(parsed[position].missing.sum())
            if n_missing == len(frame):
                raise InvalidInputError(
                    f"SurveyPreprocessor.fit: column {column!r} has no answers (all "
                    f"{n_missing} values are missing); give it the role 'ignore' "
                    f"(roles={{{column!r}: 'ignore'}}) to leave it out."
                )
            if roles is None:
                role, reason = self._infer_role(parsed[position])
                roles, inferred = (role,), True
            else:
                reason, inferred = "declared", False
            column_encoders = [
                self._make_encoder(column, position, role, len(roles))
                for role in roles
                if role not in LEFT_OUT_ROLES
            ]
            for encoder in column_encoders:
                encoder.fit(parsed[position], report)
                if encoder.n_outputs == 0:
                    report.left_out(
                        f"column {column!r} was left out ({encoder.role}: "
                        f"{encoder.detail}); declare its role to use it, or "
                        "'ignore' to silence this"
                    )
            if inferred and roles[0] in LEFT_OUT_ROLES:
                report.left_out(
                    f"column {column!r} was left out ({roles[0]}: {reason}); "
                    "declare its role to use it, or 'ignore' to silence this"
                )
            encoders.extend(e for e in column_encoders if e.n_outputs)
            rows.append(
                _role_row(column, roles, inferred, reason, n_missing, column_encoders)
            )

        feature_map = _feature_map(columns, encoders)
        out = _encode(encoders, parsed, len(frame), report)
        scaling = _Scaling(out, _continuous_outputs(encoders), self.scale)
        scaling.apply(out)
        self.roles_ = pd.DataFrame(rows).set_index("column")
        self.feature_map_ = feature_map
        self._encoders = encoders
        self._scaling = scaling
        report.emit()
        return out

    def _declared_roles(self, columns):
        """Roles declared through roles, orders, likert_scales and text_topics."""
        who = "SurveyPreprocessor.fit"
        if not self.separator:
            raise InvalidInputError(
                f"{who}: separator is empty; expected the text between the options "
                "of a multi-select answer, such as ';'."
            )
        for parameter in ("roles", "orders", "likert_scales"):
            check_mapping_keys(who, parameter, getattr(self, parameter), columns)
        if isinstance(self.text_topics, dict):
            check_mapping_keys(who, "text_topics", self.text_topics, columns)
            for column, n_topics in self.text_topics.items():
                if (
                    not isinstance(n_topics, Integral)
                    or isinstance(n_topics, bool)
                    or n_topics < 0
                ):
                    raise InvalidInputError(
                        f"{who}: text_topics[{column!r}] must be a whole number "
                        f">= 0; got {n_topics!r}."
                    )
        for part in self.datetime_parts or ():
            if part not in DATETIME_PARTS:
                raise InvalidInputError(
                    f"{who}: datetime_parts holds {part!r}; expected parts among "
                    f"{format_values(DATETIME_PARTS, limit=10)}."
                )
        for role, strategy in (self.imputation or {}).items():
            allowed = IMPUTATION_STRATEGIES.get(role)
            if allowed is None:
                raise InvalidInputError(
                    f"{who}: imputation has the key {role!r}; expected roles among "
                    f"{format_values(IMPUTATION_STRATEGIES, limit=10)}."
                )
            if strategy not in allowed:
                raise InvalidInputError(
                    f"{who}: imputation[{role!r}] is {strategy!r}; expected one of "
                    f"{format_values(allowed)}."
                )
        for column, scale in (self.likert_scales or {}).items():
            if (
                not isinstance(scale, list | tuple)
                or len(scale) != 2
                or not all(is_number(end) for end in scale)
                or not scale[0] < scale[1]
            ):
                raise InvalidInputError(
                    f"{who}: likert_scales[{column!r}] is {scale!r}; expected "
                    "(lowest, highest) with lowest < highest, for example (1, 5)."
                )
        declared = {}
        implied = [
            (self.orders, "ordinal"),
            (self.likert_scales, "likert"),
            (self.text_topics if isinstance(self.text_topics, dict) else None, "text"),
        ]
        for mapping, role in implied:
            for column in mapping or {}:
                declared[column] = (role,)
        for column, order in (self.orders or {}).items():
            if isinstance(order, str) or not isinstance(order, list | tuple):
                raise InvalidInputError(
                    f"{who}: orders[{column!r}] is {order!r}; expected a list of "
                    "answers, lowest first."
                )
        for column, roles in (self.roles or {}).items():
            roles = (roles,) if isinstance(roles, str) else roles
            roles = tuple(roles) if isinstance(roles, list | tuple) else (roles,)
            unknown = [role for role in roles if role not in ROLES]
            if unknown or not roles:
                raise InvalidInputError(
                    f"{who}: roles[{column!r}] is {self.roles[column]!r}; expected a "
                    f"role or a list of roles among {format_values(ROLES, limit=10)}."
                )
            if len(set(roles)) != len(roles):
                raise InvalidInputError(
                    f"{who}: roles[{column!r}] repeats a role: {list(roles)!r}."
                )
            declared[column] = roles
        return declared

    def _infer_role(self, parsed):
        if parsed.kind == "numeric":
            return infer_numeric_role(parsed.name, parsed.values)
        if parsed.kind == "datetime":
            return "datetime", "values are dates and times"
        if parsed.ordered_levels is not None:
            return "ordinal", "ordered categorical"
        share = parsed.number_share()
        if share >= NUMBER_SHARE:
            # numbers stored as text, or numbers with a few placeholders such
            # as "N/A", which the encoder then reports as missing
            role, reason = infer_numeric_role(parsed.name, parsed.as_numbers()[0])
            if share < 1:
                reason += f" ({share:.1%} of answers are numbers)"
            return role, reason
        if parsed.kind == "mixed":
            raise InvalidInputError(
                f"SurveyPreprocessor.fit: column {parsed.name!r} mixes types "
                f"({parsed.type_summary}) and only {share:.0%} of its answers are "
                f"numbers; expected one type per column. Convert it, or declare its "
                f"role (roles={{{parsed.name!r}: 'numeric'}} treats text as "
                "missing, 'nominal' treats numbers as answers)."
            )
        given = parsed.label_counts() > 0  # unused categories are not answers
        return infer_text_role(
            parsed.name,
            parsed.labels[given],
            parsed.label_counts()[given],
            separator=self.separator,
            max_categories=self.max_categories,
        )

    def _make_encoder(self, column, position, role, n_roles):
        """The unfitted encoder of ``column`` (at ``position``) in ``role``."""
        common = {"position": position, "strategy": (self.imputation or {}).get(role)}
        # A rating or rank is named after its column; when the column also
        # enters under another role, the number is "<column>_num".
        suffix = "_num" if role in ("likert", "ordinal") and n_roles > 1 else ""
        if role == "numeric":
            return NumericEncoder(column, **common)
        if role == "likert":
            scale = (self.likert_scales or {}).get(column)
            return LikertEncoder(column, scale=scale, suffix=suffix, **common)
        if role == "ordinal":
            order = (self.orders or {}).get(column)
            return OrdinalEncoder(column, order=order, suffix=suffix, **common)
        if role == "nominal":
            return NominalEncoder(column, **common)
        if role == "multiselect":
            return MultiSelectEncoder(column, separator=self.separator, **common)
        if role == "text":
            if isinstance(self.text_topics, dict):
                n_topics = self.text_topics.get(column, 0)
            else:
                n_topics = self.text_topics
            return TopicEncoder(
                column, n_topics=n_topics, random_state=self.random_state, **common
            )
        return DatetimeEncoder(column, parts=self.datetime_parts or (), **common)

    def transform(self, X):
        """Encode survey answers with what was learned in ``fit``.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Answers with the columns seen in ``fit`` (in the same order).

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features_out)
            Encoded answers (a DataFrame under ``set_output``).

        Raises
        ------
        InvalidInputError
            If a column seen in ``fit`` is missing, or an answer breaks a
            rule (a Likert answer outside its scale; an unknown answer under
            ``handle_unknown="error"``).
        """
        check_is_fitted(self, "feature_map_")
        frame = check_frame(self, X, reset=False, method="transform")
        report = Report("SurveyPreprocessor.transform", self.handle_unknown)
        used = {encoder.position for encoder in self._encoders}
        parsed = {
            position: parse_column(frame.iloc[:, position], frame.columns[position])
            for position in sorted(used)
        }
        out = _encode(self._encoders, parsed, len(frame), report)
        self._scaling.apply(out)
        report.emit()
        return out

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns.

        Parameters
        ----------
        input_features : array-like of str, default=None
            Input column names; by default those seen in ``fit`` (or ``x0``,
            ``x1``, ... for arrays).

        Returns
        -------
        feature_names_out : ndarray of str
            ``<column>`` for numbers, ratings and ranks (``<column>_num`` when
            the column has several roles), ``<column>_<answer>`` for
            indicators, ``<column>_topic_<i>`` and ``<column>_<part>``.
        """
        check_is_fitted(self, "feature_map_")
        input_features = _check_feature_names_in(self, input_features)
        return np.asarray(
            [
                str(input_features[encoder.position]) + suffix
                for encoder in self._encoders
                for suffix in encoder.suffixes
            ],
            dtype=object,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        return tags


def _feature_map(columns, encoders):
    """One row per output column: its source column, role and answer."""
    names, sources, roles, answers = [], [], [], []
    for encoder in encoders:
        names += [columns[encoder.position] + suffix for suffix in encoder.suffixes]
        sources += [columns[encoder.position]] * encoder.n_outputs
        roles += [encoder.role] * encoder.n_outputs
        answers += encoder.answers
    index = pd.Index(names, name="feature")
    duplicated = index[index.duplicated()].unique().tolist()
    if duplicated:
        raise InvalidInputError(
            f"SurveyPreprocessor.fit: several outputs would be named "
            f"{format_values(duplicated)}. A column with several roles gives one "
            "output per role (a Likert or ordinal number is '<column>_num'); "
            "rename the input columns or answers, or drop a role."
        )
    frame = pd.DataFrame({"source": sources, "role": roles}, index=index)
    frame["answer"] = pd.Series(answers, index=index, dtype=object)
    return frame


def _encode(encoders, parsed, n_rows, report):
    """Write every encoder's outputs into one column-major array."""
    n_outputs = sum(encoder.n_outputs for encoder in encoders)
    out = np.empty((n_rows, n_outputs), dtype=np.float64, order="F")
    start = 0
    for encoder in encoders:
        stop = start + encoder.n_outputs
        encoder.transform(parsed[encoder.position], out[:, start:stop], report)
        start = stop
    return out


def _continuous_outputs(encoders):
    """Positions of the outputs that are scaled (not 0/1 indicators)."""
    flags = [encoder.continuous for encoder in encoders for _ in encoder.suffixes]
    return np.flatnonzero(flags)


class _Scaling(PandasFreeState):
    """Scaling of the continuous outputs, learned on the encoded fit data.

    Each column is first divided by its largest absolute value, so that
    sums of huge numbers cannot overflow and tiny ones keep their precision;
    then standardised (zero mean, unit variance) or brought to 0..1. A
    constant column (by scikit-learn's test) becomes 0.
    """

    def __init__(self, out, columns, kind):
        self.columns = columns if kind else np.array([], dtype=int)
        self.magnitude, self.offset, self.spread = [], [], []
        eps = np.finfo(np.float64).eps
        n_rows = len(out)
        for j in self.columns:
            magnitude = float(np.max(np.abs(out[:, j]))) or 1.0
            values = out[:, j] / magnitude
            if kind == "standard":
                offset, spread = float(values.mean()), float(values.std())
                variance = spread**2
                bound = n_rows * eps * variance + (n_rows * offset * eps) ** 2
                constant = variance <= bound
            else:
                offset, spread = float(values.min()), float(np.ptp(values))
                constant = spread < 10 * eps
            self.magnitude.append(magnitude)
            self.offset.append(offset)
            self.spread.append(1.0 if constant else spread)

    def apply(self, out):
        for j, magnitude, offset, spread in zip(
            self.columns, self.magnitude, self.offset, self.spread, strict=True
        ):
            column = out[:, j]
            column /= magnitude
            column -= offset
            column /= spread


def _role_row(column, roles, inferred, reason, n_missing, encoders):
    return {
        "column": column,
        "role": " + ".join(roles),
        "inferred": inferred,
        "reason": reason,
        "detail": "; ".join(e.detail for e in encoders if e.detail),
        "n_missing": n_missing,
        "n_outputs": sum(encoder.n_outputs for encoder in encoders),
    }
