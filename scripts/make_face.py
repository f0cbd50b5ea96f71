"""Write the face of ``import cxresearch as cx``: the table of public names in ``__init__.py``.

The face lists every name in the ``__all__`` of the role subpackages' modules (core, metrics,
measurement, linkage, causal, text, io, report), each loaded lazily from its module on first
access. Run it after adding a public name; ``tests/test_face.py`` fails while the table is out
of date::

    .venv/bin/python scripts/make_face.py
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from pathlib import Path

#: the subpackages whose public names make the face, in the order they are listed
FACE_PACKAGES = ("core", "metrics", "measurement", "linkage", "causal", "text", "io", "report")
#: public names that stay in their module only (command-line entry points)
NOT_IN_FACE = {"main"}
INIT = Path(__file__).resolve().parents[1] / "cxresearch" / "__init__.py"


def face() -> dict[str, str]:
    """Public name -> the module that defines it, for every module of :data:`FACE_PACKAGES`."""
    out: dict[str, str] = {}
    for sub in FACE_PACKAGES:
        pkg = importlib.import_module(f"cxresearch.{sub}")
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"cxresearch.{sub}.{info.name}")
            for name in getattr(module, "__all__", ()):
                if name in NOT_IN_FACE:
                    continue
                if name in out:
                    raise SystemExit(f"{name!r} is public in {out[name]} and {module.__name__}: "
                                     "one home per name")
                out[name] = module.__name__
    return dict(sorted(out.items(), key=lambda kv: kv[0].lower()))


def render(table: dict[str, str]) -> str:
    width = max(len(n) for n in table) + 4
    lines = [f"    {repr(n) + ':':<{width}} {m!r}," for n, m in table.items()]
    return "_FACE: dict[str, str] = {\n" + "\n".join(lines) + "\n}"


def main() -> int:
    text = INIT.read_text(encoding="utf-8")
    new = re.sub(r"_FACE: dict\[str, str\] = \{\n(?:.*?\n)?\}", lambda _: render(face()), text,
                 flags=re.S)
    if new != text:
        INIT.write_text(new, encoding="utf-8")
        print(f"updated {INIT.name}")
    else:
        print("the face is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
