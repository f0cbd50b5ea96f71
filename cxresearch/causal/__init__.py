"""Causal designs: what appointing a CX leader (or any dated change) did.

Staggered event studies with their threats (:mod:`~cxresearch.causal.did`), Rambachan-Roth
sensitivity (:mod:`~cxresearch.causal.sensitivity`), one-unit designs -- interrupted time
series, synthetic control (:mod:`~cxresearch.causal.single_firm`) -- and design power
(:mod:`~cxresearch.causal.power`). A new design goes in the module named after its method. These
modules import :mod:`cxresearch.core`, :mod:`cxresearch.linkage` (regression) and, for power
only, the simulators.
"""
