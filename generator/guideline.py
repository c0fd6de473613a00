"""The validated guideline: every spec model of one folder, plus where each came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .spec import Acceptance, Brief, Datasheet, DecisionTree, EdgeCases, Manifest, QaPlan, SamplingPlan, Taxonomy
from .images import Image
from .spec.manifest import TaskType
from .spec.taxonomy import Label, Mode
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
    images: dict[str, Image] = field(default_factory=dict, repr=False)  # example images by path

    def __post_init__(self) -> None:
        # taxonomy.yaml may leave `mode` out: the task shape decides it, and every later
        # stage reads one resolved value.
        if self.taxonomy.mode is None:
            mode = Mode.multi if self.manifest.task_type == TaskType.multi_label else Mode.exclusive
            self.taxonomy = self.taxonomy.model_copy(update={"mode": mode})

    @property
    def shape(self) -> str:
        """The task shape, e.g. single-label, multi-label, token-tagging, span."""
        return self.manifest.task_type.value

    @property
    def multi_label(self) -> bool:
        return self.taxonomy.mode == Mode.multi

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
