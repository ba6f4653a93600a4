#!/usr/bin/env python3
"""Ranking quality of the embedding scorer's builtin backend on a real arXiv
day, against TF-IDF cosine with arxiv-sanity-lite's features.

Protocol: the recorded listing of 2024-11-28 (1,504 papers).  For each
category C with at least 40 papers that day (C = a paper's first category)
and each of 5 seeds: a "library" of 20 random papers of C; the pool is every
other paper of the day; the relevant ones are the pool's papers of C.  The
similarity methods rank the pool by cosine similarity to the library; the
classifiers (paperwire's default method, and arxiv-sanity-lite's own:
scikit-learn LinearSVC(C=0.01, class_weight='balanced') on its TF-IDF, the
library against every other paper of the day) by their decision.
Reported: mean average precision (MAP) and mean precision at 30.

Feedback: the reader rates the classifier's top 10 (`paperwire like` for a
relevant paper, `dislike` for the others), the day is ranked again, and
both rankings are scored on the papers nobody rated.

The keyword comparison uses the same terms for both methods: the library's
10 most characteristic words (in the most library papers, weighed by how
rare they are that day; stop words and words under 4 letters left out),
weight 1 each.  paperwire's keyword scorer (whole words, title x2, repeated
mentions saturating, and with `saturation` 0) against the arXiv Papers
Bot's formula (the sum of the weights of the terms found as substrings of
title and abstract, lower-cased).

paperwire is the real binary (arxiv source through file://, embedding
scorer, json sink); the baseline is scikit-learn's TfidfVectorizer with the
parameters arxiv-sanity-lite's compute.py uses (English stop words, token
pattern, (1, 2)-grams, sublinear tf, l2, min_df 5, max_df 0.1).
Usage: rank_eval.py LISTING PAPERWIRE PLUGIN_DIR WORKDIR"""
import collections
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from listing import read_listing, write_api_page, write_bibtex  # noqa: E402


def average_precision(ranked, relevant):
    hits, total = 0, 0.0
    for i, pid in enumerate(ranked, 1):
        if pid in relevant:
            hits += 1
            total += hits / i
    return total / max(1, len(relevant))


def precision_at(ranked, relevant, k=30):
    return sum(1 for pid in ranked[:k] if pid in relevant) / k


def library_terms(day, library, n=10):
    import math
    import re
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    words = lambda p: set(re.findall(r"[a-z][a-z0-9-]{3,}", ("%s %s" % (p["title"], p["abstract"])).lower()))
    day_df = collections.Counter(w for p in day for w in words(p))
    lib_df = collections.Counter(w for p in library for w in words(p))
    weight = {w: c * math.log(len(day) / day_df[w]) for w, c in lib_df.items() if w not in ENGLISH_STOP_WORDS}
    return sorted(weight, key=lambda w: (-weight[w], w))[:n]


def rank_bot(pool, terms):
    scored = [(sum(1 for t in terms if t in ("%s %s" % (p["title"], p["abstract"])).lower()), i)
              for i, p in enumerate(pool)]
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [pool[i]["id"] for _, i in scored]


def rank_paperwire(pool, library, binary, plugins, work, aggregate, terms=None, saturation=None,
                   method="similarity", likes=(), dislikes=()):
    os.makedirs(work, exist_ok=True)
    write_api_page(pool, os.path.join(work, "pool.atom"))
    write_bibtex(library, os.path.join(work, "library.bib"))
    for f in ("pw.db", "pw.db-wal", "pw.db-shm", "out.jsonl"):
        try:
            os.remove(os.path.join(work, f))
        except FileNotFoundError:
            pass
    cfg = {
        "store": os.path.join(work, "pw.db"),
        "sources": [{"plugin": "arxiv", "query": "bench", "base_url": "file://" + os.path.join(work, "pool.atom"),
                     "max_results": 2000, "page_size": 2000}],
        "digests": [{"name": "eval", "scorers": [{"plugin": "embedding", "history": 0, "aggregate": aggregate,
                                                  "method": method,
                                                  "profile": [os.path.join(work, "library.bib")]}],
                     "select": {"max_papers": 5000},
                     "sinks": [{"plugin": "json", "path": os.path.join(work, "out.jsonl")}]}],
    }
    if terms is not None:
        keyword = {"plugin": "keyword", "keywords": {t: 1 for t in terms}}
        if saturation is not None:
            keyword["saturation"] = saturation
        cfg["digests"][0]["scorers"] = [keyword]
    with open(os.path.join(work, "pw.json"), "w") as f:
        json.dump(cfg, f)
    env = dict(os.environ, PAPERWIRE_PLUGIN_PATH=plugins)
    for command, ids in (("like", likes), ("dislike", dislikes)):
        if ids:
            subprocess.run([binary, "-q", command, "-c", os.path.join(work, "pw.json")] + list(ids), check=True,
                           env=env, stdout=subprocess.DEVNULL)
    subprocess.run([binary, "-q", "run", "-c", os.path.join(work, "pw.json")], check=True, env=env)
    rows = [json.loads(line) for line in open(os.path.join(work, "out.jsonl"))]
    return [r["id"] for r in rows]  # already best first


def asl_features(day):
    from sklearn.feature_extraction.text import TfidfVectorizer
    v = TfidfVectorizer(input="content", encoding="utf-8", decode_error="replace", strip_accents="unicode",
                        lowercase=True, analyzer="word", stop_words="english",
                        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b", ngram_range=(1, 2),
                        max_features=20000, norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True,
                        max_df=0.1, min_df=5)
    v.fit(["%s. %s" % (p["title"], p["abstract"]) for p in day])
    return v


def rank_baseline(day, pool, library):
    v = asl_features(day)
    xp = v.transform(["%s. %s" % (p["title"], p["abstract"]) for p in pool])
    xl = v.transform(["%s. %s" % (p["title"], p["abstract"]) for p in library])
    sims = (xp @ xl.T).max(axis=1).toarray().ravel()
    order = sorted(range(len(pool)), key=lambda i: -sims[i])
    return [pool[i]["id"] for i in order]


def rank_svm(day, pool, library):
    """arxiv-sanity-lite's method: a linear SVM, the library against every
    other paper, on its TF-IDF features; papers ranked by its decision."""
    from sklearn.svm import LinearSVC
    v = asl_features(day)
    x = v.transform(["%s. %s" % (p["title"], p["abstract"]) for p in library + pool])
    y = [1] * len(library) + [0] * len(pool)
    clf = LinearSVC(class_weight="balanced", verbose=False, max_iter=10000, tol=1e-6, C=0.01)
    clf.fit(x, y)
    s = clf.decision_function(x[len(library):])
    order = sorted(range(len(pool)), key=lambda i: -s[i])
    return [pool[i]["id"] for i in order]


def main():
    listing, binary, plugins, work = sys.argv[1:5]
    day = read_listing(listing)
    by_cat = collections.defaultdict(list)
    for p in day:
        if p["categories"]:
            by_cat[p["categories"][0]].append(p)
    cats = sorted(c for c, ps in by_cat.items() if len(ps) >= 40)
    methods = ["paperwire builtin, similarity (aggregate both)", "paperwire builtin, similarity (max)",
               "paperwire builtin, similarity (mean)", "arxiv-sanity-lite TF-IDF cosine (max)",
               "paperwire keyword, 10 library terms", "paperwire keyword, saturation 0",
               "arXiv Papers Bot substring formula, same terms",
               "paperwire builtin, classifier (default)", "arxiv-sanity-lite SVM (LinearSVC C=0.01)"]
    feedback = {"before": [], "after": []}
    scores = {m: [] for m in methods}
    p30 = {k: [] for k in scores}
    for cat in cats:
        for seed in range(5):
            rnd = random.Random(seed)
            library = rnd.sample(by_cat[cat], 20)
            lib_ids = {p["id"] for p in library}
            pool = [p for p in day if p["id"] not in lib_ids]
            relevant = {p["id"] for p in pool if p["categories"] and p["categories"][0] == cat}
            ranked = {methods[3]: rank_baseline(day, pool, library)}
            for m, agg in zip(methods[:3], ("both", "max", "mean")):
                ranked[m] = rank_paperwire(pool, library, binary, plugins, os.path.join(work, "eval"), agg)
            terms = library_terms(day, library)
            ranked[methods[4]] = rank_paperwire(pool, library, binary, plugins, os.path.join(work, "eval"), "both",
                                                terms)
            ranked[methods[5]] = rank_paperwire(pool, library, binary, plugins, os.path.join(work, "eval"), "both",
                                                terms, 0)
            ranked[methods[6]] = rank_bot(pool, terms)
            ranked[methods[7]] = rank_paperwire(pool, library, binary, plugins, os.path.join(work, "eval"), "both",
                                                method="classifier")
            ranked[methods[8]] = rank_svm(day, pool, library)
            top = ranked[methods[7]][:10]
            again = rank_paperwire(pool, library, binary, plugins, os.path.join(work, "eval"), "both",
                                   method="classifier", likes=[i for i in top if i in relevant],
                                   dislikes=[i for i in top if i not in relevant])
            rest = relevant - set(top)
            feedback["before"].append(average_precision([i for i in ranked[methods[7]] if i not in top], rest))
            feedback["after"].append(average_precision([i for i in again if i not in top], rest))
            for name, r in ranked.items():
                scores[name].append(average_precision(r, relevant))
                p30[name].append(precision_at(r, relevant))
    print("ranking quality on the recorded arXiv day 2024-11-28 (1,504 papers), %d categories x 5 seeds:"
          % len(cats))
    print("  categories: %s" % ", ".join(cats))
    for name in scores:
        print("  %-48s MAP %.3f   P@30 %.3f" % (name, sum(scores[name]) / len(scores[name]),
                                              sum(p30[name]) / len(p30[name])))
    print("  feedback: the classifier's top 10 rated, MAP on the papers nobody rated: %.3f before, %.3f after"
          % (sum(feedback["before"]) / len(feedback["before"]), sum(feedback["after"]) / len(feedback["after"])))


if __name__ == "__main__":
    main()
