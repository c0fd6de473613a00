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
- news-entities (spans): 600 English news sentences from three sources in five sections,
  each annotated by two raters (12% by three), one row per span with character offsets
  (`end` exclusive); a rater who marked nothing in a sentence has one row with empty
  start, end and label. Raters miss spans (most often MISC), shift boundaries (titles,
  possessive 's, '-based') and confuse ORG and LOC on metonymic capitals and national teams.
"""

from __future__ import annotations

import re
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
    day = np.datetime64("2026-01-12")
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
                        weights = np.ones(len(names))
                    else:
                        names = list(targets)
                        weights = np.array([targets[n] for n in names], dtype=float)
                    label = names[rng.choice(len(names), p=weights / weights.sum())]
                rows.append({"item": f"s{s:04d}:{t}", "rater": raters[r], "label": label, "token": word,
                             "text": text, "genre": genre, "source": source, "split": split_of[doc_of[s]],
                             "entity": doc_of[s], "gold": tag if source == "ud-ewt" else None,
                             "timestamp": stamp, "guideline_version": "1.0.0"})
    export = pd.DataFrame(rows)
    export["_sentence"] = export["item"].str.slice(1, 5).astype(int)
    export["_token"] = export["item"].str.split(":").str[1].astype(int)
    export = export.sort_values(["_sentence", "_token", "rater"], kind="stable").drop(columns=["_sentence", "_token"])
    write_parquet(export, folder / "annotations.parquet")
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
            base = {"item": f"n{s:04d}", "rater": raters[r], "text": text, "section": section, "source": source,
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


def main() -> int:
    content_safety()
    support_intent()
    pos_tags()
    news_entities()
    for path in sorted(ROOT.glob("specs/*/data/*")):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
