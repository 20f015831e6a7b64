"""Contact details in counselor drafts: formats, obfuscations, the referral allow-list, off-platform cues."""

import dataclasses

import pytest

from copilot.contact_recognizer import (
    ADDRESS,
    EMAIL,
    HANDLE,
    HOTLINE,
    LINK,
    PHONE,
    AllowList,
    ContactHit,
    ContactRecognizer,
)
from copilot.risk_lexicon import LexiconError


@pytest.fixture(scope="module")
def rec() -> ContactRecognizer:
    return ContactRecognizer()


def kinds(hits: list[ContactHit]) -> list[str]:
    return [h.kind for h in hits]


# ---- phones ------------------------------------------------------------------------------

@pytest.mark.parametrize("text,number", [
    ("nomorku 0812-3456-7890 ya", "0812-3456-7890"),
    ("WA aku di +62 857 1122 3344", "+62 857 1122 3344"),
    ("hubungi 62813 4567 8912 aja", "62813 4567 8912"),
    ("nomer saya 0812.7654.3210 ya mbak", "0812.7654.3210"),
    ("telepon (0274) 512 345 pas jam kerja", "(0274) 512 345"),
    ("hp aku 0-8-5-6-9-0-9-0-1-2-3-4", "0-8-5-6-9-0-9-0-1-2-3-4"),
    ("WA aja ke 08l2-3434-5656 (L-nya angka satu)", "08l2-3434-5656"),
    ("nomor saya nol delapan satu dua, tiga empat lima enam, tujuh delapan sembilan nol.",
     "nol delapan satu dua, tiga empat lima enam, tujuh delapan sembilan nol"),
    ("ieu nomer abdi: kosong dalapan hiji dua, genep genep tujuh tujuh, dalapan dalapan salapan salapan",
     "kosong dalapan hiji dua, genep genep tujuh tujuh, dalapan dalapan salapan salapan"),
    ("zero eight one two, 555, 0909, 88 itu nomorku", "zero eight one two, 555, 0909, 88"),
])
def test_personal_phone_numbers_in_many_spellings(rec, text, number):
    hits = rec.personal(text)
    assert [(h.kind, h.text) for h in hits] == [(PHONE, number)]
    assert text[hits[0].start:hits[0].end] == number


@pytest.mark.parametrize("text", [
    "segera hubungi 119 ya", "tolong hubungi 119 ext 8 kalau dorongan itu muncul", "layanan SAPA 129 bisa bantu",
    "WhatsApp resmi SAPA 08111-129-129 milik KemenPPPA", "kalau dalam bahaya telepon 112 atau 110",
    "Komnas Perempuan dapat dihubungi di (021) 390 3963", "Halo Kemenkes di 1500-567",
])
def test_official_hotlines_are_not_personal(rec, text):
    hits = rec.find(text)
    assert hits and all(h.allowed and h.reason for h in hits)
    assert rec.personal(text) == []


def test_hotline_and_personal_number_in_one_draft(rec):
    text = "hubungi 119 ext 8, atau kalau mau curhat lagi WA aku di 0812 9090 7070"
    hits = rec.find(text)
    assert [(h.kind, h.allowed) for h in hits] == [(HOTLINE, True), (PHONE, False)]
    assert [h.text for h in rec.personal(text)] == ["0812 9090 7070"]


def test_prices_and_counts_are_not_phone_numbers(rec):
    assert rec.find("biayanya Rp 150.000 per sesi, 3 kali seminggu, umur 23 tahun") == []


# ---- e-mails, handles, links -------------------------------------------------------------

@pytest.mark.parametrize("text,found", [
    ("email aku ratna.konselor@gmail.com ya", "ratna.konselor@gmail.com"),
    ("alamat email aku bayu(at)protonmail(dot)com", "bayu(at)protonmail(dot)com"),
    ("email: dian(dot)permata(at)gmail(dot)com", "dian(dot)permata(at)gmail(dot)com"),
    ("kirim ke budi [at] yahoo [dot] co [dot] id", "budi [at] yahoo [dot] co [dot] id"),
])
def test_emails_including_obfuscated(rec, text, found):
    assert [(h.kind, h.text) for h in rec.personal(text)] == [(EMAIL, found)]


@pytest.mark.parametrize("text,found,kind", [
    ("DM aku di IG ya, @kak.dinda.cerita", "@kak.dinda.cerita", HANDLE),
    ("id line aku: putri.konselor", "putri.konselor", HANDLE),
    ("Line dengan ID: psikolog_yuni", "psikolog_yuni", HANDLE),
    ("IG: nama_akun_aku", "nama_akun_aku", HANDLE),
    ("klik aja wa.me/6281234509876", "wa.me/6281234509876", LINK),
    ("join t.me/ruang_pulih", "t.me/ruang_pulih", LINK),
    ("https://api.whatsapp.com/send?phone=6281234 aja", "https://api.whatsapp.com/send?phone=6281234", LINK),
    ("cek instagram.com/bunda.lia", "instagram.com/bunda.lia", LINK),
    ("tiktok.com/@konselor.andi ya", "tiktok.com/@konselor.andi", LINK),
    ("add line.me/ti/p/~rizky", "line.me/ti/p/~rizky", LINK),
    ("link zoom aku zoom.us/my/budiarti", "zoom.us/my/budiarti", LINK),
])
def test_handles_and_links(rec, text, found, kind):
    assert [(h.kind, h.text) for h in rec.personal(text)] == [(kind, found)]


def test_official_domains_are_allowed(rec):
    (hit,) = rec.find("laporkan situsnya di aduankonten.id ya")
    assert hit.kind == LINK and hit.allowed


def test_vocative_after_username_is_not_a_handle(rec):
    assert rec.find("Sebutin aja username Mbak.") == []


# ---- addresses: referral or personal -----------------------------------------------------

def test_referral_address_is_allowed(rec):
    text = "Di Surabaya, Ibu bisa mendatangi RSJ Menur di Jl. Raya Menur No. 120."
    (hit,) = rec.find(text)
    assert hit.kind == ADDRESS and hit.allowed and "referral" in hit.reason
    assert text[hit.start:hit.end] == "Jl. Raya Menur No. 120"


def test_referral_context_survives_title_abbreviations(rec):
    text = "Rumah Sakit Jiwa Dr. Soeharto Heerdjan di Jl. Prof. Dr. Latumeten No. 1, Grogol, memiliki IGD 24 jam."
    assert rec.personal(text) == []


def test_own_address_is_personal(rec):
    (hit,) = rec.personal("rumahku di Jl. Tebet Timur Dalam 3 no 12, main aja")
    assert hit.kind == ADDRESS and "personal" in hit.reason


def test_address_without_context_is_personal(rec):
    (hit,) = rec.find("Jl. Melati No. 5, Depok")
    assert not hit.allowed


def test_personal_cue_beats_referral_cue(rec):
    text = "Saya buka praktik pribadi di Klinik Jiwa Sehat milik saya, Jl. Cendana Raya 21, Malang."
    assert kinds(rec.personal(text)) == [ADDRESS]


def test_negated_personal_cue_keeps_the_referral(rec):
    text = ("aku gak buka praktek di luar aplikasi, tapi di daftar tempat konseling ada Klinik Jiwa Sehat "
            "di Jl. Pemuda No. 20 Semarang")
    assert rec.personal(text) == []


def test_place_addresses_and_blocks(rec):
    assert kinds(rec.personal("rumah saya di Perumahan Citra Garden Blok K, dekat sekolah")) == [ADDRESS]
    assert kinds(rec.personal("dateng aja ke Ruko Permata Hijau Blok C No. 8, Bekasi")) == [ADDRESS]


def test_named_street_without_number_needs_a_personal_cue(rec):
    assert rec.find("kalau lewat Jl. Sudirman pasti macet") == []
    assert kinds(rec.personal("rumah aku di Jl. Veteran, yang cat hijau")) == [ADDRESS]


def test_operator_allow_list_adds_clinics():
    extra = {"addresses": [{"address": "Jl. Kenanga No. 7, Bogor", "name": "Klinik Psikologi Kenanga"}]}
    rec = ContactRecognizer(allow_list=extra)
    (hit,) = rec.find("kamu bisa datang ke Jl. Kenanga No. 7")
    assert hit.allowed and "Klinik Psikologi Kenanga" in hit.reason
    assert rec.find("segera hubungi 119")[0].allowed  # the defaults are still there


def test_allow_list_object_and_file(tmp_path):
    allow = AllowList.from_dict({"phones": [{"number": "0812 1111 2222", "name": "Puskesmas X"}]})
    rec = ContactRecognizer(allow_list=allow)
    assert rec.find("WA Puskesmas X: 0812-1111-2222")[0].allowed
    assert not rec.find("hubungi 119")  # a replaced list has no 119
    with pytest.raises(LexiconError, match="E-CON-001"):
        AllowList.load(tmp_path / "missing.json")


# ---- off-platform cues -------------------------------------------------------------------

@pytest.mark.parametrize("text,rule", [
    ("kita lanjut di WA aja ya", "off_platform.channel"),
    ("DM aku di IG ya", "off_platform.channel"),
    ("sesi berikutnya di luar aplikasi aja", "off_platform.outside_app"),
    ("nanti kita chat pribadi aja", "off_platform.private"),
    ("ketemuan yuk di kafe", "off_platform.meet"),
    ("nanti malam aku telpon langsung ya", "off_platform.direct_call"),
    ("boleh minta nomor WA kamu?", "off_platform.contact_request"),
    ("jangan bilang ke admin aplikasi ya", "off_platform.secrecy"),
    ("mau gak kita lanjutin di telegram?", "off_platform.channel"),
])
def test_off_platform_cues(rec, text, rule):
    hits = rec.find_off_platform(text)
    assert rule in {h.rule for h in hits}
    for h in hits:
        assert text[h.start:h.end] == h.text


@pytest.mark.parametrize("text,why", [
    ("Nomor saya ada, tapi saya tetap tidak bisa melayani konseling di luar aplikasi", "negation"),
    ("sampai ketemu di sesi berikutnya di aplikasi ya", "idiom"),
    ("kamu bisa bertemu langsung dengan psikolog di Puskesmas", "idiom"),
    ("aku ngerti kamu pengen ngobrol di WA, tapi demi keamanan kita tetap di aplikasi ya", "stays_in_app"),
])
def test_in_app_and_negated_cues_do_not_count(rec, text, why):
    assert rec.find_off_platform(text) == []
    assert why in {h.suppressed_by for h in rec.find_off_platform(text, include_suppressed=True)}


@pytest.mark.parametrize("text", [
    "ada layanan SAPA 129, bisa telepon 129 atau WA ke 08111-129-129",
    "tolong hubungi 119 dan jadwalkan ketemu psikiater ya",
    "Apakah Anda bersedia saya tunjukkan daftar tempat konseling tatap muka yang tersedia di aplikasi?",
])
def test_referral_drafts_raise_nothing(rec, text):
    assert rec.personal(text) == [] and rec.find_off_platform(text) == []


# ---- API ---------------------------------------------------------------------------------

def test_hits_are_frozen_and_typed(rec):
    (hit,) = rec.find("nomorku 0812-3456-7890")
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.allowed = True  # type: ignore[misc]
    assert hit.recognizer.endswith("@1")
    with pytest.raises(TypeError):
        rec.find(None)  # type: ignore[arg-type]


def test_a_thousand_drafts_are_checked_correctly(rec):
    drafts = ["nomorku 0812-3456-7890", "hubungi 119 ext 8", "gimana perasaanmu hari ini?", "lanjut di WA aja"] * 250
    personal = [len(rec.personal(d)) for d in drafts]
    off = [bool(rec.find_off_platform(d)) for d in drafts]
    assert personal == [1, 0, 0, 0] * 250
    assert off == [False, False, False, True] * 250
