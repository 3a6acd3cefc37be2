"""The district's whole relocation batch: every park at once, land allocated optimally, money in view.

Floor 6: builds on the pipeline, engine, intake and rules; knows nothing of report, analysis or store.

    batch = load_batch(read_paths(paths), rulesets)     # batch.py: every firm against every park
    matrix = district_matrix(batch)                     # matrix.py: decision, score, class, first rule in the way
    plan = allocate(batch, matrix, Options(...))        # plan.py: optimum (solve.py) beside rank-order fill (greedy.py)
    plan.frontier("district")                           # frontier.py: what each extra 50 亩 buys
"""

from .batch import Batch, ParkScreen, find_firm, load_batch, read_paths
from .frontier import DISTRICT, Frontier
from .money import Retention
from .plan import DistrictPlan, Matrix, allocate, district_matrix, plan_district
from .problem import Options

__all__ = [
    "DISTRICT",
    "Batch",
    "DistrictPlan",
    "Frontier",
    "Matrix",
    "Options",
    "ParkScreen",
    "Retention",
    "allocate",
    "district_matrix",
    "find_firm",
    "load_batch",
    "plan_district",
    "read_paths",
]
