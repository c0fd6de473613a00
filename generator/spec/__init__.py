"""The spec format: one Pydantic model per file of a guideline folder."""

from pydantic import BaseModel

from .acceptance import Acceptance
from .brief import Brief
from .datasheet import Datasheet
from .decision_tree import DecisionTree
from .edge_cases import EdgeCases
from .manifest import Manifest
from .qa import QaPlan
from .sampling import SamplingPlan
from .taxonomy import Taxonomy

# File name -> model, in the order a reader meets them. Every file is required.
SPEC_FILES: dict[str, type[BaseModel]] = {
    "guideline.yaml": Manifest,
    "brief.yaml": Brief,
    "taxonomy.yaml": Taxonomy,
    "edge_cases.yaml": EdgeCases,
    "decision_tree.yaml": DecisionTree,
    "sampling.yaml": SamplingPlan,
    "acceptance.yaml": Acceptance,
    "qa.yaml": QaPlan,
    "datasheet.yaml": Datasheet,
}

__all__ = [
    "SPEC_FILES", "Acceptance", "Brief", "Datasheet", "DecisionTree", "EdgeCases", "Manifest", "QaPlan",
    "SamplingPlan", "Taxonomy",
]
