"""Duplicates: exact and normalised copies collapse, priority decides across sources."""

from __future__ import annotations

from training.data.dedupe import drop_duplicates, normalise
from training.data.example import Example


def ex(i: str, source: str, text: str, suicidal: int | None = None, emotion: str | None = None,
       role: str = "client") -> Example:
    risk = {} if suicidal is None else {"suicidal": suicidal}
    return Example(id=i, source=source, lang="id", role=role, text=text, group=f"text/{i}",
                   risk=risk, emotion=emotion)


def test_normalise_ignores_case_punctuation_and_placeholders() -> None:
    assert normalise("<USER> Halo, KAK!!") == normalise("halo kak")
    assert normalise("😭😭") == "😭😭"  # emoji-only messages keep a key


def test_exact_and_normalised_duplicates_collapse_to_the_first() -> None:
    rows = [ex("1", "a", "Capek banget", 0), ex("2", "a", "capek banget!!", 0),
            ex("3", "a", "lain", 1)]
    kept, report = drop_duplicates(rows)
    assert [r.id for r in kept] == ["1", "3"]
    assert report.duplicate["a"] == 1


def test_majority_wins_and_ties_drop_every_copy() -> None:
    rows = [ex("1", "a", "okay", 0), ex("2", "a", "okay", 0), ex("3", "a", "okay", 1),
            ex("4", "a", "hmm", 0), ex("5", "a", "hmm", 1)]
    kept, report = drop_duplicates(rows)
    assert [r.id for r in kept] == ["1"]
    assert report.outvoted["a"] == 1 and report.conflict["a"] == 2


def test_first_source_wins_across_sources_and_roles_stay_apart() -> None:
    rows = [ex("1", "first", "sama", 1), ex("2", "second", "sama", emotion="sedih"),
            ex("3", "first", "sama", 1, role="counselor")]
    kept, report = drop_duplicates(rows)
    assert [r.id for r in kept] == ["1", "3"]
    assert report.cross_source["second<first"] == 1
