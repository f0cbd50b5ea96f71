"""Notebook 06 as committed: its generated words agree with its printed tables.

The executed notebook (``notebooks/06_who_owns_cx.ipynb``, the record nbval keeps in step with
the code) is read back: the families of tests and their held counts, the ownership contrasts
that the conclusions say hold after Holm adjustment, and the numbers of the common-mistake box
(the owner in force against the owner at the end of the panel) must be the printed tables'.
"""

from __future__ import annotations

import json
import re

import pytest
from nb_outputs import families_agree, generated_markdown, table_with

from cxresearch.core import paths
from cxresearch.studies.leadership_06 import OWNERSHIP_FAMILIES

_NUM = r"([-+]?\d+(?:\.\d+)?)"


@pytest.fixture(scope="module")
def nb() -> dict:
    path = paths.NOTEBOOKS_DIR / "06_who_owns_cx.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_number_of_families_is_the_tables(nb: dict) -> None:
    families_agree(nb, OWNERSHIP_FAMILIES)


def test_held_contrasts_are_the_tables(nb: dict) -> None:
    table = table_with(nb, "owner (vs everyone's job)", "p_holm", "firm-years")
    held = table[table["p_holm"].astype(float) < 0.05]
    text = generated_markdown(nb)
    assert f"{len(held)} of {len(table)} ownership contrasts are distinguishable" in text
    summary = text[text.index("What these data show, what they miss, and the warnings"):]
    for r in held.itertuples(index=False):
        subject = f"**{r[1]} vs everyone's job, {r.outcome}**"
        assert subject in summary, subject
    said = re.findall(r"\*\*([^*]+) vs everyone's job, ([^*]+)\*\*[^\n]*the data show a",
                      summary)
    assert len(said) == len(held)


def test_the_mistake_box_cites_the_contrast_in_force(nb: dict) -> None:
    table = table_with(nb, "owner (vs everyone's job)", "p_holm", "firm-years")
    row = table[(table["owner (vs everyone's job)"] == "CX leader")
                & (table["outcome"] == "contacts (log-%)")].iloc[0]
    text = generated_markdown(nb)
    m = re.search(rf"moves from {_NUM} \(owner in force, 95% CI {_NUM} to {_NUM}\) to {_NUM}",
                  text)
    assert m
    assert abs(float(m.group(1)) - float(row["estimate"])) < 0.006
    assert abs(float(m.group(2)) - float(row["ci_low"])) < 0.006
    assert abs(float(m.group(3)) - float(row["ci_high"])) < 0.006
    timing = table_with(nb, "owner in force that year", "firm-years")
    n_pre = int(timing.loc[timing["owner in force that year"] == "CX leader not yet appointed",
                           "firm-years"].astype(int).sum())
    assert f"the {n_pre} firm-years before an appointment" in text


def test_the_difference_score_box_cites_the_say_do_table(nb: dict) -> None:
    table = table_with(nb, "model", "term", "estimate", "ci_low", "ci_high")
    cx = table[table["outcome"] == "CX (SD)"].set_index("term")
    text = generated_markdown(nb)
    m = re.search(rf"the gap's coefficient on CX is {_NUM} \(95% CI {_NUM} to {_NUM}\); entered "
                  rf"separately, say has {_NUM} \({_NUM} to {_NUM}\) and do {_NUM} \({_NUM} to "
                  rf"{_NUM}\)", text)
    assert m
    cited = [float(x) for x in m.groups()]
    printed = [float(cx.loc[term, col]) for term in ("gap", "say", "do")
               for col in ("estimate", "ci_low", "ci_high")]
    assert cited == pytest.approx(printed, abs=0.006)
