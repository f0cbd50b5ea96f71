"""CX leadership: ownership models, the effect of appointing a CX leader, the say/do gap (facade).

Questions from the debate and the function that answers each; the estimators live in modules
named after their method, and this module re-exports them under their old names:

- Is CX "everyone's job", or does an accountable owner go with better outcomes?
  :func:`ownership_effects` (:mod:`cxresearch.ownership`);
- Do outcomes change after a CX leader is appointed? :func:`event_study`, with
  :func:`twfe_static`, :func:`naive_comparison` and :func:`leader_cohorts`
  (:mod:`cxresearch.did`; Callaway & Sant'Anna 2021, *J. Econometrics* 225(2));
  ``event_study_result`` is a deprecated alias of :func:`event_study`;
- How large is the say/do gap, and does it matter? :func:`say_do_index`,
  :func:`say_do_effects` (:mod:`cxresearch.ownership`);
- How big must a study be? :func:`power_curve`, :func:`event_study_power`
  (:mod:`cxresearch.did`).

Generators and answer keys (:mod:`cxresearch.simulate`): :func:`simulate_staggered_panel`,
:func:`true_owner_effects`, :func:`true_event_study_effects`, :func:`true_event_time_path`.
Notebook 06's tables and scenarios (:mod:`cxresearch.studies.leadership_06`):
:func:`leadership_panel`, :func:`ownership_contrasts`, :func:`event_studies`,
:func:`event_study_table`, :func:`confounding_scenarios`, :func:`say_do_gap_summary`,
:func:`say_do_effects_by_outcome`, :func:`within_unit_sd`, :func:`effect_for_power`,
:func:`event_study_power_by_outcome`.

New code should import from those modules.
"""

from __future__ import annotations

from cxresearch.did import EffectEstimate as EffectEstimate  # the result of twfe_static & co.
from cxresearch.did import (
    EventStudyResult,
    event_study,
    event_study_power,
    event_study_result,
    leader_cohorts,
    naive_comparison,
    power_curve,
    twfe_static,
)
from cxresearch.did import PretrendTest as PretrendTest
from cxresearch.ownership import OwnershipResult, ownership_effects, say_do_effects, say_do_index
from cxresearch.simulate.answers import (
    true_event_study_effects,
    true_event_time_path,
    true_owner_effects,
)
from cxresearch.simulate.staggered import simulate_staggered_panel
from cxresearch.studies.leadership_06 import (
    confounding_scenarios,
    effect_for_power,
    event_studies,
    event_study_power_by_outcome,
    event_study_table,
    leadership_panel,
    ownership_contrasts,
    say_do_effects_by_outcome,
    say_do_gap_summary,
    within_unit_sd,
)

__all__ = [
    "EventStudyResult",
    "OwnershipResult",
    "confounding_scenarios",
    "effect_for_power",
    "event_studies",
    "event_study",
    "event_study_power",
    "event_study_power_by_outcome",
    "event_study_result",
    "event_study_table",
    "leader_cohorts",
    "leadership_panel",
    "naive_comparison",
    "ownership_contrasts",
    "ownership_effects",
    "power_curve",
    "say_do_effects",
    "say_do_effects_by_outcome",
    "say_do_gap_summary",
    "say_do_index",
    "simulate_staggered_panel",
    "true_event_study_effects",
    "true_event_time_path",
    "true_owner_effects",
    "twfe_static",
    "within_unit_sd",
]
