"""Sphinx configuration of the report site (``make site``; sources assembled by
``cxresearch.report.site.prepare_sources`` in ``build/site/src``, output in ``_site/``)."""

from __future__ import annotations

import os
import re

import cxresearch

project = "cxresearch"
author = "The cxresearch authors"
copyright = "2026, The cxresearch authors"
release = version = cxresearch.__version__

extensions = [
    "myst_nb",  # MyST markdown and the executed notebooks (never re-executed here)
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",  # numpydoc sections
    "sphinx.ext.mathjax",
]

# notebooks: render the stored outputs, never execute
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header", "misc.highlighting_failure"]

# API reference from the docstrings
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_rtype = False

templates_path = ["_templates"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "_extra"]
html_extra_path = ["_extra"]  # figures/: the gallery's downloads, at stable addresses

# MathJax from the local copy (no CDN: the site works offline and from a file share)
mathjax_path = "mathjax/tex-svg.js" if os.path.exists(
    os.path.join(os.path.dirname(__file__), "_static", "mathjax", "tex-svg.js")) else None
if mathjax_path is None:
    del mathjax_path

html_theme = "pydata_sphinx_theme"
html_title = "cxresearch: the writers' desk"
html_static_path = ["_static"]
html_css_files = ["cxresearch.css"]
html_favicon = "_static/favicon.svg"
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "navbar_align": "left",
    "header_links_before_dropdown": 6,
    # the gallery is a full-width grid; other pages keep their table of contents
    "secondary_sidebar_items": {"**": ["page-toc"], "gallery": []},
    "footer_start": ["copyright"],
    "footer_end": [],
    "show_version_warning_banner": False,
}
html_sidebars = {"**": ["sidebar-nav-bs"], "gallery": [], "claims": [], "index": [],
                 "learning-path": [], "glossary": []}
html_context = {"default_mode": "light"}  # a first visit has a mode (no console error)

_ABS = re.compile(r"(?<![\\|`])\|(\S(?:[^|\n`]*?\S)?)\|(?![_|])")
# an inline literal must be followed by a space or punctuation: ``gap``+ -> ``gap``\ +
_LITERAL_END = re.compile(
    r"(``[^`\s](?:[^`]*[^`\s])?``)(?=[^\s\-.,:;!?\\/'\")\]}>`_])")


def _escape_bars(app, what, name, obj, options, lines):
    """Docstrings write absolute values as |z|, which reStructuredText reads as undefined
    substitutions (a build error and a dangling link), and sometimes run a literal into the
    next character (``gap``+); show both as written."""
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if "|" in line and not stripped.startswith(("| ", "+")) and stripped != "|":
            line = lines[i] = _ABS.sub(r"\\|\1\\|", line)
        if "``" in line:
            lines[i] = _LITERAL_END.sub(r"\1\\ ", line)


def setup(app):
    app.connect("autodoc-process-docstring", _escape_bars)
