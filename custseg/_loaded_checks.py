"""Checks of the arrays inside a loaded model that compiled code indexes with.

skops builds a model from a file without running code from it, but some of
scikit-learn's compiled code reads arrays by the indices stored in them
without bounds checks: a crafted decision tree whose children point past
its last node makes ``predict`` read arbitrary memory or crash. skops
therefore leaves ``sklearn.tree._tree.Tree`` and the histogram-gradient-
boosting ``TreePredictor`` untrusted. custseg's models contain both, so
:func:`custseg.load` accepts them only after :func:`check_loaded_model` has
checked every such array.
"""

import numpy as np

from .exceptions import InvalidInputError

# Types accepted only because check_loaded_model verifies their arrays.
CHECKED_TYPES = (
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.tree._tree.Tree",
)


def check_loaded_model(obj, source):
    """Raise if a tree or a set of cluster centres in ``obj`` is inconsistent.

    Parameters
    ----------
    obj : object
        The loaded object; every object reachable from it is checked.
    source : str
        The file, for the error message.

    Raises
    ------
    InvalidInputError
        Naming the attribute path of the first inconsistent array.
    """
    for path, item, n_features in _walk(obj):
        problem = _problem(item, n_features)
        if problem:
            raise InvalidInputError(
                f"load: {source!r} is not a consistent model file: {path} "
                f"{problem}. It was not used; the file is damaged or was "
                "crafted."
            )


def _walk(obj):
    """Every reachable object, its attribute path and its owner's n_features."""
    pending = [("model", obj, None)]
    seen = set()
    while pending:
        path, item, n_features = pending.pop()
        # pandas objects (rebuilt from plain data) hold no compiled model
        if (
            id(item) in seen
            or isinstance(item, str | bytes | int | float)
            or type(item).__module__.split(".")[0] == "pandas"
        ):
            continue
        seen.add(id(item))
        yield path, item, n_features
        n_features = getattr(item, "n_features_in_", n_features)
        if isinstance(item, dict):
            children = [(f"{path}[{key!r}]", value) for key, value in item.items()]
        elif isinstance(item, list | tuple):
            children = [(f"{path}[{i}]", value) for i, value in enumerate(item)]
        elif isinstance(item, np.ndarray):
            children = (
                [(f"{path}[{i}]", value) for i, value in enumerate(item.ravel())]
                if item.dtype == object
                else []
            )
        else:
            children = [
                (f"{path}.{name}", value)
                for name, value in getattr(item, "__dict__", {}).items()
            ]
        pending.extend((child, value, n_features) for child, value in children)


def _problem(item, n_features):
    name = f"{type(item).__module__}.{type(item).__qualname__}"
    if name == "sklearn.tree._tree.Tree":
        limit = item.n_features if n_features is None else n_features
        if item.n_features != limit:
            return f"has {item.n_features} features; its model has {limit}"
        return _tree_problem(
            item.children_left, item.children_right, item.feature, limit
        )
    if name == CHECKED_TYPES[0]:
        nodes = item.nodes
        internal = ~nodes["is_leaf"].astype(bool)
        problem = _tree_problem(
            np.where(internal, nodes["left"].astype(np.int64), -1),
            np.where(internal, nodes["right"].astype(np.int64), -1),
            nodes["feature_idx"].astype(np.int64),
            n_features,
        )
        if problem:
            return problem
        categorical = internal & nodes["is_categorical"].astype(bool)
        n_bitsets = min(
            len(item.raw_left_cat_bitsets), len(item.binned_left_cat_bitsets)
        )
        if np.any(nodes["bitset_idx"][categorical].astype(np.int64) >= n_bitsets):
            return "has a categorical split pointing past its category sets"
        return None
    centers = getattr(item, "cluster_centers_", None)
    n_features = getattr(item, "n_features_in_", None)  # the centres' own model
    if isinstance(centers, np.ndarray) and n_features is not None:
        if centers.ndim != 2 or centers.shape[1] != n_features:
            return (
                f"has cluster centres of shape {centers.shape}; its model has "
                f"{n_features} features"
            )
    return None


def _tree_problem(left, right, feature, n_features):
    """What is wrong with a tree's node arrays (None if nothing).

    Children must come after their parent and inside the tree, which also
    rules out loops; split features must be columns of the model's input.
    """
    n_nodes = len(left)
    if n_nodes == 0 or len(right) != n_nodes or len(feature) != n_nodes:
        return "has node arrays of different lengths, or no node"
    internal = left != -1
    if np.any(internal != (right != -1)):
        return "has a node with one child"
    position = np.arange(n_nodes)
    for children in (left, right):
        if np.any(
            (children[internal] <= position[internal]) | (children[internal] >= n_nodes)
        ):
            return "has a child index outside the tree or before its parent"
    if n_features is None:
        return "has no known number of input features"
    split = feature[internal]
    if np.any((split < 0) | (split >= n_features)):
        return f"splits on a feature outside 0..{n_features - 1}"
    return None
