"""The validated guideline: every spec model of one folder, plus where each came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .spec import Acceptance, Brief, Datasheet, DecisionTree, EdgeCases, Manifest, QaPlan, SamplingPlan, Taxonomy
from .spec.taxonomy import Label
from .yaml_source import SourceFile


@dataclass
class Guideline:
    id: str
    folder: Path
    display_folder: str  # e.g. specs/content-safety, for messages and edit links
    manifest: Manifest
    brief: Brief
    taxonomy: Taxonomy
    edge_cases: EdgeCases
    decision_tree: DecisionTree
    sampling: SamplingPlan
    acceptance: Acceptance
    qa: QaPlan
    datasheet: Datasheet
    sources: dict[str, SourceFile] = field(default_factory=dict, repr=False)

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def title(self) -> str:
        return self.manifest.title

    def label(self, label_id: str) -> Label:
        return next(label for label in self.taxonomy.labels if label.id == label_id)

    def spec_path(self, file_name: str) -> str:
        """Repository-relative path of one spec file, e.g. specs/content-safety/taxonomy.yaml."""
        return f"{self.display_folder}/{file_name}"
