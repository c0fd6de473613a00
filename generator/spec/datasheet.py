"""datasheet.yaml: the Datasheets-for-Datasets record, with provenance per source.

The optional `data:` section names the program's annotation export and audit results
(paths relative to the repository) from which labelbook computes the quality figures
shown on the datasheet and the acceptance page.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints

from .common import Id, Spec, Text

# A column of an export: a name a CSV header or Parquet schema can hold.
Column = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
DATA_SUFFIXES = (".csv", ".parquet")


class AgreementLevel(str, Enum):
    nominal = "nominal"
    ordinal = "ordinal"
    interval = "interval"
    ratio = "ratio"


class Source(Spec):
    id: Id
    name: Text
    description: Text
    collection_window: Text = Field(description="e.g. '2025-01-01 to 2025-06-30'.")
    # Provenance is a hard gate: a source without license or consent does not ship.
    license: Text = Field(description="License or terms under which the data may be used.")
    consent: Text = Field(description="Basis of consent (e.g. 'platform ToS section 4, research use').")
    attribution: Text | None = None
    restrictions: Text | None = None


class Composition(Spec):
    description: Text
    instances: Text = Field(description="How many items, of what kinds.")
    label_distribution: Text | None = None


class Workforce(Spec):
    who: Text = Field(description="Who annotates (vendor, in-house), how many.")
    training: Text
    tooling: Text
    adjudication: Text
    compensation: Text | None = None


class LineageStep(Spec):
    step: Text
    description: Text
    commit: Text | None = Field(default=None, description="Code commit of the transformation.")
    config: Text | None = Field(default=None, description="Config file or parameters used.")


class Privacy(Spec):
    pii: Text = Field(description="What personal data may occur.")
    redaction: Text
    access: Text
    retention: Text


class DataFiles(Spec):
    annotations: Text = Field(
        description="The annotation export (CSV or Parquet, one row per rating: item, rater, label, ...), "
                    "relative to the repository, e.g. specs/content-safety/data/annotations.parquet.")
    audit: Text | None = Field(
        default=None,
        description="Audit results (CSV or Parquet: item, error_category, severity; one row per audited item "
                    "and defect, empty category and severity for an item that passed).")
    slices: list[Column] = Field(
        default_factory=list,
        description="Columns that slice the data (language, source, ...): agreement, distributions and "
                    "coverage are reported per value.")
    required: list[Column] = Field(
        default_factory=list,
        description="Columns every rating must fill besides item, rater and label (missing-field rate).")
    source_column: Column = Field(
        default="source", description="The column holding the source id of datasheet.yaml sources.")
    label_separator: str | None = Field(
        default=None, min_length=1, max_length=3,
        description="Multi-label exports: the separator between labels in one cell (default '|').")
    level: AgreementLevel = Field(
        default=AgreementLevel.nominal,
        description="Krippendorff's alpha level: nominal, or ordinal (labels in taxonomy order), "
                    "interval or ratio (numeric labels).")


class Datasheet(Spec):
    purpose: Text
    sources: list[Source] = Field(min_length=1)
    composition: Composition
    sampling_plan: Text = Field(description="Summary; the plan itself is sampling.yaml.")
    workforce: Workforce
    known_biases: list[Text] = Field(default_factory=list)
    failure_modes: list[Text] = Field(default_factory=list)
    recommended_uses: list[Text] = Field(min_length=1)
    non_uses: list[Text] = Field(min_length=1)
    lineage: list[LineageStep] = Field(default_factory=list)
    privacy: Privacy
    maintenance: Text | None = Field(default=None, description="Who maintains the dataset, how it is updated.")
    data: DataFiles | None = Field(default=None, description="The annotation export and audit results to compute from.")


def data_path_problem(root: Path, value: str, exists: bool = True) -> str:
    """Why a declared data path cannot be used, or '' when it can."""
    path = Path(value)
    if path.is_absolute() or value.startswith(("/", "\\")) or (path.parts and ":" in path.parts[0]):
        return f"'{value}' is an absolute path; data paths are relative to the repository"
    resolved = (root / path).resolve()
    try:
        resolved.relative_to(root.resolve())
    except ValueError:
        return f"'{value}' leaves the repository"
    if path.suffix.lower() not in DATA_SUFFIXES:
        return f"'{value}' is neither CSV nor Parquet (.csv or .parquet)"
    if exists and not resolved.is_file():
        return f"no such file '{value}'"
    return ""
