"""datasheet.yaml: the Datasheets-for-Datasets record, with provenance per source."""

from __future__ import annotations

from pydantic import Field

from .common import Id, Spec, Text


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
