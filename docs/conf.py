"""Sphinx configuration of custseg's documentation site.

Build it from the project folder, warnings as errors (as CI does)::

    sphinx-build -W --keep-going -b html docs docs/_build/html

Nothing here needs the network: no intersphinx, and the examples are shown,
not run (tests/test_examples.py runs them).
"""

import custseg

# -- project ---------------------------------------------------------------
project = "custseg"
author = "custseg developers"
copyright = "custseg developers"
version = custseg.__version__
release = custseg.__version__

# -- sources ---------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# -- MyST (Markdown) -------------------------------------------------------
# $...$ and $$...$$ are mathematics; headings up to ### get anchors, so that
# links such as [the models](clv.md#the-models) resolve.
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3

# -- API reference ---------------------------------------------------------
# autosummary writes one page per public object into docs/generated/
# (git-ignored, rewritten at every build) from docs/_templates/autosummary/.
autosummary_generate = True
autosummary_imported_members = False
autodoc_typehints = "none"
autodoc_member_order = "groupwise"
# numpydoc renders the Parameters / Attributes / Returns sections; autodoc
# documents the methods. numpydoc's own member tables would describe every
# attribute a second time.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# -- HTML ------------------------------------------------------------------
html_theme = "alabaster"
html_title = f"custseg {release}"
html_theme_options = {
    "description": "Customer segmentation, segment profiles, churn risk and "
    "lifetime value as scikit-learn estimators.",
    "fixed_sidebar": True,
    "show_relbars": True,
}
html_static_path = []


# -- hooks -----------------------------------------------------------------
def _skip_metadata_requests(app, what, name, obj, skip, options):
    """Leave out scikit-learn's generated ``set_*_request`` methods.

    scikit-learn adds them to every estimator for metadata routing; they are
    documented by scikit-learn, and their docstrings refer to its glossary.
    """
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_metadata_requests)
