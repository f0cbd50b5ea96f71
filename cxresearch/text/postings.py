"""Content analysis of job postings: does a CX-titled posting ever mention the customer?

The coding protocol (notebook 10)
---------------------------------
Unit: one posting's *description* (its title is recorded separately). A description
**mentions the customer** when the duties or requirements of the job refer to

- **customers** as people the job serves (customers, clients, patients, guests, shoppers,
  account holders, "the people who buy from us");
- **customer outcomes**: satisfaction, loyalty, retention or churn of customers, complaints,
  NPS/CSAT/CES, customer effort, customer lifetime value;
- **CX methods**: journey mapping, voice-of-the-customer programmes, personas, closing the
  loop with customers, customer research or feedback, service design.

It does **not** count when the word appears only in the company's self-description ("customers
are at the heart of everything we do"), in the job title or the name of the CX team or
department ("as our Customer Experience Manager", "join the CX team"), or in a sense that is
not about customers ("client-server", an *employee* survey, staff retention). A description
that mentions none of the three **never mentions the customer**.

Tools
-----
- :data:`KEYWORDS` / :func:`keyword_dictionary`: a keyword dictionary for the three parts;
  :func:`keyword_codes` applies it, leaving out the posting's own title and CX team names.
- :func:`classify_postings`: TF-IDF and L2-penalised logistic regression (scikit-learn),
  trained on the hand codes, with out-of-fold predictions for the hand-coded postings.
- :func:`validation_table`: precision, recall, specificity, accuracy (Wilson intervals) and
  Cohen's kappa of the dictionary and the classifier against the hand codes.
- :func:`share_never_mentions`: the share of postings that never mention the customer, by
  title family, from the hand codes, the raw dictionary and the classifier corrected for its
  errors (Rogan & Gladen 1978), with intervals and the difference between the families.
- :func:`read_postings`: a user's own scraped postings (CSV or JSONL with ``title`` and
  ``description``), validated with errors that name the file, column and rows.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.core.inference import wilson_interval
from cxresearch.core.validation import DataError, check_level, check_n_boot, check_seed, first_rows

__all__ = [
    "CX_TITLE_PATTERN",
    "KEYWORDS",
    "classify_postings",
    "is_cx_title",
    "keyword_codes",
    "keyword_dictionary",
    "read_postings",
    "share_never_mentions",
    "title_family",
    "validation_table",
]

#: A title counts as a CX title when it matches this (case-insensitive).
CX_TITLE_PATTERN = (r"\b(?:customer|client|guest|patient)\s+experience\b|\bCX\b|\bCXO\b"
                    r"|\bexperience\s+officer\b")

#: The keyword dictionary: part -> regular expressions (case-insensitive, whole words).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "customers": (r"customers?", r"clients?", r"consumers?", r"patients?", r"guests?",
                  r"shoppers?", r"buyers?", r"end[- ]users?"),
    "customer outcomes": (r"satisfaction", r"loyalty", r"retention", r"churn", r"NPS",
                          r"net promoter", r"CSAT", r"effort score", r"complaints?",
                          r"lifetime value", r"advocacy"),
    "CX methods": (r"journeys?", r"journey map(?:s|ping)?", r"voice[- ]of[- ]the[- ]customer",
                   r"VoC", r"personas?", r"service design", r"close the loop", r"closed[- ]loop",
                   r"feedback", r"surveys?", r"touchpoints?", r"pain points?"),
}

_MEANING = {
    "customers": "the people the job serves",
    "customer outcomes": "what happens to customers: satisfaction, loyalty, churn, complaints",
    "CX methods": "how CX work is done: journeys, voice of the customer, feedback, personas",
}

# Job-title and department phrases that do not count as mentioning the customer.
_CX_UNIT = (r"\b(?:customer|client|guest|patient)\s+experience\s+(?:manager|director|team|"
            r"department|function|lead|analyst|specialist|officer|strategist|programme|program|"
            r"organi[sz]ation)s?\b|\bCX\s+(?:team|department|function|manager|director|lead|"
            r"analyst|specialist|strategist|program|programme)s?\b")

LABEL = "mentions_customer"


def is_cx_title(titles: pd.Series | Sequence[str]) -> pd.Series:
    """True where a title matches :data:`CX_TITLE_PATTERN`.

    Parameters
    ----------
    titles : pandas.Series or sequence of str
        Job titles.

    Returns
    -------
    pandas.Series of bool
        One value per title.

    Examples
    --------
    >>> is_cx_title(["Head of CX", "Operations Manager", "Customer Experience Lead"]).tolist()
    [True, False, True]
    """
    s = pd.Series(titles, dtype="string")
    return s.str.contains(CX_TITLE_PATTERN, case=False, regex=True).fillna(False).astype(bool)


def title_family(titles: pd.Series | Sequence[str]) -> pd.Series:
    """``"CX title"`` or ``"other title"`` for each title.

    Parameters
    ----------
    titles : pandas.Series or sequence of str
        Job titles.

    Returns
    -------
    pandas.Series of str
        One family per title.

    Examples
    --------
    >>> title_family(["CX Analyst", "Project Manager"]).tolist()
    ['CX title', 'other title']
    """
    return is_cx_title(titles).map({True: "CX title", False: "other title"})


def keyword_dictionary() -> pd.DataFrame:
    """The keyword dictionary as a table: part, what it means, its keywords.

    Parameters
    ----------
    None

    Returns
    -------
    pandas.DataFrame
        One row per part of the dictionary.

    Examples
    --------
    >>> keyword_dictionary()["part"].tolist()
    ['customers', 'customer outcomes', 'CX methods']
    """
    return pd.DataFrame([{"part": part, "meaning": _MEANING[part],
                          "keywords (regular expressions, whole words)": ", ".join(words)}
                         for part, words in KEYWORDS.items()])


def _compile(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", flags=re.IGNORECASE)


def keyword_codes(
    data: pd.DataFrame,
    *,
    dictionary: Mapping[str, Sequence[str]] | None = None,
    exclude_title: bool = True,
) -> pd.DataFrame:
    """Keyword hits per part of the dictionary in each description.

    With ``exclude_title`` the posting's own title and CX team or job names ("the Customer
    Experience team", "CX manager") are removed from the description first, as the protocol
    asks. Returns a frame with one count column per part and ``keyword_mention`` (any hit),
    indexed like ``data``.

    Parameters
    ----------
    data : pandas.DataFrame
        Postings with ``title`` and ``description``.
    dictionary : mapping, optional
        Part -> keywords (default: the module's :data:`KEYWORDS`).
    exclude_title : bool, default True
        Remove the posting's own title and CX team or job names first.

    Returns
    -------
    pandas.DataFrame
        One count column per part and ``keyword_mention``, indexed like ``data``.

    Examples
    --------
    >>> d = pd.DataFrame({"title": ["CX Lead", "CX Lead"],
    ...                   "description": ["As our CX Lead you run reports.",
    ...                                   "Reduce churn among customers."]})
    >>> keyword_codes(d)["keyword_mention"].tolist()
    [False, True]
    """
    for col in ("title", "description"):
        if col not in data.columns:
            raise DataError(f"data: column {col!r} not found; available: {list(data.columns)}")
    dictionary = KEYWORDS if dictionary is None else dictionary
    text = data["description"].fillna("").astype(str)
    if exclude_title:
        unit = re.compile(_CX_UNIT, flags=re.IGNORECASE)
        text = pd.Series([unit.sub(" ", t.replace(str(ti), " ") if str(ti) else t)
                          for t, ti in zip(text, data["title"].fillna(""), strict=True)],
                         index=data.index)
    out = pd.DataFrame(index=data.index)
    for part, words in dictionary.items():
        pattern = _compile(words)
        out[part] = [len(pattern.findall(t)) for t in text]
    out["keyword_mention"] = out[list(dictionary)].sum(axis=1) > 0
    return out


# --------------------------------------------------------------------------------------------
# Reading a user's postings
# --------------------------------------------------------------------------------------------

_TRUE = {"1", "1.0", "true", "yes", "y"}
_FALSE = {"0", "0.0", "false", "no", "n"}


def _read_jsonl(file: Path) -> pd.DataFrame:
    records = []
    for line_no, line in enumerate(file.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{file.name}: line {line_no} is not valid JSON ({exc.msg} at "
                            f"column {exc.colno})") from None
        if not isinstance(rec, dict):
            raise DataError(f"{file.name}: line {line_no} is not a JSON object")
        records.append(rec)
    if not records:
        raise DataError(f"{file.name}: the file is empty (no postings)")
    return pd.DataFrame.from_records(records)


def read_postings(path: str | Path, *, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Read and validate a user's job postings (CSV, or JSON Lines ``.jsonl`` / ``.ndjson``).

    Required: ``title`` and ``description``. Optional: ``posting_id`` (unique) and
    ``mentions_customer``, the hand code under the protocol (1/0, true/false, yes/no; empty
    where not hand coded). ``columns`` renames the file's fields to these names. ``path`` may
    be a folder holding ``postings.csv`` or ``postings.jsonl`` (or a single such file).

    Returns a new frame with ``posting_id``, ``title``, ``description``, ``title_family`` and
    ``mentions_customer`` (nullable integer). Problems raise :class:`DataError` naming the
    file, the column and the first rows (0-based data rows).

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV or JSON Lines file, or a folder holding ``postings.csv`` or ``postings.jsonl``.
    columns : mapping, optional
        Renames the file's fields to the names above.

    Returns
    -------
    pandas.DataFrame
        The validated postings.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "postings.jsonl").write_text(
    ...     '{"title": "CX Lead", "description": "Reduce churn."}\\n'
    ...     '{"title": "Analyst", "description": ""}\\n')
    >>> read_postings(d)
    Traceback (most recent call last):
    ...
    cxresearch.core.validation.DataError: postings.jsonl: column 'description': 1 empty value(s) at
        rows [1]
    """
    file = Path(path)
    if file.is_dir():
        found = [file / n for n in ("postings.csv", "postings.jsonl") if (file / n).is_file()]
        if not found:
            found = sorted(p for p in file.iterdir()
                           if p.suffix.lower() in (".csv", ".jsonl", ".ndjson"))
        if len(found) != 1:
            raise DataError(f"{file.name}: expected postings.csv, postings.jsonl or exactly one "
                            f"CSV/JSONL file in the folder, found {[p.name for p in found]}")
        file = found[0]
    if not file.is_file():
        raise DataError(f"{file}: no such file")
    suffix = file.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        raw = _read_jsonl(file)
    elif suffix == ".csv":
        try:
            raw = pd.read_csv(file, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        except UnicodeDecodeError:
            raise DataError(f"{file.name}: not valid UTF-8; re-save the file as UTF-8") from None
        except pd.errors.EmptyDataError:
            raise DataError(f"{file.name}: the file is empty (no header row)") from None
        except pd.errors.ParserError as exc:
            raise DataError(f"{file.name}: could not parse the CSV "
                            f"({str(exc).strip()}); check for unquoted commas") from None
    else:
        raise DataError(f"{file.name}: unsupported file type {suffix!r}; use .csv or .jsonl")
    data = raw.rename(columns=dict(columns or {}))
    missing = [c for c in ("title", "description") if c not in data.columns]
    if missing:
        raise DataError(f"{file.name}: column(s) {missing} not found; available: "
                        f"{list(data.columns)[:30]} (rename with columns=)")
    if data.empty:
        raise DataError(f"{file.name}: no postings (only a header row)")
    data = data.reset_index(drop=True)
    out = pd.DataFrame(index=data.index)
    for col in ("title", "description"):
        values = data[col]
        not_text = values.map(lambda v: v is not None and not isinstance(v, str)
                              and not (isinstance(v, float) and math.isnan(v)))
        if not_text.any():
            raise DataError(f"{file.name}: column {col!r}: {int(not_text.sum())} value(s) are "
                            f"not text at rows {first_rows(not_text, data.index)}")
        text = values.map(lambda v: v.strip() if isinstance(v, str) else "")
        empty = text == ""
        if empty.any():
            raise DataError(f"{file.name}: column {col!r}: {int(empty.sum())} empty value(s) at "
                            f"rows {first_rows(empty, data.index)}")
        out[col] = text
    if "posting_id" in data.columns:
        ids = data["posting_id"].astype(str)
        dup = ids.duplicated(keep=False)
        if dup.any():
            raise DataError(f"{file.name}: column 'posting_id': duplicate ids at rows "
                            f"{first_rows(dup, data.index)}: {list(ids[dup].iloc[:5])}")
        out.insert(0, "posting_id", ids)
    else:
        out.insert(0, "posting_id", [f"p{i + 1:04d}" for i in range(len(data))])
    out["title_family"] = title_family(out["title"]).to_numpy()
    if LABEL in data.columns:
        raw_code = data[LABEL].map(lambda v: "" if v is None or (isinstance(v, float)
                                                                and math.isnan(v)) else
                                   str(v).strip().lower())
        bad = ~raw_code.isin(_TRUE | _FALSE | {""})
        if bad.any():
            raise DataError(f"{file.name}: column {LABEL!r}: {int(bad.sum())} value(s) not 1/0, "
                            f"true/false or yes/no at rows {first_rows(bad, data.index)}: "
                            f"{list(data.loc[bad, LABEL].iloc[:5])}")
        out[LABEL] = pd.array([1 if v in _TRUE else 0 if v in _FALSE else pd.NA
                               for v in raw_code], dtype="Int64")
    else:
        out[LABEL] = pd.array([pd.NA] * len(out), dtype="Int64")
    out.attrs["source"] = file.name
    return out


# --------------------------------------------------------------------------------------------
# Classifier and validation
# --------------------------------------------------------------------------------------------


def _pipeline() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    # L2-penalised, strictly convex: Newton-CG (quadratic convergence) to tol 1e-10 reaches the
    # unique optimum, so the predictions do not depend on the machine
    # (tests/test_postings.py checks that lbfgs gives the same probabilities).
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True),
        LogisticRegression(C=10.0, solver="newton-cg", tol=1e-10, max_iter=1_000),
    )


def classify_postings(
    data: pd.DataFrame,
    *,
    n_splits: int = 5,
    seed: int | None = 0,
    pipeline: Any = None,
) -> pd.DataFrame:
    """Predict ``mentions_customer`` for every posting with a text classifier trained on the
    hand codes.

    The classifier is a TF-IDF bag of words and word pairs (sublinear term frequency, terms in
    at least two postings) followed by an L2-penalised logistic regression (C = 10). Hand-coded
    postings get **out-of-fold** predictions from a stratified ``n_splits``-fold
    cross-validation (each is predicted by a model that never saw it); the others get the
    prediction of a model trained on all hand codes.

    Returns a copy of ``data`` with ``predicted_mentions`` (0/1), ``probability`` (of a
    mention) and ``prediction`` (``"out-of-fold"`` or ``"trained on all hand codes"``).
    Needs at least ``n_splits`` hand-coded postings in each class.

    References
    ----------
    Salton, G. & Buckley, C. (1988). Term-weighting approaches in automatic text retrieval.
    *Information Processing & Management* 24, 513-523. Pedregosa, F. et al. (2011).
    Scikit-learn: machine learning in Python. *JMLR* 12, 2825-2830.

    Parameters
    ----------
    data : pandas.DataFrame
        Postings with ``description`` and the hand codes ``mentions_customer``.
    n_splits : int, default 5
        Folds of the cross-validation.
    seed : int or None, default 0
        Seed of the fold assignment.
    pipeline : scikit-learn estimator, optional
        Replaces the default TF-IDF and logistic regression pipeline.

    Returns
    -------
    pandas.DataFrame
        A copy of ``data`` with the predictions.

    Examples
    --------
    >>> from cxresearch.simulate.postings import simulate_postings
    >>> p = simulate_postings(seed=1)
    >>> classify_postings(p)["prediction"].value_counts().to_dict()
    {'trained on all hand codes': 900, 'out-of-fold': 300}
    """
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold

    seed = check_seed(seed)
    for col in ("description", LABEL):
        if col not in data.columns:
            raise DataError(f"data: column {col!r} not found; available: {list(data.columns)}")
    coded = data[LABEL].notna().to_numpy()
    y = data.loc[coded, LABEL].astype(int).to_numpy()
    counts = np.bincount(y, minlength=2) if len(y) else np.zeros(2, dtype=int)
    if counts.min() < n_splits:
        raise DataError(f"column {LABEL!r}: the classifier needs at least {n_splits} hand-coded "
                        f"postings in each class, got {int(counts[1])} mentioning and "
                        f"{int(counts[0])} not mentioning the customer")
    text = data["description"].astype(str).to_numpy()
    model = pipeline if pipeline is not None else _pipeline()
    prob = np.full(len(data), np.nan)
    idx = np.flatnonzero(coded)
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for train, test in folds.split(idx, y):
        fitted = clone(model).fit(text[idx[train]], y[train])
        prob[idx[test]] = fitted.predict_proba(text[idx[test]])[:, 1]
    if (~coded).any():
        fitted = clone(model).fit(text[idx], y)
        prob[~coded] = fitted.predict_proba(text[~coded])[:, 1]
    out = data.copy()
    out["probability"] = prob
    out["predicted_mentions"] = (prob >= 0.5).astype(int)
    out["prediction"] = np.where(coded, "out-of-fold", "trained on all hand codes")
    return out


def validation_table(
    data: pd.DataFrame,
    *,
    level: float = 0.95,
    methods: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Each automatic coder against the hand codes, on the hand-coded postings.

    The positive class is **never mentions the customer** (the claim's category). For each
    method: precision = TP / (TP + FP), recall (sensitivity) = TP / (TP + FN), specificity =
    TN / (TN + FP) and accuracy, each with a Wilson interval, and Cohen's kappa with its
    asymptotic interval (:func:`cxresearch.text.coding.cohen_kappa`). ``methods`` maps a method name
    to a 0/1 column of predicted *mentions* (default: ``keyword_mention`` as "keyword
    dictionary" and ``predicted_mentions`` as "classifier (out-of-fold)", where present).

    Returns one row per method and measure: ``estimate``, ``ci_low``, ``ci_high``,
    ``numerator``, ``denominator``, ``level``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22, 209-212. Grimmer, J. & Stewart, B. M. (2013). Text as data: the
    promise and pitfalls of automatic content analysis methods. *Political Analysis* 21,
    267-297 (validate automatic coders against hand codes).

    Parameters
    ----------
    data : pandas.DataFrame
        Postings with the hand codes and the predictions.
    level : float, default 0.95
        Confidence level.
    methods : mapping, optional
        Method name -> column of predicted mentions (0/1).

    Returns
    -------
    pandas.DataFrame
        One row per method and measure.

    Examples
    --------
    >>> from cxresearch.simulate.postings import simulate_postings
    >>> p = simulate_postings(seed=1)
    >>> t = validation_table(p.join(keyword_codes(p)))
    >>> t[["measure", "estimate"]].round(3).head(2).values.tolist()
    [['precision', 0.885], ['recall', 0.313]]
    """
    from cxresearch.text.coding import cohen_kappa

    level = check_level(level)
    if methods is None:
        methods = {k: v for k, v in (("keyword dictionary", "keyword_mention"),
                                     ("classifier (out-of-fold)", "predicted_mentions"))
                   if v in data.columns}
    coded = data[data[LABEL].notna()]
    if coded.empty:
        raise DataError(f"column {LABEL!r}: no hand-coded postings to validate against")
    truth_none = coded[LABEL].astype(int).to_numpy() == 0
    rows = []
    for name, col in methods.items():
        pred_none = coded[col].astype(int).to_numpy() == 0
        tp = int((pred_none & truth_none).sum())
        fp = int((pred_none & ~truth_none).sum())
        fn = int((~pred_none & truth_none).sum())
        tn = int((~pred_none & ~truth_none).sum())
        for measure, num, den in (("precision", tp, tp + fp), ("recall", tp, tp + fn),
                                  ("specificity", tn, tn + fp),
                                  ("accuracy", tp + tn, tp + tn + fp + fn)):
            lo, hi = wilson_interval(num, den, level)
            rows.append({"method": name, "measure": measure,
                         "estimate": num / den if den else math.nan, "ci_low": lo,
                         "ci_high": hi, "numerator": num, "denominator": den, "level": level})
        k = cohen_kappa(pred_none.astype(int), truth_none.astype(int), level=level,
                        labels=[0, 1])
        rows.append({"method": name, "measure": "Cohen's kappa", "estimate": k.estimate,
                     "ci_low": k.ci_low, "ci_high": k.ci_high, "numerator": tp + tn,
                     "denominator": len(coded), "level": level})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# The share that never mentions the customer
# --------------------------------------------------------------------------------------------


def _newcombe(x1: int, n1: int, x2: int, n2: int, level: float) -> tuple[float, float]:
    """Newcombe's (1998, method 10) hybrid score interval for p1 - p2."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, level)
    l2, u2 = wilson_interval(x2, n2, level)
    d = p1 - p2
    return (d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
            d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


def _rogan_gladen(apparent: np.ndarray, sens: np.ndarray, spec: np.ndarray) -> np.ndarray:
    """(a + Sp - 1) / (Se + Sp - 1), clipped to [0, 1]; NaN when Se + Sp <= 1 (a classifier no
    better than chance carries no information to correct with)."""
    denominator = sens + spec - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        est = np.where(denominator > 0, (apparent + spec - 1) / denominator, np.nan)
    return np.clip(est, 0.0, 1.0)


def share_never_mentions(
    data: pd.DataFrame,
    *,
    by: str = "title_family",
    level: float = 0.95,
    n_boot: int = 2000,
    seed: int | None = 0,
) -> pd.DataFrame:
    r"""The share of postings whose description never mentions the customer, by ``by``.

    Three estimates, each with an interval at ``level``:

    - **hand codes**: the share among hand-coded postings (a random subset), Wilson interval;
    - **keyword dictionary (raw)**: the share of all postings without a keyword hit, Wilson
      interval -- this counts only sampling error, not the dictionary's own errors;
    - **classifier, corrected**: the classifier's apparent share :math:`\hat a` over all
      postings, corrected for its sensitivity (Se) and specificity (Sp) measured against the
      hand codes of the same group (Rogan & Gladen 1978, *American Journal of Epidemiology*
      107, 71-76): :math:`\hat p = (\hat a + \widehat{Sp} - 1)/(\widehat{Se} + \widehat{Sp} -
      1)`, clipped to [0, 1] (NaN when Se + Sp <= 1); percentile interval from ``n_boot``
      bootstrap resamples of the group's postings (which resample the hand codes with them;
      resamples where the correction is undefined are dropped).

    With two groups a further row per method gives the difference (first group minus second):
    Newcombe's (1998) hybrid score interval for the first two, the bootstrap for the third.

    Returns one row per group (and difference) and method: ``group``, ``method``, ``estimate``,
    ``ci_low``, ``ci_high``, ``n`` (postings the estimate uses), ``level``.

    References
    ----------
    Rogan, W. J. & Gladen, B. (1978). Estimating prevalence from the results of a screening
    test. *American Journal of Epidemiology* 107, 71-76. Newcombe, R. G. (1998). Interval
    estimation for the difference between independent proportions. *Statistics in Medicine*
    17, 873-890.

    Parameters
    ----------
    data : pandas.DataFrame
        Postings with the hand codes, ``keyword_mention`` and (optionally) the classifier's
        predictions.
    by : str, default 'title_family'
        The column of groups.
    level : float, default 0.95
        Confidence level.
    n_boot : int, default 2000
        Bootstrap resamples of the corrected classifier share.
    seed : int or None, default 0
        Seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        One row per group (and difference) and method.

    Examples
    --------
    >>> from cxresearch.simulate.postings import simulate_postings
    >>> p = simulate_postings(seed=1)
    >>> s = share_never_mentions(classify_postings(p.join(keyword_codes(p))), n_boot=200)
    >>> s.loc[:2, ["method", "estimate", "ci_low", "ci_high"]].round(3).values.tolist()
    [['hand codes', 0.41, 0.34, 0.484], ['keyword dictionary (raw)', 0.174, 0.148, 0.204],
    ['classifier, corrected', 0.373, 0.319, 0.426]]
    """
    level = check_level(level)
    n_boot = check_n_boot(n_boot)
    rng = np.random.default_rng(check_seed(seed))
    if by not in data.columns:
        raise DataError(f"data: column {by!r} not found; available: {list(data.columns)}")
    groups = sorted(data[by].dropna().unique().tolist(), key=str)
    has_kw = "keyword_mention" in data.columns
    has_clf = "predicted_mentions" in data.columns and data[LABEL].notna().any()
    rows: list[dict[str, Any]] = []
    reps: dict[str, np.ndarray] = {}
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    for g in groups:
        part = data[data[by] == g]
        coded = part[LABEL].notna().to_numpy()
        if coded.any():
            none = int((part.loc[coded, LABEL].astype(int) == 0).sum())
            lo, hi = wilson_interval(none, int(coded.sum()), level)
            rows.append({"group": g, "method": "hand codes", "estimate": none / coded.sum(),
                         "ci_low": lo, "ci_high": hi, "n": int(coded.sum())})
            counts[(g, "hand codes")] = (none, int(coded.sum()))
        if has_kw:
            none = int((~part["keyword_mention"].astype(bool)).sum())
            lo, hi = wilson_interval(none, len(part), level)
            rows.append({"group": g, "method": "keyword dictionary (raw)",
                         "estimate": none / len(part), "ci_low": lo, "ci_high": hi,
                         "n": len(part)})
            counts[(g, "keyword dictionary (raw)")] = (none, len(part))
        if has_clf and coded.sum() >= 2:
            pred_none = (part["predicted_mentions"].astype(int) == 0).to_numpy().astype(float)
            truth_none = np.where(coded, (part[LABEL].fillna(1).astype(int) == 0), False)
            truth_some = coded & ~truth_none
            w = np.vstack([np.ones(len(part)),
                           rng.multinomial(len(part), np.full(len(part), 1 / len(part)),
                                           size=n_boot)])
            apparent = w @ pred_none / len(part)
            with np.errstate(divide="ignore", invalid="ignore"):
                sens = (w @ (pred_none * truth_none)) / (w @ truth_none.astype(float))
                spec = (w @ ((1 - pred_none) * truth_some)) / (w @ truth_some.astype(float))
            est = _rogan_gladen(apparent, sens, spec)
            boot = est[1:][np.isfinite(est[1:])]
            lo, hi = (np.quantile(boot, [(1 - level) / 2, (1 + level) / 2]) if len(boot)
                      else (math.nan, math.nan))
            rows.append({"group": g, "method": "classifier, corrected", "estimate": est[0],
                         "ci_low": lo, "ci_high": hi, "n": len(part)})
            reps[g] = est
    if len(groups) == 2:
        a, b = groups
        label = f"{a} minus {b}"
        for method in ("hand codes", "keyword dictionary (raw)"):
            if (a, method) in counts and (b, method) in counts:
                (x1, n1), (x2, n2) = counts[(a, method)], counts[(b, method)]
                lo, hi = _newcombe(x1, n1, x2, n2, level)
                rows.append({"group": label, "method": method, "estimate": x1 / n1 - x2 / n2,
                             "ci_low": lo, "ci_high": hi, "n": n1 + n2})
        if a in reps and b in reps:
            diff = reps[a] - reps[b]
            boot = diff[1:][np.isfinite(diff[1:])]
            lo, hi = (np.quantile(boot, [(1 - level) / 2, (1 + level) / 2]) if len(boot)
                      else (math.nan, math.nan))
            rows.append({"group": label, "method": "classifier, corrected",
                         "estimate": diff[0], "ci_low": lo, "ci_high": hi,
                         "n": int((data[by].isin(groups)).sum())})
    out = pd.DataFrame(rows, columns=["group", "method", "estimate", "ci_low", "ci_high", "n"])
    out["level"] = level
    return out
