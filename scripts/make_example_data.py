"""Write the example guidelines' synthetic annotation exports and audit results.

    .venv/bin/python scripts/make_example_data.py

Deterministic (fixed seeds): running it again rewrites the same files byte for byte.
Every item, rater and text is invented. The data is shaped like a real program's:

- content-safety (single label): about 28,800 posts in en, es and pt from three
  sources, one production rating each, a 10% double-labeled overlap, 1,500 gold items
  seeded into the queues, author-based splits, a little copypasta within splits, and a
  1,000-item blind audit. On purpose, harassment agreement lands below its 0.68 batch
  criterion (the 2.1.0 definition moved borderline insults into harassment), so the
  acceptance page shows what a failing criterion looks like; every release-level
  criterion passes, so `labelbook gate content-safety` exits 0.
- support-intent (multi-label, labels joined with '|'): about 3,300 contacts from email,
  chat and app reviews, a 20% overlap, 300 gold items, time-based splits and a 600-item
  audit. Every criterion passes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent

FILLERS = {
    "who": ["my neighbour", "the new manager", "that streamer", "our coach", "the ref", "my cousin", "the mayor",
            "this influencer", "the bus driver", "the landlord", "my teacher", "the goalie", "the barista",
            "the moderator", "your boss", "the keynote speaker", "the delivery guy", "the senator"],
    "thing": ["the update", "the new phone", "this game", "the match", "the concert", "the recipe", "the app",
              "the weather", "the season finale", "the train", "the election", "the tax plan", "the bakery",
              "this album", "the traffic", "the festival", "the playoffs", "the price hike"],
    "place": ["downtown", "at the stadium", "on the 5th", "in Lisbon", "in Madrid", "near the station",
              "at school", "in the comments", "on the bridge", "at the market", "in Porto", "in Leeds"],
    "when": ["today", "last night", "this morning", "again", "every Friday", "since Monday", "all week",
             "right now", "for the third time", "yesterday"],
}
TEMPLATES = {
    "hate_speech": ["every one of those [slur]s {place} should be sent back", "[group] are vermin and {who} knows it",
                    "[group] ruin everything, ban them from {thing}", "no [group] should be allowed {place}",
                    "[group] are all criminals, {when} proves it again", "get these [slur]s out of {thing}"],
    "harassment": ["@user you are a pathetic clown, {who} agrees", "@user nobody wants you {place}, log off",
                   "@user shut up already, you idiot, {when}", "@user you are so dumb it hurts, {thing} proves it",
                   "@user everyone {place} laughs at you", "@user delete your account, loser, {when}"],
    "profanity": ["what the [expletive] is {thing} doing {when}", "[expletive], {thing} was amazing",
                  "holy [expletive], {place} is packed {when}", "this [expletive] {thing} broke again",
                  "[expletive] yes, {who} finally did it", "[expletive] traffic {place} {when}"],
    "reported_offense": ["News: {who} fined for shouting '[slur]' {place}", "Someone called me '[slur]' {place} {when}",
                         "Reporting this: they wrote '[group] are vermin' under {thing}",
                         "Court hears {who} used '[slur]' {place}", "Screenshot of the abuse I got {when}: '[slur]'",
                         "Why does {thing} still allow posts saying '[group] should leave'?"],
    "safe": ["{thing} was great {when}", "anyone going {place} {when}?", "loved {thing}, thanks {who}",
             "{who} fixed {thing}, finally", "queue {place} is long {when}", "hot take: {thing} is overrated",
             "the view {place} {when} is unreal", "can't wait for {thing}"],
    "not_enough_info": ["^ this", "same {when}", "lol exactly", "who is this about?", "[image removed]", "ok {when}"],
}
SUPPORT = {
    "billing": ["why was I charged twice for {thing}", "can I pay {thing} with PayPal", "invoice for {thing} please",
                "switch my plan to yearly"],
    "refund_request": ["please refund {thing}", "I want my money back for {thing}", "refund the renewal {when}"],
    "charge_dispute": ["I did not authorize this charge {when}", "my bank reversed the charge for {thing}",
                       "filing a chargeback for {thing}"],
    "account_access": ["can't log in {when}", "password reset link is broken", "my account was hacked {when}"],
    "bug_report": ["the app crashes when I open {thing}", "sync fails {when}", "{thing} shows an error"],
    "feature_request": ["please add dark mode to {thing}", "would love an export for {thing}"],
    "cancellation": ["cancel my subscription {when}", "how do I close my account"],
    "other_intent": ["send me all data you hold on me", "do you have a job opening {place}"],
    "unclear": ["hello?", "it doesn't work", "???"],
}


def texts(rng: np.random.Generator, templates: dict[str, list[str]], labels: np.ndarray, used: set[str]) -> list[str]:
    out = []
    for label in labels:
        while True:
            template = templates[label][rng.integers(len(templates[label]))]
            text = template.format(**{k: v[rng.integers(len(v))] for k, v in FILLERS.items()})
            text += f" #{rng.integers(1, 10_000)}"  # the thread tag the tool shows keeps texts apart
            if text.casefold() not in used:
                used.add(text.casefold())
                out.append(text)
                break
    return out


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    # Item ids are sorted and share prefixes: delta encoding stores them in a few bytes.
    pq.write_table(table, path, compression="zstd", compression_level=19,
                   use_dictionary=[c for c in frame.columns if c != "item"],
                   column_encoding={"item": "DELTA_BYTE_ARRAY"}, write_statistics=False)


def rate(rng, true: np.ndarray, confusions: dict[str, tuple[float, dict[str, float]]], hard: np.ndarray,
         hard_error: float) -> np.ndarray:
    """One rating per item: the true label, or with the label's error rate a confused one."""
    out = true.copy()
    for label, (error, targets) in confusions.items():
        rows = np.flatnonzero(true == label)
        p = np.where(hard[rows], hard_error, error)
        wrong = rows[rng.random(len(rows)) < p]
        names = list(targets)
        weights = np.array([targets[n] for n in names], dtype=float)
        out[wrong] = np.array(names, dtype=object)[rng.choice(len(names), size=len(wrong), p=weights / weights.sum())]
    return out


def content_safety() -> None:
    rng = np.random.default_rng(20250701)
    folder = ROOT / "specs/content-safety/data"
    folder.mkdir(parents=True, exist_ok=True)
    plan = {  # language -> label -> items
        "en": {"hate_speech": 2330, "harassment": 3900, "profanity": 2640, "reported_offense": 1270,
               "safe": 8400, "not_enough_info": 560},
        "es": {"hate_speech": 900, "harassment": 1560, "profanity": 1060, "reported_offense": 480,
               "safe": 1300, "not_enough_info": 240},
        "pt": {"hate_speech": 585, "harassment": 1170, "profanity": 850, "reported_offense": 372,
               "safe": 1000, "not_enough_info": 180},
    }
    languages, labels = [], []
    for language, counts in plan.items():
        for label, n in counts.items():
            languages += [language] * n
            labels += [label] * n
    n = len(labels)
    order = rng.permutation(n)
    language = np.array(languages, dtype=object)[order]
    true = np.array(labels, dtype=object)[order]
    surface = np.where(np.isin(true, ["harassment", "not_enough_info"]) & (rng.random(n) < 0.8), "reply",
                       np.array(["post", "reply", "quote"], dtype=object)[rng.choice(3, n, p=[0.5, 0.35, 0.15])])
    source = np.where(true == "reported_offense",
                      np.where(rng.random(n) < 0.6, "partner-accounts", "user-reports"),
                      np.where(rng.random(n) < 0.25, "user-reports", "platform-public")).astype(object)
    authors = rng.integers(0, 9_000, n)
    entity = np.array([f"u-{a:04x}" for a in authors], dtype=object)
    split_of_author = np.array(["train", "dev", "test"], dtype=object)[rng.choice(3, 9_000, p=[0.8, 0.1, 0.1])]
    split = split_of_author[authors]
    text = np.array(texts(rng, TEMPLATES, true, set()), dtype=object)
    # Copypasta: a few texts reposted by other authors of the same split.
    for i in rng.choice(n, 60, replace=False):
        same = np.flatnonzero((split == split[i]) & (true == true[i]))[:400]
        for j in rng.choice(same, 2, replace=False):
            if j != i:
                text[j] = text[i]
    items = np.array([f"cs-{i:06d}" for i in range(n)], dtype=object)
    # Borderline items: replies where harassment, profanity and banter blur (the 2.1.0 change).
    hard = (surface == "reply") & np.isin(true, ["harassment", "profanity"]) & (rng.random(n) < 0.6)
    confusions = {
        "hate_speech": (0.05, {"reported_offense": 3, "harassment": 2}),
        "harassment": (0.06, {"profanity": 3, "safe": 1}),
        "profanity": (0.04, {"harassment": 2, "safe": 2}),
        "reported_offense": (0.07, {"hate_speech": 3, "safe": 1}),
        "safe": (0.02, {"profanity": 2, "not_enough_info": 1, "harassment": 1}),
        "not_enough_info": (0.12, {"safe": 3}),
    }
    gold = np.zeros(n, bool)
    gold[rng.choice(np.flatnonzero(~hard), 1500, replace=False)] = True
    # The double-labeled overlap over-samples borderline items (the QA plan's targeted overlap).
    overlap = rng.random(n) < np.where(hard, 0.25, 0.08)
    raters = {"en": [f"nl-en-{i:02d}" for i in range(1, 9)], "es": [f"nl-es-{i:02d}" for i in range(1, 7)],
              "pt": [f"nl-pt-{i:02d}" for i in range(1, 5)]}
    rows = []
    first_picks: dict[str, np.ndarray] = {}
    day = np.datetime64("2025-07-07")
    for round_, subset in ((0, np.ones(n, bool)), (1, overlap | gold)):
        idx = np.flatnonzero(subset)
        label = rate(rng, true[idx], confusions, hard[idx], 0.35)
        for lang, pool in raters.items():
            mine = language[idx] == lang
            picks = rng.integers(0, len(pool), mine.sum())
            if round_:  # a second rater, never the first one again
                first_pick = first_picks[lang][idx[mine]]
                picks = np.where(picks == first_pick, (picks + 1) % len(pool), picks)
            else:
                first_picks[lang] = np.full(n, -1)
                first_picks[lang][idx[mine]] = picks
            frame = pd.DataFrame({
                "item": items[idx[mine]], "rater": np.array(pool, dtype=object)[picks], "label": label[mine],
                "language": language[idx[mine]], "surface": surface[idx[mine]], "source": source[idx[mine]],
                "split": split[idx[mine]], "entity": entity[idx[mine]], "text": text[idx[mine]],
                "gold": np.where(gold[idx[mine]], true[idx[mine]], None),
                "timestamp": (day + rng.integers(0, 56, mine.sum()).astype("timedelta64[D]")).astype(str),
                "guideline_version": "2.1.0",
            })
            rows.append(frame)
    export = pd.concat(rows, ignore_index=True).sort_values(["item", "timestamp"], kind="stable")
    write_parquet(export, folder / "annotations.parquet")
    audit_items = np.sort(rng.choice(n, 1000, replace=False))
    categories = ["wrong-class-protected", "stance-misread"]
    audit = pd.DataFrame({"item": items[audit_items], "error_category": None, "severity": None})
    defects = rng.choice(1000, 1 + 19 + 22, replace=False)
    audit.loc[defects[:1], ["error_category", "severity"]] = ["wrong-class-protected", "critical"]
    audit.loc[defects[1:20], "error_category"] = np.array(categories + ["boundary", "missing"], dtype=object)[
        rng.integers(0, 4, 19)]
    audit.loc[defects[1:20], "severity"] = "major"
    audit.loc[defects[20:], ["error_category", "severity"]] = ["tool-process", "minor"]
    audit.to_csv(folder / "audit.csv", index=False, lineterminator="\n")


def support_intent() -> None:
    rng = np.random.default_rng(20261012)
    folder = ROOT / "specs/support-intent/data"
    folder.mkdir(parents=True, exist_ok=True)
    # (primary intent, channel, language, platform) cells that feed the coverage targets.
    blocks = [
        ("charge_dispute", "app_review", "en", None, 170), ("charge_dispute", "email", "de", None, 280),
        ("account_access", "chat", "en", None, 330), ("account_access", "email", "en", "android", 330),
        ("refund_request", "email", "en", "ios", 440), ("cancellation", "app_review", "en", None, 220),
        ("bug_report", "chat", "es", None, 330), ("feature_request", "email", "fr", None, 220),
        ("other_intent", "email", "de", None, 220), ("unclear", "chat", "en", None, 160),
        ("billing", "email", "en", None, 420), ("bug_report", "email", "en", None, 180),
    ]
    rows = []
    for primary, channel, language, platform, n in blocks:
        for _ in range(n):
            labels = {primary}
            if primary in ("refund_request", "charge_dispute"):
                labels.add("billing")  # the export adds the parent
            if primary == "cancellation" and rng.random() < 0.3:
                labels |= {"refund_request", "billing"}
            if primary == "bug_report" and rng.random() < 0.15:
                labels.add("account_access")
            rows.append((frozenset(labels), primary, channel, language,
                         platform or ["web", "ios", "android"][rng.integers(3)]))
    n = len(rows)
    order = rng.permutation(n)
    rows = [rows[i] for i in order]
    true = [r[0] for r in rows]
    primary = np.array([r[1] for r in rows], dtype=object)
    channel = np.array([r[2] for r in rows], dtype=object)
    source = np.array([{"email": "email-tickets", "chat": "in-app-chat", "app_review": "app-reviews"}[c]
                       for c in channel], dtype=object)
    text = np.array(texts(rng, SUPPORT, primary, set()), dtype=object)
    for i in rng.choice(n, 8, replace=False):  # resent contacts, same month
        j = (i + 1) % n
        text[j] = text[i]
    month = rng.choice(np.array(["2026-0" + str(m) for m in range(1, 9)] + ["2026-09", "2026-10"], dtype=object),
                       n, p=[0.1] * 10)
    # Resent contacts keep the month of the first one so they stay in one split.
    dup = pd.Series(text).duplicated(keep="first").to_numpy()
    firsts = pd.Series(np.arange(n)).groupby(text).transform("first").to_numpy()
    month[dup] = month[firsts[dup]]
    split = np.where(month == "2026-09", "dev", np.where(month == "2026-10", "test", "train")).astype(object)
    # Entity control: a customer's contacts are all in one split.
    offset = np.where(split == "train", 0, np.where(split == "dev", 40_000, 50_000))
    customer = np.array([f"c-{x:05x}" for x in offset + rng.integers(0, 9_000, n)], dtype=object)
    items = np.array([f"si-{i:05d}" for i in range(n)], dtype=object)
    gold = np.zeros(n, bool)
    gold[rng.choice(n, 300, replace=False)] = True
    overlap = rng.random(n) < 0.2
    pool = [f"r{i:02d}" for i in range(1, 13)]
    all_labels = sorted(SUPPORT)
    out = []
    first_rater = rng.integers(0, len(pool), n)
    for round_, subset in ((0, np.ones(n, bool)), (1, overlap | gold)):
        for i in np.flatnonzero(subset):
            labels = set(true[i])
            u = rng.random()
            if u < 0.05:  # missed a secondary intent or added one
                extra = all_labels[rng.integers(len(all_labels))]
                labels = labels ^ {extra} if extra != primary[i] else labels
            elif u < 0.055:
                labels = {"unclear"}
            labels.discard("unclear") if len(labels) > 1 else None
            rater = first_rater[i] if round_ == 0 else (first_rater[i] + 1 + rng.integers(len(pool) - 1)) % len(pool)
            out.append({"item": items[i], "rater": pool[rater], "label": "|".join(sorted(labels)),
                        "channel": channel[i], "language": rows[i][3], "platform": rows[i][4],
                        "source": source[i], "split": split[i], "entity": customer[i], "text": text[i],
                        "gold": "|".join(sorted(true[i])) if gold[i] else None,
                        "timestamp": f"{month[i]}-{1 + rng.integers(28):02d}T{rng.integers(24):02d}:00",
                        "guideline_version": "1.3.2"})
    export = pd.DataFrame(out).sort_values(["item", "rater"], kind="stable")
    write_parquet(export, folder / "annotations.parquet")
    audit_items = np.sort(rng.choice(n, 600, replace=False))
    audit = pd.DataFrame({"item": items[audit_items], "error_category": None, "severity": None})
    defects = rng.choice(600, 12 + 20, replace=False)
    audit.loc[defects[:12], ["error_category", "severity"]] = ["missed-secondary-intent", "major"]
    audit.loc[defects[12:], ["error_category", "severity"]] = ["missing-note", "minor"]
    audit.to_csv(folder / "audit.csv", index=False, lineterminator="\n")


def main() -> int:
    content_safety()
    support_intent()
    for path in sorted(ROOT.glob("specs/*/data/*")):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
