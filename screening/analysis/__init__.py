"""Defensible at the meeting: what it would take, how robust each decision is, who dominates whom.

- :func:`what_it_takes` — per firm and lever, the smallest single change that passes a failed
  gate, reaches a score or class, or gets the firm admitted (``whatif.py``; closed forms in
  ``forms.py``/``scorefn.py``/``constraints.py``/``solve.py``, the engine as judge in ``search.py``).
- :func:`robustness` — decisions re-run under weights sampled from what the working group knows
  (none, a spread, ranges, rank orders; ``weights.py``, ``sampling.py``): probabilities of
  admission and of each class, rank acceptability, core / borderline / exterior, central weights.
- :func:`dominance` — admitted firms that a firm left out beats or equals on every criterion.

Floor 6: imports the engine, rules and issues; nothing here knows about reports, the UI or storage.
"""
