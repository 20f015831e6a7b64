from tokenizers import Tokenizer

from copilot.tokenizer import ChatTokenizer


def full_ids(model_dir, text):
    t = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    t.no_padding()
    t.no_truncation()
    return t.encode(text).ids


def test_fast_path_matches_full_normalizer(tiny_hf_dir):
    tok = ChatTokenizer.from_dir(tiny_hf_dir)
    for text in ["aku capek banget", "ａku\tmau  cerita", "kamu\u200b gak", "zzz ### ☕", "", "   "]:
        assert tok.ids(text, prefix="query: ") == full_ids(tiny_hf_dir, "query: " + text), text


def test_unknown_characters_stay_separate(tiny_hf_dir):
    tok = ChatTokenizer.from_dir(tiny_hf_dir)
    ids = tok.ids("☕☕☕")
    assert ids.count(3) == 3  # three <unk>, not one fused


def test_offsets_point_into_original_text(tiny_hf_dir):
    tok = ChatTokenizer.from_dir(tiny_hf_dir)
    text = "ｍau\tcerita  tolong"  # fullwidth m is not in the map → unk; tab mapped
    batch = tok.encode_batch([text], prefix="query: ")
    spans = [o for o in batch.offsets[0] if o is not None]
    assert spans, "content tokens carry offsets"
    pieces = [text[s:e] for s, e in spans]
    assert "tolong" in "".join(pieces)
    assert all(0 <= s < e <= len(text) for s, e in spans)


def test_batch_pads_to_longest_only(tiny_hf_dir):
    tok = ChatTokenizer.from_dir(tiny_hf_dir)
    b = tok.encode_batch(["aku", "aku mau cerita capek banget"])
    assert b.input_ids.shape[1] == b.attention_mask[1].sum()
    assert b.attention_mask[0].sum() < b.input_ids.shape[1]


def test_truncation_keeps_closing_token(tiny_hf_dir):
    tok = ChatTokenizer.from_dir(tiny_hf_dir, max_length=8)
    b = tok.encode_batch(["aku mau cerita capek banget sedih takut tolong kak"])
    assert b.input_ids.shape[1] == 8
    assert b.input_ids[0, -1] == 2 and b.offsets[0][-1] is None
