"""Markdown view of the diversity report and requirement check (diversity.md)."""

from __future__ import annotations

from typing import Any

from training.data.diversity import STRICTER_COSINES


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.3f}"
    return str(value)


def _cell(text: str, width: int = 80) -> str:
    """A text shortened to fit one Markdown table cell."""
    return text.replace("\n", " ").replace("|", "/")[:width]


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_fmt(c) for c in row) + " |" for row in rows]
    return lines


def _text_row(name: str, s: dict[str, Any], sample_key: str) -> list[Any]:
    length = s["length_words"]
    stricter = s.get("near_duplicate_rate_stricter", {})
    return [name, s["texts"], s["distinct_1"], s["distinct_2"], s["distinct_3"], s.get(sample_key),
            s.get("near_duplicate_rate"), *(stricter.get(str(c)) for c in STRICTER_COSINES),
            s["vocabulary"], s["slang_share"], length["mean"], length["min"], length["max"]]


def _labels_lines(name: str, labels: dict[str, Any]) -> list[str]:
    lines = [f"**{name}**", ""]
    for key, value in labels.items():
        if isinstance(value, dict) and all(not isinstance(v, dict) for v in value.values()):
            inner = ", ".join(f"{k}: {v}" for k, v in value.items())
            lines.append(f"- {key}: {inner}")
        elif isinstance(value, dict):
            lines.append(f"- {key}:")
            for k, v in value.items():
                shown = ", ".join(f"{a}: {b}" for a, b in v.items()) if isinstance(v, dict) else v
                lines.append(f"  - {k}: {shown}")
        else:
            lines.append(f"- {key}: {value}")
    return lines + [""]


def _leakage_lines(leak: dict[str, Any]) -> list[str]:
    if not any(split in leak for split in ("dev", "test")):
        return []
    out = [f"## Paraphrase twins across splits (cosine ≥ {leak['cosine']}, {leak['scope']})", "",
           "A dev/test row whose near-verbatim twin is in train; drop these ids when a score "
           "must not be flattered (ids in diversity.json).", ""]
    out += _table(["split", "rows", "with a train twin", "share"],
                  [[s, leak[s]["rows"], leak[s]["with_train_twin"], leak[s]["share"]]
                   for s in ("dev", "test") if s in leak])
    examples = [(s, t) for s in ("dev", "test") if s in leak for t in leak[s]["twins"]][:10]
    if examples:
        out += ["", *_table(["split", "cosine", "held-out text", "train text"],
                            [[s, t["cosine"], _cell(t["text"]), _cell(t["train_text"])]
                             for s, t in examples])]
    return out + [""]


def render_diversity(
    report: dict[str, Any], requirements: dict[str, Any], compact: bool = False
) -> str:
    """The report as Markdown: text statistics, requirements, label counts, twins and pairs.

    ``compact`` (for the data card) keeps the overall label counts and the twin counts, and
    leaves per-file labels and example pairs to diversity.md.
    """
    sample_key = next((k for k in report["overall"] if k.startswith("distinct_2_at_")), "")
    header = ["scope", "texts", "distinct-1", "distinct-2", "distinct-3",
              sample_key.replace("_", "-"),
              f"near-dup rate (cos ≥ {report['near_duplicate_cosine']})",
              *(f"≥ {c}" for c in STRICTER_COSINES), "vocabulary",
              "slang share", "mean words", "min", "max"]
    baseline = ", ".join(f"{k} {v}" for k, v in report["overall"].get(
        "random_pair_cosine", {}).items()) or "not measured"
    rows = [_text_row("**overall**", report["overall"], sample_key)]
    rows += [_text_row(f"all {k}", v, sample_key) for k, v in report["by_kind"].items()]
    rows += [_text_row(f"`{f}`", v, sample_key) for f, v in report["files"].items()]
    out = [
        "# Authored data: diversity report",
        "",
        f"Encoder for near-duplicates: `{report['encoder']}`. Slang dictionary size: "
        f"{report['slang_dictionary_size']}. Distinct-n falls as a corpus grows; compare files "
        f"with the sampled column ({sample_key}: mean over samples of equal size). "
        f"Cosine of random pairs of authored texts: {baseline}; near-duplicates at "
        f"{report['near_duplicate_cosine']} therefore include same-topic paraphrases, the "
        "stricter columns show near-verbatim copies.",
        "",
        *_table(header, rows),
        "",
        "## Requirements of the issue (stand-alone messages; session turns not counted)",
        "",
        f"All met: **{requirements['all_met']}**",
        "",
        *_table(["requirement", "count", "min", "met"],
                [[k, v["count"], v["min"], "yes" if v["met"] else "**no**"]
                 for k, v in requirements["items"].items()]),
        "",
        "## Label counts",
        "",
    ]
    for kind, stats in report["by_kind"].items():
        out += _labels_lines(f"all {kind}", stats["labels"])
    if compact:
        leak = report.get("cross_split_twins", {})
        for split in ("dev", "test"):
            if split in leak:
                out.append(f"- {split}: {leak[split]['with_train_twin']} of {leak[split]['rows']} "
                           f"authored rows have a train twin at cosine ≥ {leak['cosine']}")
        return "\n".join(out).replace("\n\n\n", "\n\n")
    for f, stats in report["files"].items():
        out += _labels_lines(f"`{f}`", stats["labels"])
    out += _leakage_lines(report.get("cross_split_twins", {}))
    n_identical = report["overall"].get("identical_text_pairs", 0)
    titles = {"identical_pairs": f"Same text written twice (first 20 of {n_identical} pairs)",
              "closest_pairs": "Closest different texts (cosine, first 20)"}
    for key, title in titles.items():
        if report.get(key):
            out += [f"## {title}", ""]
            out += _table(["cosine", "a", "b", "text a", "text b"],
                          [[p["cosine"], p["a"], p["b"], _cell(p["text_a"]), _cell(p["text_b"])]
                           for p in report[key]])
            out.append("")
    return "\n".join(out).replace("\n\n\n", "\n\n")
