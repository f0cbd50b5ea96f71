"""Sentences built from computed results, so that a notebook's conclusions follow the data.

A sentence that states a result is made here from the estimate and its interval (or from an
adjusted test), never typed into a notebook. The interval decides the wording:

- it excludes zero: the data show a positive (negative) *association*, or *effect* when the
  design earns the causal word (``design="causal"``: a randomised or quasi-experimental design
  whose assumptions the notebook states);
- it includes zero: the data show **no clear** association, and the sentence says how large an
  effect the interval still allows.

Each :class:`Finding` carries ``claims_effect`` and renders as Markdown with that flag in the
output's metadata (``{"cxresearch": {"claims_effect": ...}}``), so a test can run the notebooks
on a study in which every effect is zero and check that no generated sentence claims one
(``tests/test_conclusions.py``).

Sentences that are true only of the bundled synthetic study (for example "the estimate is close
to the simulation's true value") are made with :func:`about_synthetic`, which returns nothing
when the data are a user's.

Examples
--------
>>> f = effect_sentence("EX → CX (SD per SD)", 0.31, 0.22, 0.40)
>>> f.claims_effect
True
>>> print(f.text)
**EX → CX (SD per SD)**: 0.31 (95% CI 0.22 to 0.40). The interval excludes zero:
the data show a positive association.
>>> print(effect_sentence("growth, leader vs not (pp)", 0.97, -0.98, 2.92).text)
**growth, leader vs not (pp)**: 0.97 (95% CI -0.98 to 2.92). The interval includes zero:
these data show no clear association (they allow anything from -0.98 to 2.92).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from cxresearch.core.validation import check_level, require_columns

__all__ = [
    "DATA_KINDS",
    "Conclusions",
    "Finding",
    "about_synthetic",
    "count_sentence",
    "difference_findings",
    "effect_sentence",
    "format_p",
    "label_text",
    "level_sentence",
    "truth_sentence",
]


#: what a result may rest on, and the label its sentence carries
DATA_KINDS: dict[str, str] = {
    "": "",
    "synthetic": "synthetic data",
    "fictional": "fictional data",
    "real": "real data",
    "user": "your data",
}


def label_text(text: str, data_kind: str) -> str:
    """``text`` with its data label: after the bold subject when it starts with one
    (``**NPS** (synthetic data): ...``), otherwise in front (``(synthetic data) ...``).

    Parameters
    ----------
    text : str
        A generated sentence (Markdown).
    data_kind : str
        A key of :data:`DATA_KINDS`.

    Returns
    -------
    str
        The labelled sentence (unchanged for ``""``).

    Examples
    --------
    >>> label_text("**CX leader − everyone's job**: 8.6 (95% CI 4.0 to 13.2).", "synthetic")
    "**CX leader − everyone's job** (synthetic data): 8.6 (95% CI 4.0 to 13.2)."
    >>> label_text("Two of five checks flag.", "user")
    '(your data) Two of five checks flag.'
    >>> label_text("*About the bundled synthetic study:* ...", "synthetic")
    '*About the bundled synthetic study:* ...'
    """
    label = DATA_KINDS[data_kind]
    if not label or not text:
        return text
    word = label.split()[0]  # "synthetic", "fictional", "real", "your"
    if re.search(rf"\b{word}\b", text[:120], flags=re.IGNORECASE) and data_kind != "user":
        return text  # it already says so ("*About the bundled synthetic study:* ...")
    if text.startswith("**"):
        end = text.find("**", 2)
        if end > 2:
            return f"{text[:end + 2]} ({label}){text[end + 2:]}"
    return f"({label}) {text}"


@dataclass(frozen=True)
class Finding:
    """One generated sentence and whether it claims an effect (or association).

    Shown in a notebook as Markdown, with ``claims_effect`` in the output's metadata.

    Parameters
    ----------
    text : str
        The sentence (Markdown).
    claims_effect : bool
        Whether it claims an effect or association.
    kind : str, default "result"
        What the sentence is: ``"result"``, ``"level"``, ``"check"``, ``"truth"``, ``"power"``,
        ``"synthetic-only"``.
    data_kind : str, default ""
        What the sentence rests on: ``"synthetic"``, ``"fictional"``, ``"real"`` or ``"user"``
        (the analyst's own data); ``""`` when not stated. Shown in the output's metadata, and
        in the text itself as a label after the bold subject (``"(synthetic data)"``), so that a
        pasted sentence keeps it.

    Examples
    --------
    >>> f = Finding("**NPS**: 12.0.", False, kind="level")
    >>> str(f), f.claims_effect
    ('**NPS**: 12.0.', False)
    >>> print(f.labelled("synthetic").text)
    **NPS** (synthetic data): 12.0.
    """

    text: str
    claims_effect: bool
    kind: str = "result"
    data_kind: str = field(default="", repr=False)  # shown in the text and metadata

    def __post_init__(self) -> None:
        if self.data_kind not in DATA_KINDS:
            raise ValueError(f"data_kind must be one of {sorted(DATA_KINDS)}, "
                             f"got {self.data_kind!r}")

    def labelled(self, data_kind: str) -> Finding:
        """This finding with ``data_kind`` set and its label in the text (once)."""
        if data_kind not in DATA_KINDS:
            raise ValueError(f"data_kind must be one of {sorted(DATA_KINDS)}, got {data_kind!r}")
        if self.data_kind or not data_kind or not self.text:
            return self if self.data_kind or not data_kind else Finding(
                self.text, self.claims_effect, self.kind, data_kind)
        return Finding(label_text(self.text, data_kind), self.claims_effect, self.kind,
                       data_kind)

    def _repr_markdown_(self) -> tuple[str, dict[str, Any]]:
        return self.text, {"cxresearch": {"claims_effect": self.claims_effect,
                                          "kind": self.kind, "data_kind": self.data_kind}}

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Conclusions:
    """Several findings shown as one Markdown list under a heading.

    Parameters
    ----------
    findings : tuple of Finding
        The sentences, in order (empty ones are left out).
    heading : str, default ""
        Bold text above the list.
    notes : tuple of str
        Paragraphs after the list.
    data_kind : str, default ""
        What every finding rests on (``"synthetic"``, ``"fictional"``, ``"real"``, ``"user"``):
        each finding's text is labelled with it, the heading too, and the output's metadata
        carries it.

    Examples
    --------
    >>> c = Conclusions((effect_sentence("x", 0.5, 0.1, 0.9), Finding("", False)),
    ...                 heading="Results")
    >>> c.claims_effect
    True
    >>> print(c.text)
    **Results**
    <BLANKLINE>
    - **x**: 0.50 (95% CI 0.10 to 0.90). The interval excludes zero: the data show a positive
      association.
    """

    findings: tuple[Finding, ...]
    heading: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    data_kind: str = field(default="", repr=False)  # shown in the text and metadata

    def __post_init__(self) -> None:
        if self.data_kind not in DATA_KINDS:
            raise ValueError(f"data_kind must be one of {sorted(DATA_KINDS)}, "
                             f"got {self.data_kind!r}")
        if self.data_kind:
            object.__setattr__(self, "findings",
                               tuple(f.labelled(self.data_kind) for f in self.findings))

    @property
    def claims_effect(self) -> bool:
        return any(f.claims_effect for f in self.findings)

    @property
    def data_kinds(self) -> list[str]:
        """The data kinds the findings rest on (sorted, without ``""``)."""
        return sorted({f.data_kind for f in self.findings if f.data_kind})

    @property
    def text(self) -> str:
        heading = self.heading
        label = DATA_KINDS.get(self.data_kind, "")
        if heading and label and label not in heading.lower():
            heading = f"{heading} ({label})"
        lines = [f"**{heading}**", ""] if heading else []
        lines += [f"- {f.text}" for f in self.findings if f.text]
        if self.notes:
            lines += ["", *self.notes]
        return "\n".join(lines)

    def _repr_markdown_(self) -> tuple[str, dict[str, Any]]:
        kinds = self.data_kinds
        return self.text, {"cxresearch": {"claims_effect": self.claims_effect,
                                          "kind": "conclusions",
                                          "data_kind": kinds[0] if len(kinds) == 1
                                          else ",".join(kinds)}}

    def __str__(self) -> str:
        return self.text


def _fmt(x: float, digits: int) -> str:
    if x is None or not math.isfinite(float(x)):
        return "n/a"
    s = f"{float(x):.{digits}f}"
    return "0" + s[2:] if s.startswith("-0") and float(s) == 0 else s  # no "-0.00"


def effect_sentence(
    subject: str,
    estimate: float,
    ci_low: float,
    ci_high: float,
    *,
    level: float = 0.95,
    digits: int = 2,
    null: float = 0.0,
    design: Literal["association", "causal"] = "association",
    positive: str = "positive",
    negative: str = "negative",
    noun: str | None = None,
) -> Finding:
    """The sentence for one estimate with its interval; the interval decides the wording.

    Parameters
    ----------
    subject : str
        What was estimated, with its unit, e.g. ``"CX leader vs none, revenue growth (pp)"``.
    estimate, ci_low, ci_high : float
        The estimate and its interval at ``level``.
    level : float
        The interval's confidence level (only for the wording).
    digits : int
        Decimals shown.
    null : float
        The no-effect value (0 for differences and slopes, 1 for ratios).
    design : {"association", "causal"}
        ``"causal"`` only where the design earns the word "effect".
    positive, negative : str
        Words for the two directions (e.g. ``"higher"`` / ``"lower"``).
    noun : str, optional
        What is shown (``"difference"``, ``"trend"``); default "association", or "effect"
        for a causal design.

    Returns
    -------
    Finding
        ``claims_effect`` is True when the interval excludes ``null``.

    Examples
    --------
    >>> effect_sentence("odds ratio", 0.8, 0.7, 0.9, null=1.0).claims_effect
    True
    """
    check_level(level)
    if noun is None:
        noun = "effect" if design == "causal" else "association"
    pct = f"{level * 100:.0f}%"
    head = (f"**{subject}**: {_fmt(estimate, digits)} ({pct} CI {_fmt(ci_low, digits)} to "
            f"{_fmt(ci_high, digits)}).")
    values = [estimate, ci_low, ci_high]
    if not all(v is not None and math.isfinite(float(v)) for v in values):
        return Finding(f"**{subject}**: could not be estimated from these data.", False)
    null_word = "zero" if null == 0 else _fmt(null, digits)
    if ci_low > null or ci_high < null:
        word = positive if estimate > null else negative
        article = "an" if word[:1].lower() in "aeiou" else "a"
        return Finding(f"{head} The interval excludes {null_word}: the data show {article} "
                       f"{word} {noun}.", True)
    return Finding(
        f"{head} The interval includes {null_word}: these data show no clear {noun} (they "
        f"allow anything from {_fmt(ci_low, digits)} to {_fmt(ci_high, digits)}).",
        False,
    )


def level_sentence(
    subject: str,
    estimate: float,
    ci_low: float,
    ci_high: float,
    *,
    reference: float = 0.0,
    reference_name: str = "zero",
    level: float = 0.95,
    digits: int = 1,
    difference: bool = False,
) -> Finding:
    """Where a score lies against a reference value (a level, not an effect).

    With ``difference=True`` the score is a difference (two metrics, two groups): a sentence
    that puts it credibly above or below the reference then claims an effect, and the check
    that runs the notebooks on a study without effects sees it.

    Parameters
    ----------
    subject : str
        The score, with its unit.
    estimate, ci_low, ci_high : float
        The score and its interval at ``level``.
    reference : float, default 0.0
        The value compared with.
    reference_name : str, default "zero"
        Its name in the sentence.
    level : float, default 0.95
        The interval's confidence level (only for the wording).
    digits : int, default 1
        Decimals shown.
    difference : bool, default False
        Whether the score is a difference; then ``claims_effect`` is True when the interval
        excludes ``reference``.

    Returns
    -------
    Finding
        ``kind="level"``; claims an effect only for a difference whose interval excludes
        ``reference``.

    Examples
    --------
    >>> print(level_sentence("NPS", -9.0, -13.3, -4.5).text)
    **NPS**: -9.0 (95% CI -13.3 to -4.5), credibly below zero.
    >>> level_sentence("NPS", 2.0, -3.0, 7.0).text.endswith("above or below zero.")
    True
    """
    check_level(level)
    head = (f"**{subject}**: {_fmt(estimate, digits)} ({level * 100:.0f}% CI "
            f"{_fmt(ci_low, digits)} to {_fmt(ci_high, digits)})")
    if ci_low > reference:
        return Finding(f"{head}, credibly above {reference_name}.", difference, kind="level")
    if ci_high < reference:
        return Finding(f"{head}, credibly below {reference_name}.", difference, kind="level")
    return Finding(f"{head}: the interval includes {reference_name}, so one sample of this size "
                   f"cannot tell whether the score is above or below {reference_name}.", False,
                   kind="level")


def count_sentence(
    n_supported: int,
    n_total: int,
    what: str,
    *,
    adjustment: str = "Holm",
    level: float = 0.95,
    n_family: int | None = None,
) -> Finding:
    """How many of several comparisons hold after multiplicity control.

    Parameters
    ----------
    n_supported : int
        Comparisons distinguishable from zero after adjustment.
    n_total : int
        Comparisons the sentence reports.
    what : str
        What the comparisons are (plural noun phrase).
    adjustment : str, default "Holm"
        The adjustment's name, for the wording.
    level : float, default 0.95
        The family-wise confidence level (``1 - level`` is the error rate).
    n_family : int, optional
        The number of comparisons the adjustment was made for, when the sentence reports a
        subset of them (default: ``n_total``).

    Returns
    -------
    Finding
        Claims an effect when ``n_supported > 0``.

    Examples
    --------
    >>> print(count_sentence(2, 10, "pairwise owner differences").text)
    After Holm adjustment for 10 comparisons, 2 of 10 pairwise owner differences are
    distinguishable from zero at the 5% level.
    >>> count_sentence(0, 10, "pairwise owner differences").claims_effect
    False
    """
    check_level(level)
    alpha = f"{(1 - level) * 100:.0f}%"
    n_family = n_total if n_family is None else n_family
    if n_supported == 0:
        return Finding(f"After {adjustment} adjustment for {n_family} comparisons, none of the "
                       f"{n_total} {what} is distinguishable from zero at the {alpha} level.",
                       False)
    return Finding(f"After {adjustment} adjustment for {n_family} comparisons, {n_supported} of "
                   f"{n_total} {what} {'is' if n_supported == 1 else 'are'} distinguishable "
                   f"from zero at the {alpha} level.", True)


def truth_sentence(
    subject: str, estimate: float, ci_low: float, ci_high: float, truth: float, *,
    digits: int = 2,
) -> Finding:
    """Does the interval cover the simulation's true value? (synthetic data only)

    Parameters
    ----------
    subject : str
        What was estimated.
    estimate, ci_low, ci_high : float
        The estimate and its interval (the estimate is not shown).
    truth : float
        The simulation's true value.
    digits : int, default 2
        Decimals shown.

    Returns
    -------
    Finding
        Never claims an effect (``kind="truth"``).

    Examples
    --------
    >>> print(truth_sentence("EX → CX", 0.31, 0.22, 0.40, 0.30).text)
    **EX → CX**: the interval (0.22 to 0.40) covers the simulation's true value, 0.30.
    """
    covers = ci_low <= truth <= ci_high
    verb = "covers" if covers else "misses"
    return Finding(f"**{subject}**: the interval ({_fmt(ci_low, digits)} to "
                   f"{_fmt(ci_high, digits)}) {verb} the simulation's true value, "
                   f"{_fmt(truth, digits)}.", False, kind="truth")


def about_synthetic(text: str, synthetic: bool) -> Finding:
    """A sentence that is true only of the bundled synthetic study; empty on a user's data.

    Parameters
    ----------
    text : str
        The sentence.
    synthetic : bool
        Whether the notebook runs on the bundled synthetic data.

    Returns
    -------
    Finding
        ``kind="synthetic-only"``; its text is empty when ``synthetic`` is False.

    Examples
    --------
    >>> about_synthetic("In the simulation, EX drives CX.", synthetic=False).text
    ''
    """
    if not synthetic:
        return Finding("", False, kind="synthetic-only")
    return Finding(f"*About the bundled synthetic study:* {text}", False, kind="synthetic-only")


def findings_from_table(
    data: pd.DataFrame,
    label: str,
    *,
    estimate: str = "estimate",
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    subjects: Sequence[str] | None = None,
    **kwargs: Any,
) -> tuple[Finding, ...]:
    """One :func:`effect_sentence` per row of a tidy result table.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per estimate.
    label : str
        The column naming each estimate (the sentence's subject).
    estimate, ci_low, ci_high : str
        The columns of the estimate and its interval.
    subjects : sequence of str, optional
        Subjects to use instead of ``data[label]``, one per row.
    **kwargs
        Passed to :func:`effect_sentence` (``level``, ``digits``, ``design``, ...).

    Returns
    -------
    tuple of Finding

    Examples
    --------
    >>> t = pd.DataFrame({"term": ["a", "b"], "estimate": [1.0, 0.1],
    ...                   "ci_low": [0.5, -0.2], "ci_high": [1.5, 0.4]})
    >>> [f.claims_effect for f in findings_from_table(t, "term")]
    [True, False]
    """
    require_columns(data, [label, estimate, ci_low, ci_high])
    names: Iterable[str] = subjects if subjects is not None else data[label].astype(str)
    return tuple(
        effect_sentence(name, float(r[estimate]), float(r[ci_low]), float(r[ci_high]), **kwargs)
        for name, (_, r) in zip(names, data.iterrows(), strict=True)
    )


__all__ += ["findings_from_table"]


# --------------------------------------------------------------------------------------------
# several estimates at once: the adjusted test decides the wording
# --------------------------------------------------------------------------------------------


def difference_findings(
    pairs: pd.DataFrame,
    what: str,
    *,
    estimates: Mapping[str, float] | None = None,
    unit: str = "points",
    level: float = 0.95,
    digits: int = 1,
    note: str = "",
) -> tuple[Finding, ...]:
    """One sentence per pairwise difference that holds after Holm, with its direction and size.

    ``"**in-store vs web (NPS)**: 40.9 vs 11.9, +29.0 points (95% CI 18.2 to 39.8;
    Holm-adjusted p < 0.001)."`` The higher group comes first, so the sign is always +.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Pairwise comparisons with columns ``a``, ``b``, ``difference`` (a − b), ``ci_low``,
        ``ci_high``, ``p_holm`` and ``significant`` (as
        :func:`cxresearch.metrics.scores.compare_segments` returns).
    what : str
        What is compared, for the bold subject (``"NPS"``).
    estimates : mapping, optional
        Group -> its estimate, to show both levels (``40.9 vs 11.9``).
    unit : str, default "points"
        The unit of the difference.
    level : float, default 0.95
        The intervals' confidence level (for the wording).
    digits : int, default 1
        Decimals shown.
    note : str, default ""
        A sentence appended to each finding (``"an association, not an effect"``).

    Returns
    -------
    tuple of Finding
        One per pair with ``significant`` True, each claiming an effect; empty when none holds.

    Examples
    --------
    >>> t = pd.DataFrame({"a": ["web"], "b": ["in-store"], "difference": [-29.0],
    ...                   "ci_low": [-39.8], "ci_high": [-18.2], "p_holm": [0.0001],
    ...                   "significant": [True]})
    >>> print(difference_findings(t, "NPS", estimates={"web": 11.9, "in-store": 40.9})[0].text)
    **in-store vs web (NPS)**: 40.9 vs 11.9, +29.0 points (95% CI 18.2 to 39.8; Holm-adjusted p
    < 0.001).
    """
    check_level(level)
    require_columns(pairs, ["a", "b", "difference", "ci_low", "ci_high", "p_holm",
                            "significant"])
    out = []
    for r in pairs[pairs["significant"].astype(bool)].itertuples():
        if r.difference >= 0:
            hi, lo, d, a, b = r.a, r.b, r.difference, r.ci_low, r.ci_high
        else:
            hi, lo, d, a, b = r.b, r.a, -r.difference, -r.ci_high, -r.ci_low
        levels = ""
        if estimates is not None and hi in estimates and lo in estimates:
            levels = (f"{_fmt(estimates[hi], digits)} vs {_fmt(estimates[lo], digits)}, ")
        text = (f"**{hi} vs {lo} ({what})**: {levels}+{_fmt(d, digits)} {unit} "
                f"({level * 100:.0f}% CI {_fmt(a, digits)} to {_fmt(b, digits)}; "
                f"Holm-adjusted p {format_p(r.p_holm)}).")
        out.append(Finding(f"{text} {note}".strip(), True))
    return tuple(out)


def format_p(p: float) -> str:
    """A p-value as the sentences print it: ``"= 0.012"``, ``"< 0.001"``, or ``"n/a"``.

    Parameters
    ----------
    p : float
        The p-value (``None`` or NaN give ``"n/a"``).

    Returns
    -------
    str

    Examples
    --------
    >>> format_p(0.01234), format_p(0.0002), format_p(float("nan"))
    ('= 0.012', '< 0.001', 'n/a')
    """
    if p is None or not math.isfinite(float(p)):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def holm_family(
    data: pd.DataFrame,
    *,
    p_value: str = "p_value",
    estimate: str = "estimate",
    se: str = "se",
    null: float = 0.0,
    by: str | Sequence[str] | None = None,
    n_families: int = 1,
) -> pd.DataFrame:
    """A copy of a table of estimates with Holm-adjusted p-values.

    One family per table (or per value of ``by``). Adds ``p_holm`` (via
    :func:`cxresearch.core.inference.holm`) and ``n_family`` (the comparisons adjusted for). When a
    study asks ``n_families`` questions, each a family of comparisons, and should keep the
    chance of *any* false alarm among all of them at the nominal level, the families split that
    level equally (Bonferroni across families, Holm within each): ``p_holm`` is then
    ``min(1, n_families * p_Holm)``, and ``n_families`` is recorded in a column. Where
    ``p_value`` is missing (a column absent, or NaN in a row) and ``se`` is given, the two-sided
    normal (Wald) p-value of ``(estimate - null) / se`` is used and written to ``p_value``, e.g.
    for bootstrap estimates with a bootstrap SE. Rows without a p-value stay out of the family
    (``p_holm`` NaN).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per comparison (not modified).
    p_value, estimate, se : str
        Column names of the p-value, the estimate and its standard error.
    null : float, default 0.0
        The no-effect value for the Wald p-values.
    by : str or sequence of str, optional
        Columns whose values define separate families.
    n_families : int, default 1
        Questions that share the error rate.

    Returns
    -------
    pandas.DataFrame
        A copy with ``p_value`` filled, ``p_holm``, ``n_family`` (and ``n_families`` when > 1).

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics*, 6(2), 65-70.

    Examples
    --------
    >>> t = pd.DataFrame({"estimate": [1.0, 0.1, 0.5], "se": [0.2, 0.2, 0.2]})
    >>> out = holm_family(t)
    >>> out["p_holm"].round(4).tolist(), int(out["n_family"].iloc[0])
    ([0.0, 0.6171, 0.0248], 3)
    >>> holm_family(t, n_families=3)["p_holm"].round(4).tolist()
    [0.0, 1.0, 0.0745]
    """
    from scipy import stats

    from cxresearch.core.inference import holm

    if int(n_families) != n_families or n_families < 1:
        raise ValueError(f"argument 'n_families': a whole number >= 1, got {n_families!r}")
    out = data.copy()
    p = (pd.to_numeric(out[p_value], errors="coerce") if p_value in out
         else pd.Series(np.nan, index=out.index))
    if se in out and estimate in out:
        z = (out[estimate].astype(float) - null) / out[se].astype(float)
        wald = pd.Series(2 * stats.norm.sf(np.abs(z.to_numpy())), index=out.index)
        p = p.fillna(wald.where(out[se].astype(float) > 0))
    out[p_value] = p
    pv = p.to_numpy(dtype=float)
    p_holm = np.full(len(out), np.nan)
    n_family = np.zeros(len(out), dtype=int)
    keys = [by] if isinstance(by, str) else list(by or [])
    positions = (out.groupby(keys, sort=False, dropna=False).indices.values() if keys
                 else [np.arange(len(out))])
    for pos in positions:
        ok = pos[np.isfinite(pv[pos])]
        p_holm[ok] = holm(pv[ok])
        n_family[pos] = len(ok)
    out["p_holm"] = np.minimum(1.0, int(n_families) * p_holm)
    out["n_family"] = n_family
    if n_families > 1:
        out["n_families"] = int(n_families)
    return out


def adjusted_effect_sentence(
    subject: str,
    estimate: float,
    ci_low: float,
    ci_high: float,
    p_adjusted: float,
    *,
    n_family: int,
    n_families: int = 1,
    adjustment: str = "Holm",
    level: float = 0.95,
    digits: int = 2,
    null: float = 0.0,
    design: Literal["association", "causal"] = "association",
    positive: str = "positive",
    negative: str = "negative",
    noun: str | None = None,
) -> Finding:
    """The sentence for one of several estimates: the multiplicity-adjusted test decides.

    The estimate is shown with its (unadjusted) interval and its adjusted p-value. It claims a
    direction only when the adjusted p-value is below ``1 - level`` **and** the interval excludes
    ``null`` (so a test and an interval made by different methods never contradict the
    sentence). An interval that excludes ``null`` while the adjusted test does not is said to
    be not enough with ``n_family`` comparisons.

    Parameters
    ----------
    subject : str
        What was estimated, with its unit.
    estimate, ci_low, ci_high : float
        The estimate and its unadjusted interval at ``level``.
    p_adjusted : float
        The adjusted p-value (e.g. Holm, :func:`holm_family`).
    n_family : int
        The number of comparisons adjusted for.
    n_families : int
        The number of families (questions) that share the error rate (see
        :func:`holm_family`); said in the sentence when above 1.
    adjustment : str
        The adjustment's name, for the wording.
    level, digits, null, design, positive, negative, noun
        As in :func:`effect_sentence`.

    Returns
    -------
    Finding

    Examples
    --------
    >>> f = adjusted_effect_sentence("COO vs everyone's job, growth (pp)", -3.02, -5.31, -0.73,
    ...                              0.099, n_family=12, digits=1)
    >>> f.claims_effect
    False
    >>> print(f.text)
    **COO vs everyone's job, growth (pp)**: -3.0 (95% CI -5.3 to -0.7). The unadjusted
    interval excludes zero, but after Holm adjustment for 12 comparisons (adjusted p = 0.099)
    these data show no clear association.
    >>> adjusted_effect_sentence("x", 0.6, 0.3, 0.9, 0.001, n_family=12).claims_effect
    True
    """
    check_level(level)
    if noun is None:
        noun = "effect" if design == "causal" else "association"
    pct = f"{level * 100:.0f}%"
    values = [estimate, ci_low, ci_high]
    if not all(v is not None and math.isfinite(float(v)) for v in values):
        return Finding(f"**{subject}**: could not be estimated from these data.", False)
    head = (f"**{subject}**: {_fmt(estimate, digits)} ({pct} CI {_fmt(ci_low, digits)} to "
            f"{_fmt(ci_high, digits)}).")
    null_word = "zero" if null == 0 else _fmt(null, digits)
    excludes = ci_low > null or ci_high < null
    alpha = f"{(1 - level) * 100:.0f}%"
    shared = (f", the {alpha} error rate split over {n_families} questions" if n_families > 1
              else "")
    adj = (f"{adjustment} adjustment for {n_family} comparison{'' if n_family == 1 else 's'}"
           f"{shared} (adjusted p {format_p(p_adjusted)})")
    significant = p_adjusted is not None and math.isfinite(float(p_adjusted)) and \
        p_adjusted < 1 - level
    if significant and excludes:
        word = positive if estimate > null else negative
        article = "an" if word[:1].lower() in "aeiou" else "a"
        return Finding(f"{head} After {adj}, the data show {article} {word} {noun}.", True)
    if excludes:
        return Finding(f"{head} The unadjusted interval excludes {null_word}, but after {adj} "
                       f"these data show no clear {noun}.", False)
    return Finding(f"{head} After {adj}, these data show no clear {noun} (they allow anything "
                   f"from {_fmt(ci_low, digits)} to {_fmt(ci_high, digits)}).", False)


def findings_from_adjusted_table(
    data: pd.DataFrame,
    label: str,
    *,
    p_adjusted: str = "p_holm",
    estimate: str = "estimate",
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    subjects: Sequence[str] | None = None,
    n_family: int | None = None,
    **kwargs: Any,
) -> tuple[Finding, ...]:
    """One :func:`adjusted_effect_sentence` per row of a table with adjusted p-values.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per estimate, e.g. from :func:`holm_family`.
    label : str
        The column naming each estimate.
    p_adjusted, estimate, ci_low, ci_high : str
        Column names of the adjusted p-value, the estimate and its interval.
    subjects : sequence of str, optional
        Subjects to use instead of ``data[label]``.
    n_family : int, optional
        Defaults to the table's ``n_family`` column (:func:`holm_family`), else its number of
        rows; ``n_families`` (in ``kwargs``) defaults to the table's ``n_families`` column, else 1.
    **kwargs
        Passed to :func:`adjusted_effect_sentence`.

    Returns
    -------
    tuple of Finding

    Examples
    --------
    >>> t = holm_family(pd.DataFrame({"term": ["a", "b"], "estimate": [1.0, 0.3],
    ...                               "se": [0.2, 0.15], "ci_low": [0.6, 0.01],
    ...                               "ci_high": [1.4, 0.59]}))
    >>> [f.claims_effect for f in findings_from_adjusted_table(t, "term")]
    [True, True]
    """
    require_columns(data, [label, estimate, ci_low, ci_high, p_adjusted])
    names: Iterable[str] = subjects if subjects is not None else data[label].astype(str)
    out = []
    for name, (_, r) in zip(names, data.iterrows(), strict=True):
        m = n_family if n_family is not None else (
            int(r["n_family"]) if "n_family" in data else len(data))
        k = int(r["n_families"]) if "n_families" in data and "n_families" not in kwargs else (
            kwargs.get("n_families", 1))
        rest = {key: v for key, v in kwargs.items() if key != "n_families"}
        out.append(adjusted_effect_sentence(name, float(r[estimate]), float(r[ci_low]),
                                            float(r[ci_high]), float(r[p_adjusted]),
                                            n_family=m, n_families=k, **rest))
    return tuple(out)


def criterion_sentence(
    subject: str,
    value: float | Mapping[str, float],
    threshold: float,
    *,
    criterion: str = "criterion",
    digits: int = 2,
) -> Finding:
    """Whether a statistic meets a conventional threshold (a check, not an effect).

    Parameters
    ----------
    subject : str
        The statistic.
    value : float or mapping of str to float
        One number, or several by name (then the sentence lists which meet it).
    threshold : float
        The conventional threshold (met when ``value >= threshold``).
    criterion : str, default "criterion"
        The threshold's name in the sentence.
    digits : int, default 2
        Decimals shown.

    Returns
    -------
    Finding
        Never claims an effect (``kind="check"``).

    Examples
    --------
    >>> print(criterion_sentence("ICC(2), engagement", 0.62, 0.70).text)
    **ICC(2), engagement**: 0.62, below the 0.70 criterion.
    >>> print(criterion_sentence("ICC(2)", {"culture": 0.71, "nps": 0.41}, 0.70).text)
    **ICC(2)** against the 0.70 criterion: met by culture (0.71); not by nps (0.41).
    """
    if isinstance(value, Mapping):
        met = [f"{k} ({_fmt(v, digits)})" for k, v in value.items()
               if v is not None and math.isfinite(float(v)) and v >= threshold]
        not_met = [f"{k} ({_fmt(v, digits)})" for k, v in value.items()
                   if not (v is not None and math.isfinite(float(v)) and v >= threshold)]
        parts = ([f"met by {', '.join(met)}"] if met else ["met by none"]) + (
            [f"not by {', '.join(not_met)}"] if not_met else [])
        return Finding(f"**{subject}** against the {_fmt(threshold, digits)} {criterion}: "
                       f"{'; '.join(parts)}.", False, kind="check")
    if value is None or not math.isfinite(float(value)):
        return Finding(f"**{subject}**: could not be computed from these data.", False,
                       kind="check")
    where = "meets the" if value >= threshold else "below the"
    return Finding(f"**{subject}**: {_fmt(value, digits)}, {where} {_fmt(threshold, digits)} "
                   f"{criterion}.", False, kind="check")


def adjusted_supported(
    data: pd.DataFrame,
    *,
    p_adjusted: str = "p_holm",
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    level: float = 0.95,
    null: float = 0.0,
) -> pd.Series:
    """Rows that :func:`adjusted_effect_sentence` words as a finding.

    Adjusted p below ``1 - level`` and an interval that excludes ``null`` (for
    :func:`count_sentence`).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per estimate.
    p_adjusted, ci_low, ci_high : str
        Column names of the adjusted p-value and the interval.
    level : float, default 0.95
        Confidence level (``1 - level`` is the error rate).
    null : float, default 0.0
        The no-effect value.

    Returns
    -------
    pandas.Series of bool
        One flag per row.

    Examples
    --------
    >>> t = pd.DataFrame({"p_holm": [0.01, 0.01, 0.2], "ci_low": [0.1, -0.1, 0.1],
    ...                   "ci_high": [0.5, 0.5, 0.5]})
    >>> adjusted_supported(t).tolist()
    [True, False, False]
    """
    check_level(level)
    require_columns(data, [p_adjusted, ci_low, ci_high])
    p = pd.to_numeric(data[p_adjusted], errors="coerce")
    excludes = (data[ci_low] > null) | (data[ci_high] < null)
    return (p < 1 - level) & excludes


def power_sentence(
    subject: str,
    sizes: Sequence[float],
    power: Sequence[float],
    *,
    target: float = 0.8,
    unit: str = "firms",
) -> Finding:
    """The smallest design size whose simulated power reaches ``target`` (or that none does).

    Parameters
    ----------
    subject : str
        The outcome and design.
    sizes : sequence of float
        Design sizes (e.g. numbers of firms).
    power : sequence of float
        The power at each size.
    target : float, default 0.8
        The power wanted.
    unit : str, default "firms"
        What the sizes count.

    Returns
    -------
    Finding
        Never claims an effect (``kind="power"``).

    Examples
    --------
    >>> print(power_sentence("CX, 8 years", [100, 300, 1000], [0.6, 0.86, 1.0]).text)
    **CX, 8 years**: 80% power is reached with 300 firms (power 0.86); with 100, 0.60.
    >>> print(power_sentence("growth", [100, 3000], [0.1, 0.5]).text)
    **growth**: 80% power is not reached with up to 3,000 firms (power there 0.50).
    """
    pairs = sorted(zip((float(s) for s in sizes), (float(p) for p in power), strict=True))
    if not pairs:
        return Finding(f"**{subject}**: no power computed.", False, kind="power")
    pct = f"{target * 100:.0f}%"
    hit = [(s, p) for s, p in pairs if p >= target]
    if not hit:
        s, p = pairs[-1]
        return Finding(f"**{subject}**: {pct} power is not reached with up to {s:,.0f} {unit} "
                       f"(power there {p:.2f}).", False, kind="power")
    s, p = hit[0]
    below = [(s0, p0) for s0, p0 in pairs if s0 < s]
    tail = f"; with {below[-1][0]:,.0f}, {below[-1][1]:.2f}" if below else ""
    return Finding(f"**{subject}**: {pct} power is reached with {s:,.0f} {unit} (power "
                   f"{p:.2f}){tail}.", False, kind="power")


__all__ += ["adjusted_effect_sentence", "adjusted_supported", "criterion_sentence",
            "findings_from_adjusted_table", "holm_family", "power_sentence"]
