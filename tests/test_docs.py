"""The README and the docs stay true: its commands, every page and public name."""

import importlib
import importlib.util
import inspect
import re
from pathlib import Path

import custseg

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _bash_commands():
    block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_readme_opens_with_two_commands():
    commands = _bash_commands()
    assert len(commands) == 2
    assert commands[0].startswith("python3 -m venv .venv")
    assert "pytest" in commands[1]


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert _bash_commands()[1] in ci


def test_readme_pipeline_example_runs():
    code = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    assert len(code.strip().splitlines()) <= 12
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["segments"].shape == (1000,)
    selector = namespace["pipeline"][-1]
    assert 2 <= selector.n_clusters_ <= 9
    assert set(namespace["segments"]) == set(range(selector.n_clusters_))


def _toctree_entries(page):
    """The pages listed in the toctrees of a docs page, as paths."""
    text = page.read_text(encoding="utf-8")
    entries = []
    for block in re.findall(r"```\{toctree\}[^\n]*\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.strip()
            if not line or line.startswith(":"):
                continue
            target = re.search(r"<(.+)>$", line)  # "Title <path>"
            name = target.group(1) if target else line
            entries.append(
                page.parent / (name if name.endswith(".md") else name + ".md")
            )
    return entries


def test_every_docs_page_is_in_a_toctree():
    docs = ROOT / "docs"
    index = docs / "index.md"
    reached, todo = {index.resolve()}, [index]
    while todo:
        for entry in _toctree_entries(todo.pop()):
            assert entry.is_file(), f"toctree entry {entry} does not exist"
            if entry.resolve() not in reached:
                reached.add(entry.resolve())
                todo.append(entry)
    pages = {
        page.resolve()
        for page in docs.rglob("*.md")
        if not {"_build", "generated"} & set(page.relative_to(docs).parts)
    }
    missing = sorted(str(page.relative_to(docs.resolve())) for page in pages - reached)
    assert not missing, f"docs pages in no toctree (add them to index.md): {missing}"


def test_api_reference_lists_every_public_name():
    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    # autosummary entries (indented names) and py:data directives
    listed = set(re.findall(r"^ {3}([A-Za-z_]\w*)$", api, re.M))
    listed |= set(re.findall(r"^\.\. py:data:: (\w+)$", api, re.M))
    expected = {name for name in custseg.__all__ if name != "__version__"}
    for name in ("datasets", "plotting", "dask"):
        if importlib.util.find_spec(f"custseg.{name}") is None:
            continue  # a public module not written yet
        module = importlib.import_module(f"custseg.{name}")
        public = getattr(module, "__all__", None)
        if public is None:
            public = [
                attr
                for attr, obj in vars(module).items()
                if not attr.startswith("_")
                and (inspect.isfunction(obj) or inspect.isclass(obj))
                and obj.__module__ == module.__name__
            ]
        expected |= set(public)
    exceptions = importlib.import_module("custseg.exceptions")
    expected |= {
        name
        for name, obj in vars(exceptions).items()
        if inspect.isclass(obj) and obj.__module__ == exceptions.__name__
    }
    missing = sorted(expected - listed)
    assert not missing, f"public names missing from docs/api.md: {missing}"
