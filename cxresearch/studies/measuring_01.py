"""Helpers for notebook 01 (measuring CX): answers labelled with the CX owner *in force when the
answer was given*.

The firms table records who owns CX at the **end** of the panel (``cx_owner``) and the year a
dedicated CX leader was appointed (``cx_leader_year``); the firm-years table records whether a
leader was in post each year (``has_cx_leader``). Labelling every answer with the end-of-panel
owner puts answers given *before* an appointment in the "CX leader" group (in the bundled
synthetic study, 38% of them). :func:`owner_at_answer` uses the status of the answer's year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxresearch._checks import DataError, first_rows, require_columns
from cxresearch.contract import OWNER_LABELS

__all__ = ["owner_at_answer", "owner_timing_summary"]


def owner_at_answer(
    data: pd.DataFrame, firms: pd.DataFrame, firm_years: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A copy of the answers with ``cx_owner_then``: the CX owner in force in the answer's year.

    - a leader in post that year (``has_cx_leader == 1``, or ``cx_leader_year <= year`` when
      ``firm_years`` is not given): ``"cx_leader"``;
    - a firm that never has a leader: its recorded owner (``ceo``, ``coo``, ``cmo``,
      ``everyone``);
    - a firm whose leader is appointed later: ``"pre_leader"`` (who owned CX before the
      appointment is not recorded, so these answers are not credited to any owner).

    Also adds ``cx_owner_end`` (the end-of-panel owner) and ``owner_label`` (human words).

    Parameters
    ----------
    data : DataFrame
        Answers with ``firm_id`` and ``year``.
    firms : DataFrame
        ``firm_id``, ``cx_owner`` and ``cx_leader_year``.
    firm_years : DataFrame, optional
        ``firm_id``, ``year``, ``has_cx_leader``.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> a = pd.DataFrame({"firm_id": ["A", "A", "B"], "year": [2020, 2023, 2020]})
    >>> f = pd.DataFrame({"firm_id": ["A", "B"], "cx_owner": ["cx_leader", "coo"],
    ...                   "cx_leader_year": [2022, None]})
    >>> owner_at_answer(a, f)["cx_owner_then"].tolist()
    ['pre_leader', 'cx_leader', 'coo']
    """
    require_columns(data, ["firm_id", "year"])
    require_columns(firms, ["firm_id", "cx_owner"], what="firms")
    out = data.merge(firms[["firm_id", "cx_owner", *(["cx_leader_year"] if "cx_leader_year"
                                                      in firms else [])]]
                     .rename(columns={"cx_owner": "cx_owner_end"}), on="firm_id", how="left",
                     validate="many_to_one")
    unknown = out["cx_owner_end"].isna()
    if unknown.any():
        raise DataError(f"column 'firm_id': {int(unknown.sum())} answer(s) from firms not in the "
                        f"firms table at rows {first_rows(unknown, data.index)}")
    if firm_years is not None:
        require_columns(firm_years, ["firm_id", "year", "has_cx_leader"], what="firm_years")
        status = firm_years[["firm_id", "year", "has_cx_leader"]]
        out = out.merge(status, on=["firm_id", "year"], how="left", validate="many_to_one")
        in_post = out["has_cx_leader"].fillna(0).astype(int).eq(1).to_numpy()
        out = out.drop(columns="has_cx_leader")
    elif "cx_leader_year" in out:
        yr = pd.to_numeric(out["cx_leader_year"], errors="coerce")
        in_post = ((out["cx_owner_end"] == "cx_leader")
                   & (yr.isna() | (yr <= out["year"]))).to_numpy()
    else:
        in_post = (out["cx_owner_end"] == "cx_leader").to_numpy()
    end = out["cx_owner_end"].to_numpy(dtype=object)
    then = np.where(in_post, "cx_leader", np.where(end == "cx_leader", "pre_leader", end))
    out["cx_owner_then"] = then
    out["owner_label"] = [OWNER_LABELS.get(v, v) for v in then]
    out.index = data.index
    return out.drop(columns=[c for c in ["cx_leader_year"] if c not in data.columns])


def owner_timing_summary(data: pd.DataFrame) -> pd.DataFrame:
    """How end-of-panel owners map to the status in force at the answer (counts and shares).

    >>> a = pd.DataFrame({"cx_owner_end": ["cx_leader"] * 4 + ["ceo"],
    ...                   "cx_owner_then": ["pre_leader"] + ["cx_leader"] * 3 + ["ceo"]})
    >>> owner_timing_summary(a).set_index("cx_owner_then").loc["pre_leader", "share_of_end_owner"]
    np.float64(0.25)
    """
    require_columns(data, ["cx_owner_end", "cx_owner_then"])
    t = data.groupby(["cx_owner_end", "cx_owner_then"], observed=True).size().rename("answers")
    t = t.reset_index()
    t["share_of_end_owner"] = t["answers"] / t.groupby("cx_owner_end")["answers"].transform("sum")
    return t.sort_values(["cx_owner_end", "cx_owner_then"], ignore_index=True)
