"""sampling.yaml: sampling strategy, splits and leakage controls, coverage, label tiers, gold set."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from .common import Id, Share, Spec, Text


class StrategyKind(str, Enum):
    random = "random"
    stratified = "stratified"
    active_learning = "active-learning"
    targeted = "targeted"


class Strategy(Spec):
    kind: StrategyKind
    share: Share = Field(description="Share of items sampled this way (the shares add up to 1).")
    description: Text | None = None


class Stratum(Spec):
    id: Id
    description: Text
    target_count: int = Field(ge=0)


class SplitBy(str, Enum):
    user = "user"
    document = "document"
    time = "time"
    random = "random"


class Splits(Spec):
    by: SplitBy = Field(description="The unit kept whole across splits: user, document, time or random.")
    shares: dict[str, Share] = Field(description="Split name to share, e.g. {train: 0.8, dev: 0.1, test: 0.1}.")
    leakage_controls: list[Text] = Field(min_length=1, description="Deduplication, entity-based splits, ...")


class Coverage(Spec):
    label: Id
    slice: Text = Field(description="Slice value, e.g. 'language=es'.")
    target: int = Field(ge=0, description="Target number of items.")
    risk_note: Text | None = None


class TierName(str, Enum):
    gold = "gold"
    silver = "silver"
    weak = "weak"


class Tier(Spec):
    tier: TierName
    definition: Text
    permitted_uses: list[Text] = Field(min_length=1)


class GoldSet(Spec):
    size: int = Field(ge=0)
    version: Text = Field(description="Gold set version, bumped with the guideline.")
    refresh: Text = Field(description="Refresh cadence.")
    adjudication: Text = Field(description="How gold labels are adjudicated.")


class SamplingPlan(Spec):
    strategy: list[Strategy] = Field(min_length=1)
    strata: list[Stratum] = Field(default_factory=list)
    query: Text | None = Field(default=None, description="The sampling query or manifest location.")
    splits: Splits
    coverage: list[Coverage] = Field(default_factory=list, description="Label x slice targets.")
    tiers: list[Tier] = Field(default_factory=list)
    gold: GoldSet | None = None
