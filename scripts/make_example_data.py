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
- pos-tags (token tagging, long token format): about 1,500 English sentences from five
  sources in six genres, one row per token and rater (item `s0042:7` = sentence 42, token
  7, counted from 1; `label` is the UPOS value, `token` the word, `text` the sentence as the
  tool shows it, tokens separated by spaces). A quarter of the sentences and every UD EWT
  anchor sentence are tagged by two raters; the anchors carry the gold tag. Confusions are
  the usual ones: ADP/SCONJ/ADV, AUX/VERB, PROPN/NOUN, DET/PRON, on marked hard tokens.
  Labelling spans three releases (POS_RELEASES): every rating of a sentence carries the
  guideline version in force on the day of the sentence's first rating.
- news-entities (spans): 600 English news sentences from three sources in five sections,
  each annotated by two raters (12% by three), one row per span with character offsets
  (`end` exclusive); a rater who marked nothing in a sentence has one row with empty
  start, end and label. Raters miss spans (most often MISC), shift boundaries (titles,
  possessive 's, '-based') and confuse ORG and LOC on metonymic capitals and national teams.
- assistant-preference (pairwise preference): 2,000 pairs in en, de and es from five
  categories, one row per judgment; `label` is the answer on the rater's screen (A>>B, A>B,
  tie, B>A, B>>A, both-bad; A = the response shown first) and `shown_first` the stored
  response (A or B) shown first. A quarter of the pairs have a second rater and 8% are
  judged again by the same rater in swapped order (position consistency). Raters differ in
  noise, tie habit, strength habit and position bias (lt-06 leans to the first response,
  lt-03 ties too often, lt-10 inflates strength); both-bad pairs are sometimes resolved to
  the less bad response. The rubric scores are not exported here.
- street-objects (boxes): the guideline's 31 example images, drawn with Pillow (flat
  shapes; each box computed from the object's visible pixels), and 480 synthetic 640 x 360
  frames from 96 drives, one row per box (x, y top-left, w, h), a third of the frames boxed
  by two or three raters; a rater who drew nothing has one row with empty label and
  coordinates. Raters shift edges (more on big and night objects), miss small, dark and
  occluded objects, swing vans and pickups between car and truck, box a rider with the
  bicycle, split crowds, take in sign poles and now and then box a depiction.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Self

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

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


def write_parquet(frame: pd.DataFrame, path: Path, compact: bool = True) -> None:
    """zstd level 19; compact: item ids delta-encoded and no column statistics, else
    Arrow's default encodings (a dictionary for every column) and statistics."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if not compact:
        pq.write_table(table, path, compression="zstd", compression_level=19)
        return
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
    languages: list[str] = []
    labels: list[str] = []
    for code, counts in plan.items():
        for name, size in counts.items():
            languages += [code] * size
            labels += [name] * size
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
    confusions: dict[str, tuple[float, dict[str, float]]] = {
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
                "gold": np.where(gold[idx[mine]], true[idx[mine]], np.array(None, dtype=object)),
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
    for intent, medium, language, platform, size in blocks:
        for _ in range(size):
            labels = {intent}
            if intent in ("refund_request", "charge_dispute"):
                labels.add("billing")  # the export adds the parent
            if intent == "cancellation" and rng.random() < 0.3:
                labels |= {"refund_request", "billing"}
            if intent == "bug_report" and rng.random() < 0.15:
                labels.add("account_access")
            rows.append((frozenset(labels), intent, medium, language,
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


# --- pos-tags: token tagging, one row per (token, rater) ------------------------------
# Templates are tokens written word/TAG as the tool shows them; a trailing ! marks a token
# raters find hard (that, before, 's, particles, participles...). {SLOT}s expand to fillers.
POS_FILLERS = {
    "ORG": ["Lakeshore/PROPN Bank/PROPN!", "Verano/PROPN Motors/PROPN!", "Halvorsen/PROPN Shipping/PROPN!",
            "Northgate/PROPN Foods/PROPN!", "Kestrel/PROPN Air/PROPN!", "Bluewater/PROPN Energy/PROPN!",
            "Marisco/PROPN Telecom/PROPN", "the/DET EWRA/PROPN"],
    "PER": ["Amara/PROPN Diallo/PROPN", "Tomas/PROPN Lindgren/PROPN", "Priya/PROPN Natarajan/PROPN",
            "Chidi/PROPN Okafor/PROPN", "Elena/PROPN Varga/PROPN", "Mateus/PROPN Rocha/PROPN",
            "Hana/PROPN Kobayashi/PROPN", "Wanjiru/PROPN Mwangi/PROPN", "Aino/PROPN Laine/PROPN",
            "Kofi/PROPN Mensah/PROPN"],
    "FNAME": ["Amara/PROPN", "Tomas/PROPN", "Priya/PROPN", "Chidi/PROPN", "Elena/PROPN", "Mateus/PROPN",
              "Hana/PROPN", "Wanjiru/PROPN", "Aino/PROPN", "Kofi/PROPN", "Marta/PROPN", "Jonas/PROPN"],
    "TITLE": ["President/PROPN!", "Minister/PROPN!", "Dr/PROPN", "Mayor/PROPN!", "Judge/PROPN!"],
    "CITY": ["Kisumu/PROPN", "Lisbon/PROPN", "Tampere/PROPN", "Porto/PROPN", "Leeds/PROPN", "Mombasa/PROPN",
             "Gdansk/PROPN", "Valencia/PROPN", "Accra/PROPN", "Halifax/PROPN"],
    "DAY": ["Monday/PROPN", "Tuesday/PROPN", "Wednesday/PROPN", "Thursday/PROPN", "Friday/PROPN"],
    "MONTH": ["March/PROPN", "June/PROPN", "September/PROPN", "October/PROPN", "December/PROPN"],
    "NOUNP": ["new/ADJ bridge/NOUN", "bus/NOUN! station/NOUN", "ferry/NOUN service/NOUN", "stadium/NOUN",
              "water/NOUN! plant/NOUN", "library/NOUN", "rail/NOUN! line/NOUN", "city/NOUN! museum/NOUN"],
    "ADJ": ["quiet/ADJ", "busy/ADJ", "small/ADJ", "historic/ADJ", "crowded/ADJ!", "broken/ADJ!", "rebuilt/ADJ!",
            "popular/ADJ", "narrow/ADJ"],
    "NOUNS": ["rising/VERB! costs/NOUN", "supply/NOUN! problems/NOUN", "lower/ADJ demand/NOUN",
              "fuel/NOUN! prices/NOUN", "weak/ADJ sales/NOUN", "higher/ADJ wages/NOUN"],
    "NATADJ": ["Kenyan/ADJ!", "Portuguese/ADJ!", "Finnish/ADJ!", "Ghanaian/ADJ!", "Polish/ADJ!"],
    "REGION": ["north/NOUN", "south/NOUN", "east/NOUN", "west/NOUN"],
    "COUNTRY": ["Kenya/PROPN", "Portugal/PROPN", "Finland/PROPN", "Ghana/PROPN", "Poland/PROPN"],
    "PLACE": ["Eldama/PROPN Ravine/PROPN", "Ovar/PROPN", "Lieto/PROPN", "Kpando/PROPN", "Sopot/PROPN",
              "Naivasha/PROPN", "Tomar/PROPN", "Ylivieska/PROPN"],
    "DOC": ["report/NOUN", "slides/NOUN", "budget/NOUN! figures/NOUN", "contract/NOUN", "draft/NOUN!",
            "timesheets/NOUN", "agenda/NOUN"],
    "PRODUCT": ["Zephyr/PROPN X2/PROPN", "Aerio/PROPN 5/NUM!", "Tidal/PROPN Buds/PROPN!", "Nimbus/PROPN kettle/NOUN!",
                "Orbit/PROPN 3/NUM! router/NOUN"],
    "URL": ["www.quillmark.example/help/SYM", "notes.example.org/q3/SYM", "tinyurl.example/x7k2/SYM",
            "docs.example.com/setup/SYM"],
    "THING": ["the/DET letter/NOUN", "the/DET parcel/NOUN", "the/DET keys/NOUN", "her/PRON! coat/NOUN",
              "his/PRON! hat/NOUN", "the/DET lamp/NOUN"],
    "GOODS": ["second-hand/ADJ bikes/NOUN", "printer/NOUN! ink/NOUN", "spare/ADJ parts/NOUN",
              "vintage/ADJ records/NOUN", "sourdough/NOUN! bread/NOUN", "board/NOUN! games/NOUN"],
    "STARS": ["two/NUM", "three/NUM", "four/NUM", "3/NUM", "4/NUM", "5/NUM"],
    "FOREIGN": ["Betreten/X! verboten/X!", "hasta/X! luego/X!", "carpe/X! diem/X!", "bon/X! courage/X!"],
}
POS_TEMPLATES = {
    "news": [
        "{ORG} said/VERB on/ADP {DAY} that/SCONJ! it/PRON would/AUX cut/VERB {NUM} jobs/NOUN in/ADP {CITY} ./PUNCT",
        "{TITLE} {PER} told/VERB reporters/NOUN that/SCONJ! the/DET {NOUNP} had/AUX been/AUX delayed/VERB! ./PUNCT",
        ("The/DET {NOUNP} ,/PUNCT which/PRON! opened/VERB in/ADP {YEAR} ,/PUNCT will/AUX close/VERB before/ADP! "
         "the/DET end/NOUN of/ADP {MONTH} ./PUNCT"),
        ("Shares/NOUN of/ADP {ORG} fell/VERB {DEC} %/SYM! after/SCONJ! the/DET company/NOUN warned/VERB "
         "about/ADP {NOUNS} ./PUNCT"),
        ("Police/NOUN in/ADP {CITY} are/AUX looking/VERB for/ADP a/DET {ADJ} van/NOUN that/PRON! was/AUX "
         "stolen/VERB! on/ADP {DAY} ./PUNCT"),
        ("{PER} ,/PUNCT who/PRON has/AUX led/VERB {ORG} since/ADP! {YEAR} ,/PUNCT will/AUX step/VERB down/ADP! "
         "in/ADP {MONTH} ./PUNCT"),
        ("The/DET {NATADJ} government/NOUN has/AUX not/PART yet/ADV! decided/VERB whether/SCONJ to/PART "
         "raise/VERB fuel/NOUN! taxes/NOUN ./PUNCT"),
        "{CITY} Council/PROPN! Approves/VERB {ADJ} Budget/NOUN! For/ADP {YEAR}",
        ("The/DET sign/NOUN read/VERB \"/PUNCT {FOREIGN} \"/PUNCT ,/PUNCT so/ADV! visitors/NOUN turned/VERB "
         "back/ADV! ./PUNCT"),
    ],
    "encyclopedia": [
        "{PLACE} is/AUX! a/DET {ADJ} town/NOUN in/ADP the/DET {REGION} of/ADP {COUNTRY} ./PUNCT",
        ("The/DET bridge/NOUN was/AUX completed/VERB! in/ADP {YEAR} and/CCONJ is/AUX! {NUM} metres/NOUN "
         "long/ADJ ./PUNCT"),
        ("The/DET {NATADJ} painter/NOUN {PER} is/AUX best/ADV! known/VERB! for/ADP her/PRON! portraits/NOUN "
         "of/ADP {CITY} ./PUNCT"),
        ("It/PRON has/VERB! a/DET population/NOUN of/ADP about/ADV! {BIG} ,/PUNCT many/ADJ! of/ADP whom/PRON "
         "live/VERB near/ADP the/DET coast/NOUN ./PUNCT"),
        ("Although/SCONJ the/DET river/NOUN is/AUX! shallow/ADJ ,/PUNCT small/ADJ boats/NOUN can/AUX reach/VERB "
         "{CITY} ./PUNCT"),
        "The/DET species/NOUN was/AUX first/ADV! described/VERB by/ADP {PER} in/ADP {YEAR} ./PUNCT",
        ("There/PRON! are/VERB! {NUM} stations/NOUN on/ADP the/DET line/NOUN ,/PUNCT including/VERB! {CITY} "
         "and/CCONJ {PLACE} ./PUNCT"),
        ("Its/PRON! motto/NOUN ,/PUNCT {FOREIGN} ,/PUNCT has/AUX appeared/VERB on/ADP the/DET town/NOUN! "
         "hall/NOUN since/ADP! {YEAR} ./PUNCT"),
    ],
    "fiction": [
        "She/PRON put/VERB down/ADP! {THING} and/CCONJ looked/VERB out/ADP of/ADP the/DET window/NOUN ./PUNCT",
        ("\"/PUNCT Well/INTJ! ,/PUNCT I/PRON never/ADV thought/VERB you/PRON would/AUX come/VERB back/ADV! ,/PUNCT "
         "\"/PUNCT said/VERB {FNAME} ./PUNCT"),
        ("It/PRON was/AUX! so/ADV cold/ADJ that/SCONJ! the/DET river/NOUN had/AUX frozen/VERB! before/SCONJ! "
         "we/PRON reached/VERB {CITY} ./PUNCT"),
        "He/PRON had/AUX never/ADV seen/VERB such/ADJ! a/DET {ADJ} house/NOUN before/ADV! ./PUNCT",
        ("The/DET old/ADJ man/NOUN who/PRON lived/VERB by/ADP the/DET mill/NOUN gave/VERB her/PRON! "
         "{THING} ./PUNCT"),
        "Oh/INTJ ,/PUNCT how/ADV! I/PRON wish/VERB that/SCONJ! I/PRON were/AUX! in/ADP {CITY} again/ADV !/PUNCT",
        ("They/PRON walked/VERB home/ADV! in/ADP silence/NOUN because/SCONJ there/PRON! was/VERB! nothing/PRON "
         "left/VERB! to/PART say/VERB ./PUNCT"),
        ("{FNAME} waited/VERB until/SCONJ! the/DET house/NOUN was/AUX! quiet/ADJ ,/PUNCT then/ADV! took/VERB "
         "{THING} ./PUNCT"),
        ("{FNAME} had/AUX lived/VERB in/ADP {CITY} for/ADP {NUM} years/NOUN before/SCONJ! she/PRON met/VERB "
         "him/PRON ./PUNCT"),
        "At/ADP dawn/NOUN the/DET {ADJ} road/NOUN to/ADP {PLACE} was/AUX! empty/ADJ ./PUNCT",
    ],
    "email": [
        "Hi/INTJ {FNAME} ,/PUNCT could/AUX you/PRON send/VERB me/PRON the/DET {DOC} before/ADP! {DAY} ?/PUNCT",
        ("I/PRON 'm/AUX! afraid/ADJ I/PRON ca/AUX n't/PART make/VERB it/PRON to/ADP! the/DET meeting/NOUN "
         "tomorrow/NOUN! ./PUNCT"),
        ("Thanks/NOUN! for/ADP your/PRON! quick/ADJ reply/NOUN ,/PUNCT that/PRON! 's/AUX! really/ADV "
         "helpful/ADJ ./PUNCT"),
        ("Please/INTJ! let/VERB me/PRON know/VERB if/SCONJ you/PRON have/VERB! any/DET questions/NOUN about/ADP "
         "the/DET {DOC} ./PUNCT"),
        ("We/PRON 'll/AUX need/VERB to/PART finish/VERB the/DET {DOC} by/ADP {DAY} ,/PUNCT otherwise/ADV "
         "the/DET client/NOUN wo/AUX n't/PART pay/VERB ./PUNCT"),
        ("{FNAME} 's/PART! laptop/NOUN is/AUX! still/ADV at/ADP the/DET office/NOUN ,/PUNCT can/AUX you/PRON "
         "pick/VERB it/PRON up/ADP! ?/PUNCT"),
        "The/DET invoice/NOUN for/ADP €/SYM {NUM} was/AUX paid/VERB! on/ADP {DAY} ./PUNCT",
        "See/VERB the/DET notes/NOUN at/ADP {URL} for/ADP details/NOUN :)/SYM!",
        ("Sorry/ADJ! ,/PUNCT I/PRON did/AUX n't/PART get/VERB! your/PRON! message/NOUN until/SCONJ! I/PRON "
         "got/VERB! home/ADV! ./PUNCT"),
    ],
    "review": [
        ("The/DET {PRODUCT} works/VERB well/ADV! but/CCONJ the/DET battery/NOUN dies/VERB after/ADP! {NUM} "
         "hours/NOUN ./PUNCT"),
        ("I/PRON would/AUX n't/PART buy/VERB it/PRON again/ADV ,/PUNCT it/PRON looks/VERB like/ADP! a/DET "
         "toy/NOUN ./PUNCT"),
        "Customer/NOUN! service/NOUN was/AUX! ,/PUNCT like/INTJ! ,/PUNCT totally/ADV useless/ADJ ./PUNCT",
        ("Best/ADJ pizza/NOUN in/ADP {CITY} ,/PUNCT the/DET staff/NOUN are/AUX! friendly/ADJ! and/CCONJ "
         "the/DET prices/NOUN are/AUX! fair/ADJ ./PUNCT"),
        "Wow/INTJ ,/PUNCT {STARS} stars/NOUN is/AUX! too/ADV generous/ADJ for/ADP this/DET! place/NOUN ./PUNCT",
        ("The/DET screen/NOUN broke/VERB the/DET first/ADJ! week/NOUN and/CCONJ they/PRON refused/VERB "
         "to/PART replace/VERB it/PRON ./PUNCT"),
        "Ordered/VERB on/ADP {DAY} ,/PUNCT got/AUX! delivered/VERB! {NUM} days/NOUN later/ADV ./PUNCT",
        ("The/DET {PRODUCT} is/AUX! 20/NUM %/SYM! off/ADV! this/DET! week/NOUN ,/PUNCT grab/VERB one/NUM! "
         "while/SCONJ! you/PRON can/AUX ./PUNCT"),
    ],
    "forum": [
        "Does/AUX anyone/PRON know/VERB where/ADV! I/PRON can/AUX buy/VERB {GOODS} in/ADP {CITY} ?/PUNCT",
        ("I/PRON have/AUX had/VERB! the/DET same/ADJ problem/NOUN since/SCONJ! I/PRON updated/VERB the/DET "
         "app/NOUN ./PUNCT"),
        ("Just/ADV turn/VERB it/PRON off/ADP! and/CCONJ on/ADP! again/ADV ,/PUNCT that/PRON! fixed/VERB it/PRON "
         "for/ADP me/PRON ./PUNCT"),
        "You/PRON have/VERB! to/PART register/VERB before/SCONJ! posting/VERB! links/NOUN here/ADV ./PUNCT",
        "lol/INTJ ,/PUNCT that/DET! thread/NOUN is/AUX! from/ADP {YEAR} ./PUNCT",
        "Has/AUX anybody/PRON tried/VERB the/DET new/ADJ {PRODUCT} yet/ADV! ?/PUNCT",
        ("The/DET link/NOUN {URL} is/AUX! broken/ADJ! ,/PUNCT try/VERB searching/VERB! for/ADP it/PRON "
         "instead/ADV ./PUNCT"),
    ],
}
# Easy and hard error rates per tag, and which tags raters confuse it with.
POS_ERRORS = {  # tag: (easy error, hard error, {confused with: weight})
    "ADJ": (0.03, 0.12, {"VERB": 3, "NOUN": 2, "PROPN": 2, "ADV": 1}),
    "ADP": (0.015, 0.12, {"SCONJ": 3, "ADV": 3, "PART": 1}),
    "ADV": (0.03, 0.12, {"ADP": 2, "ADJ": 2, "SCONJ": 1, "NOUN": 1}),
    "AUX": (0.02, 0.14, {"VERB": 5}),
    "CCONJ": (0.008, 0.1, {"ADV": 1, "SCONJ": 1}),
    "DET": (0.008, 0.14, {"PRON": 4, "ADJ": 1}),
    "INTJ": (0.05, 0.2, {"ADV": 3, "ADP": 1, "NOUN": 1}),
    "NOUN": (0.015, 0.12, {"PROPN": 3, "ADJ": 2, "VERB": 1, "ADV": 1}),
    "NUM": (0.01, 0.12, {"PROPN": 2, "NOUN": 1}),
    "PART": (0.015, 0.15, {"AUX": 2, "ADP": 2, "PRON": 1}),
    "PRON": (0.01, 0.1, {"DET": 3, "SCONJ": 2, "ADV": 1}),
    "PROPN": (0.02, 0.15, {"NOUN": 4, "ADJ": 1}),
    "PUNCT": (0.002, 0.05, {"SYM": 1}),
    "SCONJ": (0.03, 0.08, {"ADP": 3, "ADV": 2, "PRON": 2}),
    "SYM": (0.04, 0.15, {"PUNCT": 2, "NOUN": 1}),
    "VERB": (0.015, 0.15, {"AUX": 2, "ADJ": 2, "NOUN": 1}),
    "X": (0.08, 0.22, {"PROPN": 2, "NOUN": 1}),
}
# Hard tokens of these words are confused among the word's possible tags (rules of edge_cases.yaml).
POS_WORD_TAGS = {"that": ["SCONJ", "PRON", "DET", "ADV"], "'s": ["PART", "AUX", "PRON"],
                 "there": ["PRON", "ADV"], "like": ["VERB", "ADP", "SCONJ", "INTJ"],
                 "before": ["ADP", "SCONJ", "ADV"], "after": ["ADP", "SCONJ", "ADV"],
                 "since": ["ADP", "SCONJ", "ADV"], "until": ["ADP", "SCONJ"], "to": ["PART", "ADP"],
                 "one": ["NUM", "NOUN", "PRON"], "yet": ["ADV", "CCONJ"], "while": ["SCONJ", "ADP"]}
# The releases of specs/pos-tags/guideline.yaml during labelling, oldest first, with the day
# each came into force. The versions are the guideline's release history (its git log:
# 1.0.0, then 1.1.0 'used to' and 'going to' are verbs, QM-POS-38, then 1.1.1 gold
# accuracy 95%, QM-POS-41); the spec records no dates, so the days are the example's own:
# 1.0.0 from the pilot's first day, 1.1.0 from 2026-01-22, 1.1.1 from 2026-02-03.
POS_RELEASES = [("1.0.0", "2026-01-12"), ("1.1.0", "2026-01-22"), ("1.1.1", "2026-02-03")]
POS_PLAN = [  # (genre, source, sentences)
    ("news", "northfield-wire", 330), ("encyclopedia", "wikipedia-en", 260), ("fiction", "gutenberg", 210),
    ("email", "quillmark-opt-in", 240), ("review", "quillmark-opt-in", 160), ("email", "ud-ewt", 80),
    ("review", "ud-ewt", 80), ("forum", "ud-ewt", 140),
]


def pos_sentence(rng: np.random.Generator, template: str) -> list[tuple[str, str, bool]]:
    """Expand a template into (word, tag, hard) tokens."""
    def number(kind: str) -> str:
        if kind == "NUM":
            n = int(rng.integers(2, 60))
            words = ["two", "three", "four", "five", "six", "ten", "twelve", "twenty"]
            return f"{words[rng.integers(len(words))]}/NUM" if rng.random() < 0.3 else f"{n}/NUM"
        if kind == "YEAR":
            return f"{rng.integers(1890, 2025)}/NUM"
        if kind == "DEC":
            return f"{rng.integers(1, 9)}.{rng.integers(1, 10)}/NUM"
        return f"{rng.integers(2, 90)},{rng.integers(0, 10)}00/NUM"  # BIG

    out = []
    for part in template.split(" "):
        if part.startswith("{") and part.endswith("}"):
            kind = part[1:-1]
            filler = number(kind) if kind in ("NUM", "YEAR", "DEC", "BIG") else \
                POS_FILLERS[kind][rng.integers(len(POS_FILLERS[kind]))]
            pieces = filler.split(" ")
        else:
            pieces = [part]
        for piece in pieces:
            hard = piece.endswith("!")
            word, tag = piece.rstrip("!").rsplit("/", 1)
            out.append((word, tag, hard))
    if out[0][0] == "the":  # a filler opening the sentence
        out[0] = ("The",) + out[0][1:]
    return out


def pos_versions(export: pd.DataFrame) -> np.ndarray:
    """Per rating, the version of POS_RELEASES in force on the day of its sentence's first
    rating: a sentence is tagged under one version, whoever tags it later."""
    sentence = export["item"].str.split(":").str[0]
    first = export.groupby(sentence)["timestamp"].transform("min").to_numpy().astype("datetime64[D]")
    days = np.array([d for _, d in POS_RELEASES], dtype="datetime64[D]")
    if first.min() < days[0]:
        raise RuntimeError(f"pos-tags: a sentence was first tagged on {first.min()}, before the first release "
                           f"({POS_RELEASES[0][0]}, {POS_RELEASES[0][1]}); start the ratings on or after that day")
    versions = np.array([v for v, _ in POS_RELEASES], dtype=object)
    return versions[np.searchsorted(days, first, side="right") - 1]


def pos_tags() -> None:
    rng = np.random.default_rng(20260112)
    folder = ROOT / "specs/pos-tags/data"
    folder.mkdir(parents=True, exist_ok=True)
    sentences, used = [], set()
    for genre, source, count in POS_PLAN:
        templates = POS_TEMPLATES[genre]
        for _ in range(count):
            for _ in range(10_000):
                tokens = pos_sentence(rng, templates[rng.integers(len(templates))])
                text = " ".join(word for word, _, _ in tokens)
                if text not in used:
                    used.add(text)
                    break
            else:
                raise RuntimeError(f"pos-tags: the {genre} templates ran out of distinct sentences")
            sentences.append((genre, source, tokens, text))
    order = rng.permutation(len(sentences))
    sentences = [sentences[i] for i in order]
    # Documents of 3-6 consecutive sentences of one source; the split is drawn per document.
    docs = 0
    by_source: dict[str, list[int]] = {}
    for k, (_, source, _, _) in enumerate(sentences):
        by_source.setdefault(source, []).append(k)
    doc_of = [""] * len(sentences)
    split_of: dict[str, str] = {}
    prefix = {"northfield-wire": "nw", "wikipedia-en": "wp", "gutenberg": "pg", "quillmark-opt-in": "qm",
              "ud-ewt": "ewt"}
    for source in sorted(by_source):
        members = by_source[source]
        i = 0
        while i < len(members):
            size = int(rng.integers(3, 7))
            doc = f"{prefix[source]}-{docs:04d}"
            docs += 1
            split_of[doc] = ["train", "dev", "test"][rng.choice(3, p=[0.8, 0.1, 0.1])]
            for k in members[i:i + size]:
                doc_of[k] = doc
            i += size
    raters = [f"hl-{r:02d}" for r in range(1, 9)]
    skill = np.array([0.7, 0.8, 0.9, 1.0, 1.0, 1.2, 1.4, 1.9])  # hl-08 joined mid-pilot
    day = np.datetime64(POS_RELEASES[0][1])  # the pilot starts under the first release
    rows = []
    for s, (genre, source, tokens, text) in enumerate(sentences):
        first = int(rng.integers(len(raters)))
        who = [first]
        if source == "ud-ewt" or rng.random() < 0.25:  # gold anchors and the overlap: two raters
            who.append(int((first + 1 + rng.integers(len(raters) - 1)) % len(raters)))
        for r in who:
            stamp = str(day + np.timedelta64(int(rng.integers(0, 40)), "D"))
            for t, (word, tag, hard) in enumerate(tokens, start=1):
                easy, tough, targets = POS_ERRORS[tag]
                label = tag
                if rng.random() < (tough if hard else easy) * skill[r]:
                    if hard and word.lower() in POS_WORD_TAGS:
                        names = [n for n in POS_WORD_TAGS[word.lower()] if n != tag]
                        weights: np.ndarray = np.ones(len(names))
                    else:
                        names = list(targets)
                        weights = np.array([targets[n] for n in names], dtype=float)
                    label = names[rng.choice(len(names), p=weights / weights.sum())]
                rows.append({"item": f"s{s:04d}:{t}", "rater": raters[r], "label": label, "token": word,
                             "text": text, "genre": genre, "source": source, "split": split_of[doc_of[s]],
                             "entity": doc_of[s], "gold": tag if source == "ud-ewt" else None,
                             "timestamp": stamp})
    export = pd.DataFrame(rows)
    export["guideline_version"] = pos_versions(export)
    export["_sentence"] = export["item"].str.slice(1, 5).astype(int)
    export["_token"] = export["item"].str.split(":").str[1].astype(int)
    export = export.sort_values(["_sentence", "_token", "rater"], kind="stable").drop(columns=["_sentence", "_token"])
    # Arrow's default encodings: the stored export was written so, and regenerating must
    # give its bytes back (the compact settings would store it in about 80 KB, not 129 KB).
    write_parquet(export, folder / "annotations.parquet", compact=False)
    # Blind audit: every token of 120 sentences; a row per token, plus one per defect found.
    audited = np.sort(rng.choice(len(sentences), 120, replace=False))
    items = [f"s{s:04d}:{t}" for s in audited for t in range(1, len(sentences[s][2]) + 1)]
    audit = pd.DataFrame({"item": items, "error_category": None, "severity": None})
    defects = rng.choice(len(items), 14 + 19, replace=False)
    audit.loc[defects[:9], ["error_category", "severity"]] = ["function-word-confusion", "major"]
    audit.loc[defects[9:14], ["error_category", "severity"]] = ["aux-verb-confusion", "major"]
    audit.loc[defects[14:26], ["error_category", "severity"]] = ["name-boundary", "minor"]
    audit.loc[defects[26:], ["error_category", "severity"]] = ["missing-note", "minor"]
    audit.to_csv(folder / "audit.csv", index=False, lineterminator="\n")


# --- news-entities: spans, one row per (item, rater, span) -----------------------------
# Slot kinds: the text filled in and the gold label (None: not an entity). Capitals standing
# for their government and countries standing for national teams are ORG (rule bc-metonymy).
NEWS_FILLERS = {
    "PER": ["Amara Diallo", "Tomas Lindgren", "Priya Natarajan", "Chidi Okafor", "Elena Varga", "Mateus Rocha",
            "Hana Kobayashi", "Wanjiru Mwangi", "Aino Laine", "Kofi Mensah", "Lucia Ferraz", "Jakub Zielinski",
            "Nadia Haddad", "Olumide Bankole", "Ines Carvalho", "Mikko Rantanen"],
    "SURNAME": ["Okonjo", "Lindqvist", "Ferraz", "Haddad", "Zielinski", "Mensah", "Varga", "Rantanen"],
    "ORG": ["Lakeshore Bank", "Verano Motors", "Halvorsen Shipping", "Northgate Foods", "Kestrel Air",
            "Bluewater Energy", "Marisco Telecom", "Copperline Mining"],
    "PARTY": ["Progressive Alliance", "National Renewal Party", "Green Future Movement", "Civic Union"],
    "ASSEMBLY": ["National Assembly", "Federal Senate", "Regional Council"],
    "AGENCY": ["World Water Council", "Eastern Africa Weather Service", "Coastal Health Authority",
               "Baltic Fisheries Board", "Continental Audit Office"],
    "CLUB": ["Rivermouth United", "FC Sankt Aurel", "Porto Norte", "Lakeside Rovers", "Atletico Brisa"],
    "PUBLISHER": ["Harbourlight Press", "Quayside Books", "Northern Lantern Publishing"],
    "PAPER": ["Harbour Gazette", "Daily Ledger", "Evening Courier"],
    "COUNTRY": ["Kenya", "Portugal", "Finland", "Ghana", "Chile", "Poland", "Canada", "Vietnam"],
    "CITY": ["Nairobi", "Lisbon", "Tampere", "Accra", "Valparaiso", "Gdansk", "Halifax", "Da Nang", "Mombasa",
             "Porto"],
    "CAPITAL_GOV": ["Nairobi", "Lisbon", "Helsinki", "Accra", "Santiago", "Warsaw", "Ottawa", "Hanoi"],
    "TEAM_COUNTRY": ["Kenya", "Portugal", "Finland", "Ghana", "Chile", "Poland", "Canada", "Vietnam"],
    "RIVER": ["Tana River", "Douro", "Vistula", "Volta", "Mekong Delta"],
    "VENUE": ["Old Quay Arena", "Riverside Hall", "Harbour Bowl", "Crescent Theatre"],
    "DEMONYM": ["Kenyan", "Portuguese", "Finnish", "Ghanaian", "Chilean", "Polish"],
    "EVENT": ["Harbour Jazz Festival", "Continental Cup", "Northern Film Week", "Coastal Games"],
    "PRODUCT": ["Zephyr X2", "Aerio 5", "Tidal Buds", "Orbit 3"],
    "WORK": ["Waiting for Rain", "The Salt Road", "Paper Lanterns", "North of the Tide"],
    "GOODS": ["fresh vegetables", "cooking oil", "bread", "petrol", "rice", "coffee"],
    "WHEN": ["last month", "in the first quarter", "over the summer", "last week", "in January"],
}
NEWS_LABELS = {"PER": "PER", "SURNAME": "PER", "ORG": "ORG", "PARTY": "ORG", "ASSEMBLY": "ORG", "AGENCY": "ORG",
               "CLUB": "ORG", "PUBLISHER": "ORG", "PAPER": "ORG", "CAPITAL_GOV": "ORG", "TEAM_COUNTRY": "ORG",
               "COUNTRY": "LOC", "CITY": "LOC", "RIVER": "LOC", "VENUE": "LOC", "DEMONYM": "MISC",
               "EVENT": "MISC", "PRODUCT": "MISC", "WORK": "MISC"}
NEWS_TEMPLATES = {
    "politics": [
        "{PER}, the foreign minister of {COUNTRY}, met her counterpart {PER} in {CITY} on Tuesday.",
        "{CAPITAL_GOV} said on Monday it would expel two diplomats from {COUNTRY}.",
        "Lawmakers from the {PARTY} walked out of the {ASSEMBLY} after President {PER} spoke.",
        "The {SURNAME} report, published by the {AGENCY}, criticised the {DEMONYM} government.",
        "{CAPITAL_GOV} and {CAPITAL_GOV} signed a fishing agreement in {CITY}.",
        "Turnout fell {WHEN} as voters stayed away from the polls, officials said.",
    ],
    "business": [
        "{ORG} shares rose 4 percent after the {CITY}-based firm reported higher profits.",
        "{PER}, chief executive of {ORG}, said the {PRODUCT} would go on sale in {COUNTRY} in June.",
        "{ORG}'s profits fell by a third, the {PAPER} reported on Friday.",
        "Prices of {GOODS} rose sharply {WHEN}, officials said.",
        "{ORG} will buy {ORG} for 1.2 billion euros, the two companies said.",
    ],
    "sports": [
        "{TEAM_COUNTRY} beat {TEAM_COUNTRY} 2-1 in the {EVENT} final in {CITY}.",
        "{CLUB} signed {DEMONYM} striker {PER} from {CLUB} for an undisclosed fee.",
        "{PER} won the women's 10,000 metres at the {EVENT} in {CITY}.",
        "The match was postponed {WHEN} after heavy rain flooded the pitch.",
    ],
    "world": [
        "Floods in northern {COUNTRY} forced 3,000 people from their homes near the {RIVER}, the {AGENCY} said.",
        "Aid agencies warned that the harvest in {COUNTRY} could fail for a second year.",
        "The ferry between {CITY} and {CITY} was cancelled because of high winds.",
        "Exports of {GOODS} from {COUNTRY} doubled {WHEN}, according to the {AGENCY}.",
    ],
    "culture": [
        "The {EVENT} opens in {CITY} on Friday with a film by {PER}.",
        "{PER}'s novel {WORK} has sold 200,000 copies since it was published by {PUBLISHER}.",
        "{DEMONYM} singer {PER} will play at the {VENUE} in July.",
        "Critics praised the new production of {WORK}, which runs until March.",
    ],
}
NEWS_PLAN = [  # (section, source, sentences)
    ("politics", "meridian-wire", 80), ("politics", "wikinews-en", 30), ("politics", "regional-papers", 20),
    ("business", "meridian-wire", 90), ("business", "regional-papers", 30),
    ("sports", "meridian-wire", 50), ("sports", "regional-papers", 50),
    ("world", "meridian-wire", 70), ("world", "wikinews-en", 50),
    ("culture", "regional-papers", 60), ("culture", "wikinews-en", 30), ("culture", "meridian-wire", 40),
]
NEWS_MISS = {"PER": 0.02, "ORG": 0.05, "LOC": 0.03, "MISC": 0.12}
NEWS_CONFUSE = {  # slot kind: (probability, wrong label)
    "CAPITAL_GOV": (0.22, "LOC"), "TEAM_COUNTRY": (0.2, "LOC"), "VENUE": (0.12, "ORG"), "EVENT": (0.08, "ORG"),
    "PRODUCT": (0.1, "ORG"), "PUBLISHER": (0.05, "MISC"), "PAPER": (0.05, "MISC"), "SURNAME": (0.1, "MISC"),
    "ASSEMBLY": (0.06, "LOC"), "CLUB": (0.04, "LOC"),
}


def news_sentence(rng: np.random.Generator, template: str) -> tuple[str, list[tuple[int, int, str, str]]]:
    """Fill a template: the text and its gold spans (start, end, label, slot kind)."""
    text, spans, used = "", [], set()
    for n, part in enumerate(re.split(r"\{(\w+)\}", template)):
        if n % 2 == 0:
            text += part
            continue
        choices = [c for c in NEWS_FILLERS[part] if (part, c) not in used]
        fill = choices[rng.integers(len(choices))]
        used.add((part, fill))
        if part in NEWS_LABELS:
            spans.append((len(text), len(text) + len(fill), NEWS_LABELS[part], part))
        text += fill
    return text, spans


def news_rating(rng, text: str, gold, skill: float) -> list[tuple[int, int, str]]:
    """One rater's spans for a sentence: misses, boundary shifts, type confusions, extras."""
    out = []
    for start, end, label, kind in gold:
        miss = NEWS_MISS[label] + (0.15 if kind == "SURNAME" else 0.0)
        if rng.random() < miss * skill:
            continue
        if kind in NEWS_CONFUSE and rng.random() < NEWS_CONFUSE[kind][0] * skill:
            label = NEWS_CONFUSE[kind][1]
        elif rng.random() < 0.01 * skill:
            label = ["PER", "ORG", "LOC", "MISC"][rng.integers(4)]
        if text[:start].endswith("President ") and rng.random() < 0.12 * skill:
            start -= len("President ")
        elif text[:start].endswith("the ") and kind in ("AGENCY", "ASSEMBLY", "PAPER") and rng.random() < 0.07 * skill:
            start -= len("the ")
        if text[end:].startswith("'s") and rng.random() < 0.08 * skill:
            end += 2
        elif text[end:].startswith("-based") and rng.random() < 0.12 * skill:
            end += len("-based")
        elif " " in text[start:end] and rng.random() < 0.03 * skill:
            end = start + text[start:end].index(" ")
        out.append((start, end, label))
    for word, label in (("President", "PER"), ("Friday", "MISC"), ("Monday", "MISC"), ("June", "MISC")):
        at = text.find(word)
        if at >= 0 and rng.random() < 0.04 * skill and not any(s <= at < e for s, e, _ in out):
            out.append((at, at + len(word), label))
    return sorted(out)


def news_entities() -> None:
    rng = np.random.default_rng(20260202)
    folder = ROOT / "specs/news-entities/data"
    folder.mkdir(parents=True, exist_ok=True)
    sentences, used = [], set()
    for section, source, count in NEWS_PLAN:
        templates = NEWS_TEMPLATES[section]
        for _ in range(count):
            for _ in range(10_000):
                text, gold = news_sentence(rng, templates[rng.integers(len(templates))])
                if text not in used:
                    used.add(text)
                    break
            else:
                raise RuntimeError(f"news-entities: the {section} templates ran out of distinct sentences")
            sentences.append((section, source, text, gold))
    order = rng.permutation(len(sentences))
    sentences = [sentences[i] for i in order]
    # Articles of 2-4 sentences of one source and section; the split is drawn per article.
    groups: dict[tuple[str, str], list[int]] = {}
    for k, (section, source, _, _) in enumerate(sentences):
        groups.setdefault((source, section), []).append(k)
    article_of, split_of, articles = [""] * len(sentences), {}, 0
    for key in sorted(groups):
        members, i = groups[key], 0
        while i < len(members):
            size = int(rng.integers(2, 5))
            article = f"art-{articles:04d}"
            articles += 1
            split_of[article] = ["train", "dev", "test"][rng.choice(3, p=[0.8, 0.1, 0.1])]
            for k in members[i:i + size]:
                article_of[k] = article
            i += size
    raters = [f"ne-{r:02d}" for r in range(1, 7)]
    skill = np.array([0.8, 0.9, 1.0, 1.0, 1.3, 1.6])
    day = np.datetime64("2026-02-02")
    rows = []
    for s, (section, source, text, gold) in enumerate(sentences):
        first = int(rng.integers(len(raters)))
        who = [first, int((first + 1 + rng.integers(len(raters) - 1)) % len(raters))]
        if rng.random() < 0.12:  # a third rater on part of the pilot
            who.append(next(r for r in rng.permutation(len(raters)) if r not in who))
        for r in who:
            stamp = str(day + np.timedelta64(int(rng.integers(0, 30)), "D"))
            base: dict[str, object] = {
                "item": f"n{s:04d}", "rater": raters[r], "text": text, "section": section, "source": source,
                "split": split_of[article_of[s]], "entity": article_of[s], "timestamp": stamp,
                "guideline_version": "1.0.0"}
            spans = news_rating(rng, text, gold, skill[r])
            if not spans:  # the rater saw the sentence and marked nothing
                rows.append({**base, "start": None, "end": None, "label": None})
            for start, end, label in spans:
                rows.append({**base, "start": start, "end": end, "label": label})
    columns = ["item", "rater", "start", "end", "label", "text", "section", "source", "split", "entity",
               "timestamp", "guideline_version"]
    export = pd.DataFrame(rows)[columns]
    export["start"] = export["start"].astype("Int64")
    export["end"] = export["end"].astype("Int64")
    export = export.sort_values(["item", "rater", "start"], kind="stable", na_position="first")
    export.to_csv(folder / "annotations.csv", index=False, lineterminator="\n")
    audited = np.sort(rng.choice(len(sentences), 150, replace=False))
    audit = pd.DataFrame({"item": [f"n{s:04d}" for s in audited], "error_category": None, "severity": None})
    defects = rng.choice(150, 4 + 3 + 11, replace=False)
    audit.loc[defects[:4], ["error_category", "severity"]] = ["missed-entity", "major"]
    audit.loc[defects[4:7], ["error_category", "severity"]] = ["wrong-type", "major"]
    audit.loc[defects[7:], ["error_category", "severity"]] = ["span-boundary", "minor"]
    audit.to_csv(folder / "audit.csv", index=False, lineterminator="\n")



# --- street-objects: example images drawn for the guideline ------------------------------
# Flat shapes on a 640 x 360 canvas (the size frames are labeled at). Each object is drawn
# into the picture and into its own mask; whatever a later shape covers is removed from
# the masks of the objects behind it, so an object's box is the tight box of its VISIBLE
# pixels, cut by the image border, exactly as the guideline asks raters to draw it.
STREET_W, STREET_H = 640, 360
STREET_MIN = 8  # boxes.min_size in guideline.yaml
INK = {
    "sky": (196, 222, 240), "night": (24, 30, 52), "road": (92, 94, 98), "road_n": (40, 42, 48),
    "walk": (184, 180, 172), "walk_n": (70, 70, 74), "line": (238, 238, 230), "kerb": (150, 146, 140),
    "wall": (214, 196, 170), "wall2": (170, 176, 186), "wall_n": (52, 54, 66), "window": (120, 150, 176),
    "window_n": (230, 210, 120), "tyre": (30, 30, 32), "glass": (160, 196, 220), "light": (255, 244, 170),
    "red": (196, 40, 40), "blue": (40, 80, 170), "white": (244, 244, 244), "yellow": (232, 190, 40),
    "green": (40, 130, 70), "grey": (128, 128, 132), "dark": (50, 50, 56), "skin": (222, 180, 140),
    "skin2": (150, 100, 70), "orange": (230, 120, 30), "pole": (110, 112, 118), "trunk": (110, 80, 50),
    "leaf": (80, 140, 70), "stone": (170, 166, 158), "silver": (190, 192, 198), "teal": (40, 140, 150),
    "purple": (110, 60, 130), "brown": (120, 80, 50), "black": (20, 20, 24),
}


class StreetScene:
    """A picture plus one visibility mask per drawn object (label None: drawn, never boxed)."""

    def __init__(self, night: bool = False):
        from PIL import Image, ImageDraw

        self._image_module = Image
        self.image = Image.new("RGB", (STREET_W, STREET_H), INK["night" if night else "sky"])
        self.draw = ImageDraw.Draw(self.image)
        self.night = night
        self.objects: list[tuple[str | None, str | None, np.ndarray]] = []  # (label, group, visible mask)
        self._mask: PILImage | None = None

    def begin(self, label: str | None = None, group: str | None = None) -> Self:
        from PIL import Image, ImageDraw

        self._mask = Image.new("1", (STREET_W, STREET_H), 0)
        self._mdraw = ImageDraw.Draw(self._mask)
        self._current = (label, group)
        return self

    def end(self) -> None:
        mask = np.array(self._mask, dtype=bool)
        for k, (label, group, visible) in enumerate(self.objects):
            self.objects[k] = (label, group, visible & ~mask)
        self.objects.append((*self._current, mask))
        self._mask = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.end()

    # Every primitive paints the picture and, inside an object, its mask.
    def rect(self, box, fill, outline=None, width=1):
        box = [round(v) for v in box]
        self.draw.rectangle(box, fill=INK.get(fill, fill), outline=INK.get(outline, outline), width=width)
        if self._mask is not None:
            self._mdraw.rectangle(box, fill=1, outline=1, width=width)

    def ellipse(self, box, fill, outline=None, width=1):
        box = [round(v) for v in box]
        self.draw.ellipse(box, fill=INK.get(fill, fill), outline=INK.get(outline, outline), width=width)
        if self._mask is not None:
            self._mdraw.ellipse(box, fill=1 if fill is not None else None, outline=1, width=width)

    def poly(self, points, fill, outline=None):
        points = [(round(x), round(y)) for x, y in points]
        self.draw.polygon(points, fill=INK.get(fill, fill), outline=INK.get(outline, outline))
        if self._mask is not None:
            self._mdraw.polygon(points, fill=1, outline=1)

    def line(self, points, fill, width=1):
        points = [(round(x), round(y)) for x, y in points]
        self.draw.line(points, fill=INK.get(fill, fill), width=width)
        if self._mask is not None:
            self._mdraw.line(points, fill=1, width=width)

    def boxes(self) -> list[tuple[str, int, int, int, int]]:
        """(label, x, y, w, h) of every labeled object whose visible part reaches the minimum
        size; a group (a crowd) is one box around its members."""
        merged: dict[tuple, np.ndarray] = {}
        for k, (label, group, visible) in enumerate(self.objects):
            if label is None:
                continue
            key = (label, group) if group else (label, k)
            merged[key] = merged[key] | visible if key in merged else visible.copy()
        out = []
        for (label, _), visible in merged.items():
            ys, xs = np.nonzero(visible)
            if len(xs) == 0:
                continue
            x, y, w, h = int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)
            if min(w, h) >= STREET_MIN:
                out.append((label, x, y, w, h))
        return sorted(out, key=lambda b: (b[1], b[2], b[0]))

    def png(self) -> bytes:
        import io

        buffer = io.BytesIO()
        image = self.image.convert("P", palette=self._image_module.Palette.ADAPTIVE, colors=64)
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()


# Scenery ------------------------------------------------------------------------------------
def street_backdrop(s: StreetScene, horizon: int = 150, walk: int = 40, buildings: int = 3, seed: int = 0) -> None:
    n = s.night
    rng = np.random.default_rng(seed)
    left = 0
    for b in range(buildings):
        width = STREET_W // buildings
        top = horizon - 60 - int(rng.integers(0, 70))
        s.rect((left, top, left + width - 4, horizon), "wall_n" if n else ("wall", "wall2")[b % 2])
        for wx in range(left + 12, left + width - 24, 34):
            for wy in range(top + 12, horizon - 20, 30):
                s.rect((wx, wy, wx + 16, wy + 16), "window_n" if n and rng.random() < 0.5 else
                       ("wall_n" if n else "window"))
        left += width
    s.rect((0, horizon, STREET_W, horizon + walk), "walk_n" if n else "walk")
    s.rect((0, horizon + walk, STREET_W, STREET_H), "road_n" if n else "road")
    s.line([(0, horizon + walk), (STREET_W, horizon + walk)], "kerb", 3)
    y = horizon + walk + (STREET_H - horizon - walk) // 2
    for x in range(10, STREET_W, 80):
        s.line([(x, y), (x + 40, y)], "line", 4)


def tree(s: StreetScene, x: int, yb: int, h: int) -> None:
    s.rect((x - h * 0.05, yb - h * 0.55, x + h * 0.05, yb), "trunk")
    s.ellipse((x - h * 0.3, yb - h, x + h * 0.3, yb - h * 0.45), "leaf")


def pole(s: StreetScene, x: float, yb: float, top: float, width: int = 3) -> None:
    s.line([(x, top), (x, yb)], "pole", width)


# Objects -------------------------------------------------------------------------------------
def draw_car(s: StreetScene, x: float, yb: float, w: float, paint: str = "red", facing: int = 1,
             lights: bool = False) -> None:
    r = w * 0.09
    body_bottom, body_top = yb - r * 0.7, yb - r * 0.7 - w * 0.2
    s.rect((x, body_top, x + w, body_bottom), paint)
    c0, c1 = (x + w * 0.18, x + w * 0.72) if facing > 0 else (x + w * 0.28, x + w * 0.82)
    top = body_top - w * 0.17
    s.poly([(c0, body_top), (c0 + w * 0.08, top), (c1 - w * 0.06, top), (c1, body_top)], paint)
    s.poly([(c0 + w * 0.05, body_top - 2), (c0 + w * 0.1, top + 3), (c1 - w * 0.08, top + 3),
            (c1 - w * 0.03, body_top - 2)], "glass")
    for cx in (x + w * 0.2, x + w * 0.8):
        s.ellipse((cx - r, yb - 2 * r, cx + r, yb), "tyre")
    if lights:
        front = x + w - 6 if facing > 0 else x
        s.rect((front, body_top + 3, front + 5, body_top + 8), "light")


def draw_pickup(s: StreetScene, x: float, yb: float, w: float, paint: str = "teal") -> None:
    r = w * 0.09
    body_bottom, body_top = yb - r * 0.7, yb - r * 0.7 - w * 0.18
    s.rect((x, body_top, x + w, body_bottom), paint)
    top = body_top - w * 0.2
    s.poly([(x + w * 0.55, body_top), (x + w * 0.6, top), (x + w * 0.8, top), (x + w * 0.86, body_top)], paint)
    s.rect((x + w * 0.63, top + 4, x + w * 0.79, body_top - 3), "glass")
    s.line([(x + 2, body_top), (x + w * 0.53, body_top)], "dark", 2)
    for cx in (x + w * 0.2, x + w * 0.8):
        s.ellipse((cx - r, yb - 2 * r, cx + r, yb), "tyre")


def draw_van(s: StreetScene, x: float, yb: float, w: float, paint: str = "white", panel: bool = False) -> None:
    """A minivan or panel van: one body shell, no separate cab."""
    r = w * 0.085
    body_bottom, top = yb - r * 0.7, yb - r * 0.7 - w * 0.42
    s.poly([(x, body_bottom), (x, top + w * 0.04), (x + w * 0.04, top), (x + w * 0.8, top),
            (x + w * 0.92, top + w * 0.16), (x + w, top + w * 0.2), (x + w, body_bottom)], paint, outline="grey")
    s.poly([(x + w * 0.8, top + 4), (x + w * 0.9, top + w * 0.16), (x + w * 0.7, top + w * 0.16),
            (x + w * 0.7, top + 4)], "glass")
    if not panel:
        for wx in (x + w * 0.08, x + w * 0.36):
            s.rect((wx, top + 5, wx + w * 0.24, top + w * 0.15), "glass")
    for cx in (x + w * 0.18, x + w * 0.82):
        s.ellipse((cx - r, yb - 2 * r, cx + r, yb), "tyre")


def draw_truck(s: StreetScene, x: float, yb: float, w: float, paint: str = "white", cab: str = "blue",
               facing: int = 1) -> None:
    r = w * 0.065
    bottom = yb - r * 0.8
    box0, box1 = (x, x + w * 0.72) if facing > 0 else (x + w * 0.28, x + w)
    s.rect((box0, bottom - w * 0.5, box1, bottom), paint, outline="grey", width=2)
    c0, c1 = (x + w * 0.74, x + w) if facing > 0 else (x, x + w * 0.26)
    s.rect((c0, bottom - w * 0.34, c1, bottom), cab)
    s.rect((c0 + w * 0.04, bottom - w * 0.3, c1 - w * 0.03, bottom - w * 0.2), "glass")
    for cx in (x + w * 0.14, x + w * 0.3, x + w * 0.86) if facing > 0 else (x + w * 0.14, x + w * 0.7, x + w * 0.86):
        s.ellipse((cx - r, yb - 2 * r, cx + r, yb), "tyre")


def draw_bus(s: StreetScene, x: float, yb: float, w: float, paint: str = "yellow") -> None:
    r = w * 0.05
    bottom, top = yb - r * 0.8, yb - r * 0.8 - w * 0.3
    s.rect((x, top, x + w, bottom), paint, outline="dark", width=2)
    for wx in range(int(x + w * 0.05), int(x + w * 0.85), max(8, int(w * 0.11))):
        s.rect((wx, top + w * 0.04, wx + w * 0.08, top + w * 0.12), "glass")
    s.rect((x + w * 0.88, top + w * 0.04, x + w * 0.97, bottom - 3), "glass")
    for cx in (x + w * 0.15, x + w * 0.78):
        s.ellipse((cx - r, yb - 2 * r, cx + r, yb), "tyre")


def draw_person(s: StreetScene, cx: float, yb: float, h: float, shirt: str = "blue", trousers: str = "dark",
                skin: str = "skin", stride: float = 0.1, arms_up: bool = False) -> None:
    head = h * 0.12
    s.ellipse((cx - head / 2, yb - h, cx + head / 2, yb - h + head), skin)
    shoulders, hips = yb - h + head + 1, yb - h * 0.47
    s.rect((cx - h * 0.1, shoulders, cx + h * 0.1, hips), shirt)
    leg = max(2, round(h * 0.07))
    s.line([(cx - h * 0.04, hips), (cx - h * stride - h * 0.02, yb - leg / 2)], trousers, leg)
    s.line([(cx + h * 0.04, hips), (cx + h * stride + h * 0.02, yb - leg / 2)], trousers, leg)
    arm = max(2, round(h * 0.05))
    if arms_up:
        s.line([(cx + h * 0.09, shoulders + 2), (cx + h * 0.26, shoulders + h * 0.15)], shirt, arm)
    else:
        s.line([(cx + h * 0.09, shoulders + 2), (cx + h * 0.15, hips)], shirt, arm)
    s.line([(cx - h * 0.09, shoulders + 2), (cx - h * 0.15, hips)], shirt, arm)


def draw_rider(s: StreetScene, cx: float, yb: float, h: float, shirt: str = "orange") -> None:
    """A person seated on a two-wheeler whose wheels stand on yb (h: the person's height standing)."""
    head = h * 0.12
    seat = yb - h * 0.42
    s.ellipse((cx - head / 2, seat - h * 0.5, cx + head / 2, seat - h * 0.5 + head), "skin")
    s.poly([(cx - h * 0.08, seat - h * 0.38), (cx + h * 0.08, seat - h * 0.38), (cx + h * 0.04, seat),
            (cx - h * 0.1, seat)], shirt)
    s.line([(cx + h * 0.05, seat - h * 0.33), (cx + h * 0.26, seat - h * 0.16)], shirt, max(2, round(h * 0.05)))
    leg = max(2, round(h * 0.07))
    s.line([(cx - h * 0.04, seat), (cx + h * 0.1, seat + h * 0.2), (cx + h * 0.06, yb - h * 0.1)], "dark", leg)


def draw_bicycle(s: StreetScene, cx: float, yb: float, size: float, paint: str = "green") -> None:
    r = size * 0.22
    back, front = cx - size * 0.3, cx + size * 0.3
    wheel = max(2, round(size * 0.035))
    for wx in (back, front):
        s.ellipse((wx - r, yb - 2 * r, wx + r, yb), None, outline="black", width=wheel)
    hub = yb - r
    crank = (cx - size * 0.02, hub)
    seat = (cx - size * 0.12, hub - size * 0.36)
    bars = (front - size * 0.06, hub - size * 0.4)
    frame = max(2, round(size * 0.03))
    s.line([(back, hub), crank, seat, (back, hub)], paint, frame)
    s.line([seat, (bars[0] - size * 0.04, bars[1] + size * 0.05), crank], paint, frame)
    s.line([(bars[0] - size * 0.04, bars[1] + size * 0.05), (front, hub)], paint, frame)
    s.line([(seat[0] - size * 0.07, seat[1]), (seat[0] + size * 0.06, seat[1])], "black", frame + 1)
    s.line([(bars[0] - size * 0.02, bars[1]), (bars[0] + size * 0.08, bars[1])], "black", frame)


def draw_motorbike(s: StreetScene, cx: float, yb: float, size: float, paint: str = "red") -> None:
    r = size * 0.2
    for wx in (cx - size * 0.32, cx + size * 0.32):
        s.ellipse((wx - r, yb - 2 * r, wx + r, yb), "tyre")
        s.ellipse((wx - r * 0.4, yb - r * 1.4, wx + r * 0.4, yb - r * 0.6), "silver")
    s.poly([(cx - size * 0.3, yb - r * 1.6), (cx - size * 0.05, yb - r * 2.3), (cx + size * 0.25, yb - r * 2.2),
            (cx + size * 0.3, yb - r * 1.3), (cx - size * 0.1, yb - r * 1.1)], paint)
    s.line([(cx + size * 0.25, yb - r * 2.2), (cx + size * 0.3, yb - r * 2.8)], "black", 3)


def draw_stroller(s: StreetScene, x: float, yb: float, size: float) -> None:
    s.poly([(x, yb - size * 0.35), (x + size * 0.7, yb - size * 0.35), (x + size * 0.6, yb - size * 0.85),
            (x + size * 0.1, yb - size * 0.8)], "purple")
    s.line([(x + size * 0.7, yb - size * 0.4), (x + size, yb - size * 0.95)], "black", 3)
    for wx in (x + size * 0.12, x + size * 0.58):
        s.ellipse((wx - size * 0.1, yb - size * 0.2, wx + size * 0.1, yb), "tyre")


SIGN_FACES = ("stop", "speed", "warning", "no_entry", "crossing", "cycle", "info", "street_name", "back")


def draw_sign(s: StreetScene, cx: float, top: float, size: float, face: str) -> None:
    """A sign plate whose top edge is at `top` (the pole is drawn separately)."""
    x0, x1, y0, y1 = cx - size / 2, cx + size / 2, top, top + size
    if face == "stop":
        k = size * 0.29
        s.poly([(x0 + k, y0), (x1 - k, y0), (x1, y0 + k), (x1, y1 - k), (x1 - k, y1), (x0 + k, y1), (x0, y1 - k),
                (x0, y0 + k)], "red", outline="white")
        for k in range(4):  # the letters of STOP
            s.rect((x0 + size * (0.16 + k * 0.18), y0 + size * 0.4, x0 + size * (0.28 + k * 0.18), y0 + size * 0.6),
                   "white")
    elif face == "speed":
        s.ellipse((x0, y0, x1, y1), "white", outline="red", width=max(2, round(size * 0.12)))
        s.rect((cx - size * 0.22, y0 + size * 0.32, cx - size * 0.04, y0 + size * 0.68), "black")
        s.rect((cx + size * 0.04, y0 + size * 0.32, cx + size * 0.22, y0 + size * 0.68), "black")
        s.rect((cx + size * 0.09, y0 + size * 0.4, cx + size * 0.17, y0 + size * 0.6), "white")
    elif face == "warning":
        s.poly([(cx, y0), (x1, y1), (x0, y1)], "red")
        k = size * 0.18
        s.poly([(cx, y0 + k * 1.4), (x1 - k, y1 - k * 0.6), (x0 + k, y1 - k * 0.6)], "white")
        s.rect((cx - 1, y0 + size * 0.45, cx + 1, y0 + size * 0.7), "black")
    elif face == "no_entry":
        s.ellipse((x0, y0, x1, y1), "red")
        s.rect((x0 + size * 0.18, y0 + size * 0.42, x1 - size * 0.18, y0 + size * 0.58), "white")
    elif face in ("crossing", "info"):
        s.rect((x0, y0, x1, y1), "blue", outline="white", width=2)
        if face == "crossing":
            s.poly([(cx, y0 + size * 0.15), (x1 - size * 0.15, y1 - size * 0.15), (x0 + size * 0.15,
                    y1 - size * 0.15)], "white")
        else:
            s.rect((cx - size * 0.1, y0 + size * 0.2, cx + size * 0.1, y1 - size * 0.2), "white")
    elif face == "cycle":
        s.ellipse((x0, y0, x1, y1), "blue")
        for wx in (cx - size * 0.2, cx + size * 0.2):
            s.ellipse((wx - size * 0.13, y0 + size * 0.45, wx + size * 0.13, y0 + size * 0.71), None,
                      outline="white", width=2)
        s.line([(cx - size * 0.2, y0 + size * 0.58), (cx, y0 + size * 0.4), (cx + size * 0.2, y0 + size * 0.58)],
               "white", 2)
    elif face == "street_name":
        s.rect((x0, y0, x1, y0 + size * 0.3), "green", outline="white", width=1)
        s.rect((x0 + size * 0.1, y0 + size * 0.11, x1 - size * 0.1, y0 + size * 0.19), "white")
    elif face == "back":
        s.ellipse((x0, y0, x1, y1), "silver", outline="grey", width=2)
        s.rect((cx - 2, y0 + size * 0.2, cx + 2, y1 - size * 0.2), "grey")


def signpost(s: StreetScene, cx: float, yb: float, top: float, size: float, face: str) -> None:
    with s.begin():
        pole(s, cx, yb, top + size / 2)
    with s.begin("traffic_sign"):
        draw_sign(s, cx, top, size, face)


def traffic_light(s: StreetScene, cx: float, yb: float, top: float) -> None:
    with s.begin():
        pole(s, cx, yb, top + 10)
        s.rect((cx - 9, top, cx + 9, top + 44), "black")
        for k, colour in enumerate(("red", "dark", "dark")):
            s.ellipse((cx - 6, top + 3 + k * 14, cx + 6, top + 15 + k * 14), colour)


def draw_flatbed(s: StreetScene, x: float, yb: float, w: float) -> None:
    r = w * 0.065
    bed = yb - r * 1.6
    s.rect((x, bed - w * 0.06, x + w * 0.72, bed), "dark")
    s.rect((x + w * 0.74, bed - w * 0.34, x + w, bed + r * 0.6), "orange")
    s.rect((x + w * 0.78, bed - w * 0.3, x + w * 0.97, bed - w * 0.2), "glass")
    s.rect((x + w * 0.72, bed - w * 0.03, x + w * 0.74, bed), "dark")
    for cx in (x + w * 0.14, x + w * 0.3, x + w * 0.86):
        s.ellipse((cx - r, yb - 2 * r, cx + r, yb), "tyre")


def _scene(night=False, seed=0, horizon=150, walk=40, buildings=3):
    s = StreetScene(night)
    street_backdrop(s, horizon, walk, buildings, seed)
    return s


def scene_s01():  # two cars, a pedestrian, a stop sign
    s = _scene(seed=1)
    signpost(s, 70, 186, 96, 30, "stop")
    with s.begin("person"):
        draw_person(s, 520, 184, 70, shirt="green")
    with s.begin("car"):
        draw_car(s, 120, 262, 150, "red")
    with s.begin("car"):
        draw_car(s, 330, 334, 220, "blue", facing=-1)
    return s


def scene_s02():  # parked cars in a row, a cyclist
    s = _scene(seed=2)
    for x, paint in ((30, "silver"), (150, "purple"), (270, "red")):
        with s.begin("car"):
            draw_car(s, x, 238, 160, paint)
    with s.begin("bicycle"):
        draw_bicycle(s, 500, 320, 90)
    with s.begin("person"):
        draw_rider(s, 494, 320, 96)
    return s


def scene_s03():  # a box truck in front of a small car, a warning sign
    s = _scene(seed=3)
    signpost(s, 600, 186, 100, 32, "warning")
    with s.begin("car"):
        draw_car(s, 60, 282, 170, "green")
    with s.begin("truck"):
        draw_truck(s, 170, 318, 330)
    return s


def scene_s04():  # a bus at a stop, two people waiting, a poster of a person at the shelter
    s = _scene(seed=4)
    with s.begin():  # shelter with an advertising poster
        s.rect((20, 70, 200, 76), "dark")
        s.line([(24, 76), (24, 186)], "pole", 4)
        s.line([(196, 76), (196, 186)], "pole", 4)
        s.rect((150, 90, 192, 170), "white", outline="dark", width=2)
    with s.begin():  # the person on the poster: printed, not a person
        draw_person(s, 171, 166, 70, shirt="red")
    with s.begin("person"):
        draw_person(s, 70, 186, 78, shirt="yellow")
    with s.begin("person"):
        draw_person(s, 112, 188, 74, shirt="blue", skin="skin2")
    with s.begin("truck"):
        draw_bus(s, 230, 300, 380)
    return s


def scene_s05():  # a dense crowd on a crossing, one separate pedestrian, a crossing sign
    s = _scene(seed=5)
    with s.begin():
        for x in range(120, 560, 36):
            s.rect((x, 250, x + 22, 300), "line")
    signpost(s, 600, 186, 94, 30, "crossing")
    shirts = ["red", "blue", "green", "yellow", "purple", "orange", "teal"]
    for k in range(7):
        with s.begin("person", group="crowd-1"):
            draw_person(s, 170 + k * 17 + (k % 2) * 6, 292 + (k % 3) * 6, 92 - (k % 3) * 6, shirt=shirts[k],
                        skin="skin2" if k % 3 == 1 else "skin")
    with s.begin("person"):
        draw_person(s, 470, 300, 96, shirt="white")
    return s


def scene_s06():  # a car cut by the left border, a person by the right border, a speed sign
    s = _scene(seed=6)
    signpost(s, 360, 186, 92, 34, "speed")
    with s.begin("car"):
        draw_car(s, -90, 300, 220, "yellow")
    with s.begin("person"):
        draw_person(s, 628, 330, 130, shirt="red", stride=0.14)
    return s


def scene_s07():  # a long view: a far car and a far person under the minimum size, a near sign
    s = _scene(seed=7, horizon=190, walk=24)
    with s.begin("car"):
        draw_car(s, 300, 232, 14, "red")
    with s.begin("person"):
        draw_person(s, 410, 212, 14, shirt="blue")
    signpost(s, 560, 212, 110, 40, "speed")
    return s


def scene_s08():  # three bicycles in a rack, a parked motor scooter
    s = _scene(seed=8)
    with s.begin():
        s.line([(60, 196), (60, 160), (330, 160), (330, 196)], "silver", 3)
    for cx, paint in ((110, "green"), (185, "red"), (260, "blue")):
        with s.begin("bicycle"):
            draw_bicycle(s, cx, 200, 110, paint)
    with s.begin():
        draw_motorbike(s, 470, 204, 110, "teal")
    return s


def scene_s09():  # a billboard with a car, a poster with a person, a shop sign, a traffic light
    s = _scene(seed=9)
    with s.begin():
        s.rect((60, 30, 300, 130), "white", outline="dark", width=3)
        s.line([(120, 130), (120, 186)], "pole", 5)
        s.line([(240, 130), (240, 186)], "pole", 5)
    with s.begin():
        draw_car(s, 100, 118, 160, "red")
    with s.begin():  # shop sign over a door
        s.rect((380, 80, 520, 108), "orange")
        for x in range(392, 510, 26):
            s.rect((x, 88, x + 16, 100), "white")
    with s.begin():  # poster of a person in the shop window
        s.rect((400, 116, 450, 180), "white", outline="dark")
    with s.begin():
        draw_person(s, 425, 176, 54, shirt="purple")
    traffic_light(s, 590, 188, 80)
    return s


def scene_s10():  # a motorcycle with its rider
    s = _scene(seed=10)
    with s.begin():
        draw_motorbike(s, 300, 316, 160, "red")
    with s.begin("person"):
        draw_rider(s, 290, 316, 150, shirt="dark")
    return s


def scene_s11():  # a white minivan next to a box truck
    s = _scene(seed=11)
    with s.begin("truck"):
        draw_truck(s, 300, 264, 300, paint="white", cab="red")
    with s.begin("car"):
        draw_van(s, 60, 330, 200, "white")
    return s


def scene_s12():  # night: a car with its lights on, a person under a street lamp, a sign
    s = _scene(night=True, seed=12)
    with s.begin():
        s.line([(470, 188), (470, 60)], "pole", 4)
        s.line([(470, 60), (440, 60)], "pole", 4)
        s.ellipse((428, 56, 452, 70), "light")
        s.poly([(440, 70), (400, 188), (520, 188)], (90, 88, 70))
    with s.begin("person"):
        draw_person(s, 462, 188, 74, shirt="grey", trousers="black")
    signpost(s, 120, 188, 100, 30, "no_entry")
    with s.begin("car"):
        draw_car(s, 180, 300, 180, "dark", lights=True)
    return s


def scene_s13():  # a park: a statue of a person on a plinth, a bench, a tree
    s = _scene(seed=13, buildings=2)
    with s.begin():
        tree(s, 520, 190, 170)
    with s.begin():
        s.rect((250, 150, 330, 190), "stone")
    with s.begin():
        draw_person(s, 290, 150, 110, shirt="stone", trousers="stone", skin="stone", arms_up=True)
    with s.begin():
        s.rect((80, 168, 190, 176), "brown")
        s.line([(90, 176), (90, 190)], "brown", 3)
        s.line([(180, 176), (180, 190)], "brown", 3)
    return s


def scene_s14():  # a person behind a parked car: head and shoulders above the roof
    s = _scene(seed=14)
    with s.begin("person"):
        draw_person(s, 300, 280, 150, shirt="teal")
    with s.begin("car"):
        draw_car(s, 170, 300, 260, "silver")
    return s


def scene_s15():  # the back of a sign (near side), a sign facing us across the street, a car
    s = _scene(seed=15)
    signpost(s, 520, 190, 62, 46, "back")
    signpost(s, 90, 184, 104, 24, "speed")
    with s.begin("car"):
        draw_car(s, 200, 320, 200, "blue")
    return s


def scene_s16():  # a car towing a small trailer
    s = _scene(seed=16)
    with s.begin():
        s.rect((60, 250, 190, 292), "grey", outline="dark", width=2)
        s.line([(190, 286), (236, 286)], "dark", 3)
        s.ellipse((108, 282, 136, 310), "tyre")
    with s.begin("car"):
        draw_car(s, 230, 312, 200, "green")
    return s


def scene_s17():  # a pickup truck and a pedestrian
    s = _scene(seed=17)
    with s.begin("person"):
        draw_person(s, 110, 186, 76, shirt="orange")
    with s.begin("car"):
        draw_pickup(s, 220, 318, 270, "teal")
    return s


def scene_s18():  # a person walking a bicycle, a no-entry sign
    s = _scene(seed=18)
    signpost(s, 560, 188, 96, 34, "no_entry")
    with s.begin("bicycle"):
        draw_bicycle(s, 300, 188, 120, "red")
    with s.begin("person"):
        draw_person(s, 224, 190, 104, shirt="blue", skin="skin2")
    return s


def scene_s19():  # one pole, two signs, and a street-name plate on a second pole
    s = _scene(seed=19)
    with s.begin():
        pole(s, 200, 190, 70)
    with s.begin("traffic_sign"):
        draw_sign(s, 200, 64, 36, "speed")
    with s.begin("traffic_sign"):
        draw_sign(s, 200, 104, 30, "info")
    with s.begin():
        pole(s, 430, 190, 96)
    with s.begin("traffic_sign"):
        draw_sign(s, 430, 84, 60, "street_name")
    return s


def scene_s20():  # a lorry cut by the right border, a car behind it
    s = _scene(seed=20)
    with s.begin("car"):
        draw_car(s, 80, 262, 140, "purple")
    with s.begin("truck"):
        draw_truck(s, 380, 340, 420, paint="silver", cab="green", facing=-1)
    return s


def scene_s21():  # a panel van and a pedestrian
    s = _scene(seed=21)
    with s.begin("person"):
        draw_person(s, 560, 186, 72, shirt="red")
    with s.begin("car"):
        draw_van(s, 120, 320, 240, "white", panel=True)
    return s


def scene_s22():  # a flatbed tow truck carrying a car
    s = _scene(seed=22)
    with s.begin("truck"):
        draw_flatbed(s, 90, 330, 420)
    with s.begin("car"):
        draw_car(s, 110, 330 - 420 * 0.065 * 1.6 - 420 * 0.06, 220, "blue")
    return s


def scene_s23():  # a bus behind a tree: one box across both visible parts
    s = _scene(seed=23)
    with s.begin("truck"):
        draw_bus(s, 90, 300, 440, "red")
    with s.begin():
        s.rect((300, 40, 330, 340), "trunk")
        s.ellipse((230, 10, 400, 150), "leaf")
    return s


def scene_s24():  # an empty road: only a traffic light
    s = _scene(seed=24)
    with s.begin():
        tree(s, 120, 190, 150)
    traffic_light(s, 470, 190, 74)
    return s


def scene_s25():  # a shop window with three mannequins
    s = _scene(seed=25, buildings=1)
    with s.begin():
        s.rect((120, 40, 520, 186), "glass", outline="dark", width=4)
    for cx, shirt in ((200, "red"), (320, "yellow"), (440, "purple")):
        with s.begin():
            draw_person(s, cx, 180, 120, shirt=shirt, trousers="white", skin="white", stride=0.04)
    return s


def scene_s26():  # a bicycle parked against a lamp post, a pedestrian
    s = _scene(seed=26)
    with s.begin():
        s.line([(250, 188), (250, 40)], "pole", 5)
        s.ellipse((236, 30, 264, 46), "light")
    with s.begin("bicycle"):
        draw_bicycle(s, 270, 190, 116, "yellow")
    with s.begin("person"):
        draw_person(s, 470, 186, 80, shirt="purple", skin="skin2")
    return s


def scene_s27():  # a person pushing a pram
    s = _scene(seed=27)
    with s.begin():
        draw_stroller(s, 300, 190, 90)
    with s.begin("person"):
        draw_person(s, 420, 190, 110, shirt="green", arms_up=False)
    with s.begin():
        s.line([(400, 140), (392, 100 + 40)], "green", 5)
    return s


def scene_s29():  # a cycle-path sign and a bicycle symbol painted on the road
    s = _scene(seed=29)
    signpost(s, 110, 188, 96, 36, "cycle")
    with s.begin():
        for wx in (300, 380):
            s.ellipse((wx - 34, 270, wx + 34, 300), None, outline="line", width=4)
        s.line([(300, 285), (340, 272), (380, 285)], "line", 4)
    return s


def scene_s30():  # a car with a bicycle on its roof rack
    s = _scene(seed=30)
    with s.begin("car"):
        draw_car(s, 170, 330, 280, "white")
    with s.begin():
        s.line([(230, 330 - 280 * 0.09 * 0.7 - 280 * 0.37), (420, 330 - 280 * 0.09 * 0.7 - 280 * 0.37)], "black", 3)
    with s.begin("bicycle"):
        draw_bicycle(s, 320, 330 - 280 * 0.09 * 0.7 - 280 * 0.37 - 2, 120, "orange")
    return s


def scene_s31():  # a bicycle leaning on a wall, its front half hidden behind a parked car
    s = _scene(seed=31)
    with s.begin("bicycle"):
        draw_bicycle(s, 330, 196, 130, "blue")
    with s.begin("car"):
        draw_car(s, 300, 250, 250, "red")
    return s


def scene_s33():  # road works: a striped barrier and cones, no sign
    s = _scene(seed=33)
    with s.begin():
        s.rect((200, 230, 440, 252), "white", outline="red", width=2)
        for x in range(210, 430, 40):
            s.poly([(x, 250), (x + 18, 232), (x + 30, 232), (x + 12, 250)], "red")
        s.line([(214, 252), (214, 300)], "dark", 4)
        s.line([(426, 252), (426, 300)], "dark", 4)
    for x in (120, 500, 560):
        with s.begin():
            s.poly([(x, 300), (x + 10, 262), (x + 16, 262), (x + 26, 300)], "orange")
            s.rect((x + 6, 276, x + 20, 282), "white")
    return s


STREET_SCENES = {  # file name under specs/street-objects/images/ -> drawing
    "s01-two-cars.png": scene_s01,
    "s02-parked-row.png": scene_s02,
    "s03-delivery-truck.png": scene_s03,
    "s04-bus-stop.png": scene_s04,
    "s05-crossing-crowd.png": scene_s05,
    "s06-border-cut.png": scene_s06,
    "s07-distant.png": scene_s07,
    "s08-bike-rack.png": scene_s08,
    "s09-billboard.png": scene_s09,
    "s10-motorcycle.png": scene_s10,
    "s11-van-and-truck.png": scene_s11,
    "s12-night.png": scene_s12,
    "s13-statue.png": scene_s13,
    "s14-behind-car.png": scene_s14,
    "s15-sign-back.png": scene_s15,
    "s16-trailer.png": scene_s16,
    "s17-pickup.png": scene_s17,
    "s18-walking-bike.png": scene_s18,
    "s19-sign-stack.png": scene_s19,
    "s20-lorry-cut.png": scene_s20,
    "s21-panel-van.png": scene_s21,
    "s22-tow-truck.png": scene_s22,
    "s23-bus-behind-tree.png": scene_s23,
    "s24-traffic-light.png": scene_s24,
    "s25-mannequins.png": scene_s25,
    "s26-parked-bike.png": scene_s26,
    "s27-pram.png": scene_s27,
    "s29-cycle-sign.png": scene_s29,
    "s30-roof-rack.png": scene_s30,
    "s31-bike-behind-car.png": scene_s31,
    "s33-road-works.png": scene_s33,
}

def street_objects_images() -> None:
    """Draw the guideline's example images (CC0, drawn for this project)."""
    folder = ROOT / "specs/street-objects/images"
    folder.mkdir(parents=True, exist_ok=True)
    for name, scene in STREET_SCENES.items():
        (folder / name).write_bytes(scene().png())



# --- assistant-preference: pairwise judgments, one row per (pair, rater, order) -------------
# The label is the answer as shown on the rater's screen (A = the response shown first);
# shown_first names the stored response (A or B of the pair) that was shown first.
PREF_PLAN = [  # (category, language, source, pairs)
    ("coding", "en", "opt-in-chats", 200), ("coding", "en", "writer-prompts", 110),
    ("coding", "de", "opt-in-chats", 70), ("coding", "es", "opt-in-chats", 70),
    ("factual_qa", "en", "opt-in-chats", 180), ("factual_qa", "en", "writer-prompts", 110),
    ("factual_qa", "de", "writer-prompts", 80), ("factual_qa", "es", "writer-prompts", 80),
    ("advice", "en", "opt-in-chats", 170), ("advice", "en", "writer-prompts", 90),
    ("advice", "de", "opt-in-chats", 70), ("advice", "es", "opt-in-chats", 70),
    ("creative", "en", "writer-prompts", 120), ("creative", "en", "opt-in-chats", 60),
    ("creative", "de", "writer-prompts", 60), ("creative", "es", "writer-prompts", 60),
    ("sensitive", "en", "red-team-prompts", 200), ("sensitive", "en", "opt-in-chats", 60),
    ("sensitive", "de", "red-team-prompts", 70), ("sensitive", "es", "red-team-prompts", 70),
]
# Per category: shares of (both unacceptable, one unacceptable, strong, slight, equivalent) pairs.
PREF_KINDS = {
    "coding": (0.06, 0.10, 0.16, 0.38, 0.30), "factual_qa": (0.05, 0.10, 0.12, 0.38, 0.35),
    "advice": (0.06, 0.08, 0.12, 0.40, 0.34), "creative": (0.03, 0.04, 0.08, 0.37, 0.48),
    "sensitive": (0.20, 0.20, 0.10, 0.26, 0.24),
}
PREF_ANSWERS = ["A>>B", "A>B", "tie", "B>A", "B>>A"]


def pref_answer(rng, quality: float, both_bad: bool, rater: dict, first_is_a: bool) -> str:
    """One judgment: quality is stored A's advantage over stored B; the answer is positional."""
    if both_bad:
        if rng.random() < rater["both_bad_recall"]:
            return "both-bad"
        quality = rng.normal(0, 0.8)  # the rater picks the less bad one
    seen = quality if first_is_a else -quality  # advantage of the response shown first
    seen += rng.normal(0, rater["noise"]) + rater["position_bias"]
    if abs(seen) < rater["tie_width"]:
        return "tie"
    strong = abs(seen) >= rater["strong_from"]
    if seen > 0:
        return "A>>B" if strong else "A>B"
    return "B>>A" if strong else "B>A"


def assistant_preference() -> None:
    rng = np.random.default_rng(20261001)
    folder = ROOT / "specs/assistant-preference/data"
    folder.mkdir(parents=True, exist_ok=True)
    pairs = []
    for category, language, source, count in PREF_PLAN:
        shares = PREF_KINDS[category]
        for _ in range(count):
            kind = int(rng.choice(5, p=shares))
            sign = 1.0 if rng.random() < 0.5 else -1.0
            quality = {0: 0.0, 1: sign * rng.uniform(2.2, 3.2), 2: sign * rng.uniform(1.3, 2.4),
                       3: sign * rng.uniform(0.45, 1.2), 4: rng.normal(0, 0.15)}[kind]
            pairs.append((category, language, source, kind == 0, float(quality)))
    order = rng.permutation(len(pairs))
    pairs = [pairs[i] for i in order]
    n = len(pairs)
    # Prompt clusters: most pairs have their own prompt, some prompts were paired twice.
    cluster = np.arange(n)
    for i in rng.choice(n, 120, replace=False):
        j = int(rng.integers(n))
        if pairs[j][:3] == pairs[i][:3]:
            cluster[i] = cluster[j]
    cluster_ids = np.array([f"pc-{c:05d}" for c in cluster], dtype=object)
    split_of = {c: ["train", "dev", "test"][rng.choice(3, p=[0.8, 0.1, 0.1])] for c in sorted(set(cluster_ids))}
    # Raters by language pod: noise, tie habit, strength habit, position bias, both-bad recall.
    pods = {"en": 8, "de": 3, "es": 3}
    raters: dict[str, list[dict]] = {}
    k = 0
    for language, size in pods.items():
        raters[language] = []
        for _ in range(size):
            k += 1
            raters[language].append({
                "id": f"lt-{k:02d}", "noise": float(rng.uniform(0.2, 0.36)),
                "tie_width": float(rng.uniform(0.28, 0.45)), "strong_from": float(rng.uniform(1.2, 1.55)),
                "position_bias": float(rng.normal(0.03, 0.04)), "both_bad_recall": float(rng.uniform(0.78, 0.95))})
    raters["en"][5].update(position_bias=0.32, noise=0.45)  # lt-06: leans to the first response
    raters["en"][2].update(tie_width=0.75)  # lt-03: ties too often
    raters["de"][1].update(strong_from=0.9)  # lt-10: inflates strength
    day = np.datetime64("2026-10-05")
    rows = []
    for p, (category, language, source, both_bad, quality) in enumerate(pairs):
        pool = raters[language]
        first = int(rng.integers(len(pool)))
        who = [first]
        if rng.random() < 0.25:  # the overlap
            who.append(int((first + 1 + rng.integers(len(pool) - 1)) % len(pool)))
        again = rng.random() < 0.08  # re-judged by the first rater in swapped order
        base = {"item": f"ap-{p:05d}", "category": category, "language": language, "source": source,
                "split": split_of[cluster_ids[p]], "entity": cluster_ids[p], "guideline_version": "1.0.0"}
        for r in who:
            first_is_a = bool(rng.random() < 0.5)
            stamp = day + np.timedelta64(int(rng.integers(0, 28 * 24)), "h")
            rows.append({**base, "rater": pool[r]["id"], "shown_first": "A" if first_is_a else "B",
                         "label": pref_answer(rng, quality, both_bad, pool[r], first_is_a), "timestamp": stamp})
            if again and r == first:
                later = stamp + np.timedelta64(int(rng.integers(72, 14 * 24)), "h")
                rows.append({**base, "rater": pool[r]["id"], "shown_first": "B" if first_is_a else "A",
                             "label": pref_answer(rng, quality, both_bad, pool[r], not first_is_a),
                             "timestamp": later})
    columns = ["item", "rater", "label", "shown_first", "category", "language", "source", "split", "entity",
               "timestamp", "guideline_version"]
    export = pd.DataFrame(rows)[columns]
    export["timestamp"] = export["timestamp"].map(lambda t: str(t)[:13] + ":00")
    export = export.sort_values(["item", "timestamp", "rater"], kind="stable")
    export.to_csv(folder / "annotations.csv", index=False, lineterminator="\n")
    # Blind audit of 300 pairs; one row per pair and defect.
    audited = np.sort(rng.choice(n, 300, replace=False))
    audit = pd.DataFrame({"item": [f"ap-{p:05d}" for p in audited], "error_category": None, "severity": None})
    defects = rng.choice(300, 1 + 14 + 22, replace=False)
    audit.loc[defects[:1], ["error_category", "severity"]] = ["harm-preferred", "critical"]
    major = np.array(["direction-wrong", "over-refusal-preferred", "length-bias", "unchecked-error"], dtype=object)
    audit.loc[defects[1:15], "error_category"] = major[rng.integers(0, 4, 14)]
    audit.loc[defects[1:15], "severity"] = "major"
    minor = np.array(["strength-wrong", "strength-wrong", "rubric-fitted", "tool-process"], dtype=object)
    audit.loc[defects[15:], "error_category"] = minor[rng.integers(0, 4, 22)]
    audit.loc[defects[15:], "severity"] = "minor"
    audit.to_csv(folder / "audit.csv", index=False, lineterminator="\n")


# --- street-objects: boxes, one row per (frame, rater, box) ---------------------------------
# Frames are 640 x 360; each has its true objects, and each rater's boxes are those objects
# as that rater drew them: small, dark and occluded objects are missed more often, edges
# shift by a pixel or two (more on big and night objects), vans and pickups swing between
# car and truck, a rider is sometimes boxed with the bicycle, crowds are split or merged,
# sign boxes sometimes take in the pole, and now and then a depiction or a traffic light is boxed.
STREET_PLAN = [  # (city, source, drives, frames per drive)
    ("aldmere", "fleet-dashcam", 26, 5), ("brennholt", "fleet-dashcam", 22, 5), ("castelverde", "fleet-dashcam", 20, 5),
    ("dunmoor", "fleet-dashcam", 16, 5), ("aldmere", "survey-drives", 6, 5), ("dunmoor", "survey-drives", 6, 5),
]
STREET_RATE = {  # class: objects per frame by area (city_centre, residential, arterial)
    "car": (2.4, 3.2, 3.0), "truck": (0.3, 0.1, 0.6), "person": (2.0, 0.9, 0.35),
    "bicycle": (0.3, 0.32, 0.06), "traffic_sign": (1.2, 0.7, 1.4),
}
STREET_SIZE = {  # class: (shorter side range in px, aspect w/h range)
    "car": ((9, 120), (1.5, 2.6)), "truck": ((16, 180), (1.0, 2.8)), "person": ((8, 60), (0.3, 0.5)),
    "bicycle": ((10, 70), (1.4, 1.8)), "traffic_sign": ((8, 44), (0.9, 1.1)),
}
STREET_MISS = {"car": 0.015, "truck": 0.01, "person": 0.04, "bicycle": 0.06, "traffic_sign": 0.05}


def street_truth(rng, area: int, night: bool) -> list[dict]:
    objects = []
    for label, rates in STREET_RATE.items():
        count = int(rng.poisson(rates[area] * (0.75 if night and label in ("person", "bicycle") else 1.0)))
        for _ in range(count):
            (low, high), (flat, wide) = STREET_SIZE[label]
            short = float(np.exp(rng.uniform(np.log(low), np.log(high))))
            aspect = float(rng.uniform(flat, wide))
            w, h = (short * aspect, short) if aspect >= 1 else (short, short / aspect)
            w, h = min(w, 600.0), min(h, 340.0)
            # Bigger objects are nearer: lower in the frame; signs stand above the road.
            bottom = 150 + (360 - 150) * min(1.0, h / 200) * rng.uniform(0.6, 1.0) + rng.uniform(0, 30)
            if label == "traffic_sign":
                bottom = rng.uniform(40, 190)
            x = rng.uniform(-0.3 * w, 640 - 0.7 * w)
            x0, y0 = max(0.0, x), max(0.0, bottom - h)
            x1, y1 = min(640.0, x + w), min(360.0, bottom)
            if min(x1 - x0, y1 - y0) < STREET_MIN:
                continue
            objects.append({"label": label, "x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0,
                            "van": label in ("car", "truck") and rng.random() < (0.12 if label == "car" else 0.3),
                            "rider": label == "bicycle" and rng.random() < 0.5,
                            "occluded": rng.random() < 0.25})
    crowd = area == 0 and not night and rng.random() < 0.06
    if crowd:  # one crowd box at a crossing
        w, h = rng.uniform(90, 200), rng.uniform(60, 110)
        x, y = rng.uniform(0, 640 - w), rng.uniform(170, 360 - h)
        objects.append({"label": "person", "x": x, "y": y, "w": w, "h": h, "van": False, "rider": False,
                        "occluded": False, "crowd": True})
    return objects


def street_rating(rng, truth: list[dict], night: bool, skill: float) -> list[tuple[str, int, int, int, int]]:
    out = []
    for obj in truth:
        label, x, y, w, h = obj["label"], obj["x"], obj["y"], obj["w"], obj["h"]
        small = min(w, h) < 16
        miss = STREET_MISS[label] * (3.0 if small else 1.0) * (1.7 if night else 1.0) * (1.5 if obj["occluded"] else 1)
        if obj.get("crowd"):
            if rng.random() < 0.25 * skill:  # boxed person by person instead
                for _ in range(int(rng.integers(3, 7))):
                    pw = rng.uniform(12, 24)
                    ph = pw * rng.uniform(2.2, 3.0)
                    px, py = rng.uniform(x, x + w - pw), rng.uniform(y, max(y, y + h - ph))
                    out.append(("person", px, py, pw, min(ph, 360 - py)))
                continue
        elif rng.random() < miss * skill:
            continue
        if obj["van"] and rng.random() < 0.22 * skill:
            label = "truck" if label == "car" else "car"
        if obj["rider"] and rng.random() < 0.05 * skill:
            y, h = y - h * 0.9, h * 1.9  # one 'cyclist' box: rider and bicycle together
            label = "person"
        if label == "traffic_sign" and rng.random() < 0.03 * skill:
            h = h * 2.6  # the pole taken in
        sigma = (0.5 + 0.012 * max(w, h)) * (1.3 if night else 1.0) * skill
        if obj["occluded"] and rng.random() < 0.08 * skill:
            w = w * rng.uniform(1.15, 1.4)  # the hidden part guessed
        left, top = x + rng.normal(0, sigma), y + rng.normal(0, sigma)
        right, bottom = x + w + rng.normal(0, sigma), y + h + rng.normal(0, sigma)
        out.append((label, left, top, right - left, bottom - top))
    if rng.random() < 0.02 * skill:  # a depiction or a traffic light boxed
        fake = ("person", rng.uniform(0, 600), rng.uniform(60, 160), rng.uniform(10, 30), rng.uniform(30, 70)) \
            if rng.random() < 0.5 else ("traffic_sign", rng.uniform(0, 620), rng.uniform(40, 140), 14.0, 36.0)
        out.append(fake)
    boxes = []
    for label, bx, by, bw, bh in out:
        x0, y0 = round(max(0.0, bx)), round(max(0.0, by))
        x1, y1 = round(min(640.0, bx + bw)), round(min(360.0, by + bh))
        if x1 - x0 >= STREET_MIN and y1 - y0 >= STREET_MIN:
            boxes.append((label, x0, y0, x1 - x0, y1 - y0))
    return sorted(set(boxes), key=lambda b: (b[1], b[2], b[0], b[3], b[4]))


def street_objects() -> None:
    rng = np.random.default_rng(20260901)
    folder = ROOT / "specs/street-objects/data"
    folder.mkdir(parents=True, exist_ok=True)
    areas = ["city_centre", "residential", "arterial"]
    # Time of day per drive, in the strata's proportions (250 day, 80 dusk, 150 night frames).
    times = rng.permutation(np.array(["day"] * 50 + ["dusk"] * 16 + ["night"] * 30, dtype=object))
    frames, drives = [], 0
    for city, source, count, per_drive in STREET_PLAN:
        for _ in range(count):
            time_of_day = str(times[drives])
            drives += 1
            drive = f"dr-{drives:03d}"
            month = int(rng.integers(3, 9))
            for _ in range(per_drive):
                area = int(rng.choice(3, p=[0.38, 0.35, 0.27]))
                frames.append((city, source, drive, month, time_of_day, area))
    order = rng.permutation(len(frames))
    frames = [frames[i] for i in order]
    # Split by drive: the last month's drives are the test split.
    split_of: dict[str, str] = {}
    for city, source, drive, month, _, _ in sorted(frames, key=lambda f: f[2]):
        if drive not in split_of:
            split_of[drive] = "test" if month == 8 else ("dev" if rng.random() < 0.11 else "train")
    raters = [f"gl-{r:02d}" for r in range(1, 11)]
    skill = np.array([0.7, 0.8, 0.9, 0.9, 1.0, 1.0, 1.1, 1.2, 1.4, 1.8])  # gl-10 joined mid-pilot
    rows = []
    for f, (city, source, drive, month, time_of_day, area) in enumerate(frames):
        night = time_of_day == "night"
        truth = street_truth(rng, area, night)
        first = int(rng.integers(len(raters)))
        who = [first]
        if rng.random() < 0.3:  # the overlap
            who.append(int((first + 1 + rng.integers(len(raters) - 1)) % len(raters)))
            if rng.random() < 0.15:
                who.append(next(int(r) for r in rng.permutation(len(raters)) if r not in who))
        for r in who:
            stamp = f"2026-09-{1 + int(rng.integers(0, 28)):02d}T{int(rng.integers(7, 19)):02d}:00"
            base: dict[str, object] = {
                "item": f"fr-{f:04d}", "rater": raters[r], "time_of_day": time_of_day, "area": areas[area],
                "city": city, "source": source, "split": split_of[drive], "entity": drive,
                "timestamp": stamp, "guideline_version": "1.0.0"}
            boxes = street_rating(rng, truth, night, skill[r])
            if not boxes:  # the rater saw the frame and drew nothing ('No objects')
                rows.append({**base, "label": None, "x": None, "y": None, "w": None, "h": None})
            for label, x, y, w, h in boxes:
                rows.append({**base, "label": label, "x": x, "y": y, "w": w, "h": h})
    columns = ["item", "rater", "label", "x", "y", "w", "h", "time_of_day", "area", "city", "source", "split",
               "entity", "timestamp", "guideline_version"]
    export = pd.DataFrame(rows)[columns]
    for column in ("x", "y", "w", "h"):
        export[column] = export[column].astype("Int64")
    export.to_csv(folder / "annotations.csv", index=False, lineterminator="\n")
    # Blind audit: 120 frames (40 per batch), one row per frame and defect.
    audited = np.sort(rng.choice(len(frames), 120, replace=False))
    audit = pd.DataFrame({"item": [f"fr-{f:04d}" for f in audited], "error_category": None, "severity": None})
    defects = rng.choice(120, 1 + 13 + 6, replace=False)
    audit.loc[defects[:1], ["error_category", "severity"]] = ["missed-vru", "critical"]
    major = np.array(["missed-object", "missed-object", "wrong-class", "loose-box", "loose-box", "depiction-boxed"],
                     dtype=object)
    audit.loc[defects[1:14], "error_category"] = major[rng.integers(0, 6, 13)]
    audit.loc[defects[1:14], "severity"] = "major"
    audit.loc[defects[14:], "error_category"] = np.array(["crowd-misuse", "tool-process"], dtype=object)[
        rng.integers(0, 2, 6)]
    audit.loc[defects[14:], "severity"] = "minor"
    audit.to_csv(folder / "audit.csv", index=False, lineterminator="\n")


def main() -> int:
    content_safety()
    support_intent()
    pos_tags()
    news_entities()
    assistant_preference()
    street_objects_images()
    street_objects()
    for path in sorted(ROOT.glob("specs/*/data/*")):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1024:.0f} KB")
    images = sorted((ROOT / "specs/street-objects/images").glob("*.png"))
    print(f"specs/street-objects/images  {len(images)} PNG, {sum(p.stat().st_size for p in images) / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
