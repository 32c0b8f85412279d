"""End-to-end behaviour: raw text in, one decision out, through ``Pipeline.default().run``.

Three kinds of rows, written the way people write on nearby-chat apps:

- OFFERS        commercial-sex offers in every obfuscation family → review or hide_nearby;
- CHILD_OFFERS  offers with signs that the person offered is a child → escalate_child_safety;
- NEGATIVES     commerce, legit services, rentals, dating, news, warnings, reports, everyday chat
                and children mentioned without any offer → allow.

Plus the two invariants of the policy: a failing step gives review (degraded), never an automatic
action; and a minor indicator together with solicitation always escalates to child safety.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pytest

from pantau.classify import WeightedSignalScorer
from pantau.minor_blanking import blank_minor_signs
from pantau.models import Action, Assessment, NormalizedText, Signal, SignalGroup, Verdict
from pantau.pipeline import Pipeline
from pantau.policy import load_policy
from pantau.signals import Registry, default_registry

OFFER_ACTIONS = {Action.REVIEW, Action.HIDE_NEARBY}


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.default()


def _explain(v: Verdict) -> str:
    found = ", ".join(f"{s.name}={s.text!r}" for s in v.assessment.signals) or "(no signals)"
    return (
        f"action={v.decision.action.value} score={v.assessment.score:.3f} "
        f"solicitation={v.decision.solicitation} minor_risk={v.decision.minor_risk} "
        f"normalized={v.normalized.text!r} signals: {found}"
    )


# --------------------------------------------------------------------------------------------
# Offers: review or hide_nearby, solicitation True
# --------------------------------------------------------------------------------------------

OFFERS = [
    # plain status with area, rates and a contact
    pytest.param("ready open bo malem ini area jaksel, ST 400 LT 1jt, wa aja", id="offer-plain-rates"),
    # massage jargon with a looks-based hint (allowed by an earlier model on the demo feed)
    pytest.param("Pijat plus ++ terapis muda, panggilan hotel & kos", id="offer-pijat-plus"),
    # mathematical bold capitals
    pytest.param("𝐎𝐏𝐄𝐍 𝐁𝐎 𝐓𝐀𝐍𝐆𝐄𝐑𝐀𝐍𝐆 𝐊𝐎𝐓𝐀 𝐃𝐌 𝐘𝐀", id="offer-math-bold"),
    # mathematical double-struck
    pytest.param("𝕠𝕡𝕖𝕟 𝕓𝕠 𝕞𝕒𝕝𝕒𝕞 𝕚𝕟𝕚 𝕜𝕒𝕜", id="offer-math-double-struck"),
    # fullwidth, with fullwidth comma and ideographic spaces
    pytest.param("ｏｐｅｎ ｂｏ　ｋａｋ，　ｓｔ　３５０", id="offer-fullwidth"),
    # circled letters, vcs
    pytest.param("ⓥⓒⓢ ⓜⓤⓡⓐⓗ ⓒⓗⓐⓣ ⓐⓙⓐ", id="offer-circled-vcs"),
    # parenthesised letters
    pytest.param("⒪⒫⒠⒩ ⒝⒪ kota malang, chat aja", id="offer-parenthesised"),
    # ASCII letters in brackets, the way people type them without special fonts
    pytest.param("(o)(p)(e)(n) (b)(o) dm aja", id="offer-ascii-brackets"),
    # enclosed emoji letters
    pytest.param("🅾🅿🅴🅽 🅱🅾 📍surabaya timur", id="offer-enclosed-emoji"),
    # regional-indicator letters
    pytest.param("🇴🇵🇪🇳 🇧🇴 🇸🇹 300 dm", id="offer-regional-indicators"),
    # small capitals
    pytest.param("ʀᴇᴀᴅʏ ʙᴏ ɪɴᴄʟᴜᴅᴇ ʀᴏᴏᴍ", id="offer-small-caps"),
    # Greek and Cyrillic look-alikes
    pytest.param("оρєи вσ ѕт/ℓт ꜱɪʟᴀʜᴋᴀɴ ᴅᴍ", id="offer-greek-cyrillic"),
    # zero-width characters inside the words
    pytest.param("o\u200bpen b\u200bo\u200b kak, wa 0812-3456-7890", id="offer-zero-width"),
    # combining strike-through
    pytest.param("o̶p̶e̶n̶ b̶o̶ kak, include room", id="offer-strikethrough"),
    # combining marks stacked as noise (zalgo)
    pytest.param("o\u0315\u0321pe\u0334n b\u0358o\u0327 ST 300", id="offer-zalgo"),
    # leet
    pytest.param("0p3n b0 5t 3oo lt 8oo", id="offer-leet"),
    # letters split by spaces, words apart by a double space
    pytest.param("o p e n  b o  malam ini, dm", id="offer-split-spaces"),
    # letters split by dashes
    pytest.param("O-P-E-N B-O hari ini, cek bio", id="offer-split-dashes"),
    # dotted acronym
    pytest.param("B.O area depok, cek bio", id="offer-dotted-bo"),
    # stretched letters
    pytest.param("opeeen booooo sayaaang, fast respon", id="offer-stretched"),
    # spoken spelling of bo and st/lt
    pytest.param("open bee oo yaa, es te el te ready", id="offer-spoken-bo-st-lt"),
    # spoken spelling of vcs with a price
    pytest.param("vi si es 50rb sekali call", id="offer-spoken-vcs"),
    # chat abbreviations (kmr, brp, yg)
    pytest.param("yg mau bo ST 350 udh include kmr", id="offer-abbreviations"),
    # emoji between the words
    pytest.param("Open 💋 BO 😘 ST 300 💦 DM 🔥", id="offer-emoji-between"),
    # fullwidth vcs with a price
    pytest.param("ＶＣＳ ｆｕｌｌ ｂｏｄｙ １５０ｋ", id="offer-fullwidth-vcs"),
    # massage with plus
    pytest.param("pijat ++ panggilan ke hotel, terapis cantik, 500rb", id="offer-plus-massage"),
    # companion
    pytest.param("ready temen tidur malam ini, transfer dulu baru jalan", id="offer-companion"),
    # content sale
    pytest.param("jual video pribadi 100k, full no sensor, dm aja", id="offer-content-sale"),
    # agency with a stock of women
    pytest.param("ada stok cewek baru, bisa pilih foto, hubungi mami", id="offer-agency"),
    # vcs and paid photos
    pytest.param("vcs + pap tt 75k, slow respon maaf", id="offer-vcs-pap"),
    # a price list
    pytest.param("tarif: ST 500, LT 1,2jt, FS, no dp, bayar di tempat", id="offer-price-list"),
    # outcall to the customer's hotel
    pytest.param("bisa bo area kuta, outcall ke hotel kamu", id="offer-outcall"),
    # bispak
    pytest.param("cewek bispak ready jakarta barat", id="offer-bispak"),
    # per-hour rate and phone
    pytest.param("avail ST/LT, 3oo/jam, wa 0812-3456-7890", id="offer-per-hour"),
    # full service with the room
    pytest.param("full service include kamar 600", id="offer-full-service"),
    # amount in words
    pytest.param("short time tiga ratus aja kak, tempat dari aku", id="offer-amount-words"),
    # happy ending massage, English mixed in
    pytest.param("happy ending massage, outcall hotel area seminyak", id="offer-happy-ending"),
    # hashtags
    pytest.param("#openbo #bojogja #availjogja dm", id="offer-hashtags"),
    # long time with amount before it
    pytest.param("1jt long, 400 short, area bekasi", id="offer-amount-first"),
    # weekend companion with a rate, soft wording
    pytest.param("yang butuh temen malam minggu bisa japri, ada tarif", id="offer-soft-companion"),
    # hotel room number and a short-time price
    pytest.param("mampir kamar 305 hotel melati, 300 aja short", id="offer-room-number"),
    # price in words and a safe place
    pytest.param("ready ya say, ST 3 ratus, tempat aman", id="offer-ratus"),
    # adult age, hotel
    pytest.param("new girl 19th ready malam ini, bisa ke hotel", id="offer-new-girl"),
    # karaoke plus plus
    pytest.param("bisa temenin karaoke plus plus, japri", id="offer-karaoke-plus"),
    # full night with a price, serious only
    pytest.param("cuma buat yg serius, LT fullnight 1,5jt", id="offer-fullnight"),
    # math bold digits in a vcs price
    pytest.param("VCS 𝟏𝟓 menit 𝟓𝟎𝐤", id="offer-math-digits-vcs"),
    # dotted letters and an 18+ emoji
    pytest.param("o.p.e.n b.o 🔞 dm", id="offer-dotted-18"),
]


def test_selling_porn_clips_reaches_a_human(pipeline: Pipeline) -> None:
    """A content sale under our label. The model puts it at the line (0.50 with the twelfth session's
    model, 0.44 with this one: "bokep" is mostly porn spam in the corpora), so the policy's strong
    offer words send it to a reviewer whatever the model says (model card, known failure modes)."""
    v = pipeline.run("case", "jual bokep indo 50rb sepuasnya, dm")
    assert v.decision.action in OFFER_ACTIONS, _explain(v)
    assert "online.content_sale" in {s.name for s in v.assessment.signals}, _explain(v)


@pytest.mark.parametrize("text", OFFERS)
def test_offer_is_flagged(pipeline: Pipeline, text: str) -> None:
    v = pipeline.run("case", text)
    assert v.decision.solicitation is True, _explain(v)
    assert v.decision.action in OFFER_ACTIONS, _explain(v)
    assert not v.assessment.degraded


# --------------------------------------------------------------------------------------------
# Child offers: escalate_child_safety, minor_risk True
# --------------------------------------------------------------------------------------------

CHILD_OFFERS = [
    # age written with "th"
    pytest.param("open bo abg 16th masih sekolah, dm", id="child-age-th"),
    # school level with vcs
    pytest.param("ready dedek smp, vcs 50k", id="child-smp-vcs"),
    # virginity + age + rate
    pytest.param("masih perawan umur 15, st 1jt", id="child-virgin-age"),
    # circled bo + slang
    pytest.param("ⓑⓞ bocil ready, chat", id="child-circled"),
    # math bold digits and letters
    pytest.param("𝐒𝐓 𝟓𝟎𝟎 𝐒𝐌𝐀 𝐤𝐞𝐥𝐚𝐬 𝟏𝟏", id="child-math-bold"),
    # content of school children
    pytest.param("jual video pribadi anak sekolah, 100rb", id="child-content"),
    # abbreviation kls
    pytest.param("open bo pelajar, masih kls 2 sma", id="child-abbr-kls"),
    # spoken vcs + age
    pytest.param("vi si es dedek 14 taun", id="child-spoken-vcs"),
    # agency with request by age
    pytest.param("stok baru anak smp, bisa req usia, hubungi mami", id="child-agency"),
    # leet loli
    pytest.param("ready l0l1 vcs murah", id="child-leet-loli"),
    # buyer looking for a child
    pytest.param("cari yang dibawah umur buat ngamar, bayar 500rb", id="child-buyer"),
    # small caps
    pytest.param("ʙᴏ ᴀʙɢ ꜱᴍᴘ ᴅᴍ", id="child-small-caps"),
    # abbreviation ank + sd
    pytest.param("open b0 ank sd kelas 6", id="child-abbr-ank-sd"),
    # age with yo and ST
    pytest.param("ST 300 cewek 15yo", id="child-yo"),
    # fullwidth umur
    pytest.param("ｏｐｅｎ ｂｏ ｕｍｕｒ １６", id="child-fullwidth-age"),
    # age on its own after "baru"
    pytest.param("bisa vcs, baru 13 kak", id="child-baru-age"),
    # grade 9
    pytest.param("anak kelas 9 ready vcs, 50k aja", id="child-kelas-9"),
    # 17 years old, room
    pytest.param("cewek 17 tahun bisa diajak ngamar, wa", id="child-17"),
    # school pocket money
    pytest.param("masih SMA, butuh uang jajan, bisa bo", id="child-uang-jajan"),
    # slang with a price
    pytest.param("ada yg minat dedek gemes? st 500", id="child-dedek-gemes"),
    # the age followed by punctuation, as people write it
    pytest.param("ready bo, umur 16, ST 400", id="child-age-comma"),
    pytest.param("Open VCS. Usia 15. 100k", id="child-age-full-stop"),
    # the age in words; age/height/weight
    pytest.param("open bo umur enam belas tahun, wa", id="child-age-words"),
    pytest.param("ready bo 16/155/42, cod hotel", id="child-age-height-weight"),
    # a relative offered; uniform colours; no identity card yet
    pytest.param("jual ponakan sendiri, 14 th, nego", id="child-relative"),
    pytest.param("jual adek sendiri ST 300 LT 700", id="child-relative-no-age"),
    pytest.param("masih berseragam putih biru, bisa bo", id="child-uniform"),
    pytest.param("belum punya KTP tapi bisa ST, wa", id="child-no-ktp"),
    # milder words than adults', beside an age or a grade, that the model reads as an offer too
    pytest.param("kelas 9, bisa nemenin om malem ini", id="child-hint-company"),
    pytest.param("ada dedek umur 14an, bisa diajak nginep, japri", id="child-hint-taken-away"),
    pytest.param("ready om, usia 15, lagi butuh duit", id="child-hint-paying-adult"),
    # dingbat digits, an age in days or months that is a birthday near, an English grade
    pytest.param("umur ➊➎, open bo", id="child-dingbat-digits"),
    pytest.param("ready BO, umurku baru 15 bulan kemarin", id="child-birthday-last-month"),
    pytest.param("grade 9, open vcs", id="child-english-grade"),
    # an identity card years away, a teen number opening a status, a 16th birthday, half of 28
    pytest.param("3 tahun lagi baru bisa bikin KTP, ready LT", id="child-years-to-ktp"),
    pytest.param("Fourteen. open booking, dm aja", id="child-teen-word-opening"),
    pytest.param("minggu depan ultah ke-16, open BO buat kado sendiri", id="child-16th-birthday"),
    pytest.param("open vcs, umurku setengahnya 28", id="child-half-of"),
]


# Offers of a child in milder words than adults' ("bisa temenin", a bare ST, "available for booking") that no score
# calls an offer: a child-protection officer sees them first, and the account is not restricted (the same words
# stand in teenagers' and parents' everyday chat).
CHILD_OFFERS_IN_MILD_WORDS = [
    pytest.param("aku masih kls 8, iso ST.", id="mild-bare-st"),
    pytest.param("still in 8th grade, available for booking", id="mild-booking"),
    pytest.param("ABG 15 open 🔥", id="mild-bare-open"),
    pytest.param("masih smp, bisa temenin kakak karaoke", id="mild-company"),
]


@pytest.mark.parametrize("text", CHILD_OFFERS_IN_MILD_WORDS)
def test_child_offer_in_mild_words_goes_to_an_officer(pipeline: Pipeline, text: str) -> None:
    v = pipeline.run("case", text)
    assert v.decision.action is Action.REVIEW and v.decision.rule_id == "child-safety-review", _explain(v)
    assert v.decision.minor_risk is True, _explain(v)
    assert v.decision.reasons[0] == "offer_hint_beside_a_minor_sign_needs_officer_review", _explain(v)


@pytest.mark.parametrize("text", CHILD_OFFERS)
def test_child_offer_escalates(pipeline: Pipeline, text: str) -> None:
    v = pipeline.run("case", text)
    assert v.decision.action is Action.ESCALATE_CHILD_SAFETY, _explain(v)
    assert v.decision.minor_risk is True, _explain(v)
    assert v.decision.solicitation is True, _explain(v)


# --------------------------------------------------------------------------------------------
# Hard negatives: allow, solicitation False
# --------------------------------------------------------------------------------------------

NEGATIVES = [
    # pre-order clothes with COD
    pytest.param("open PO gamis lebaran, ready stock, COD area bekasi", id="neg-open-po"),
    # second-hand phone, COD
    pytest.param("ready stock iphone 13 ex inter, bisa COD", id="neg-iphone-cod"),
    # reflexology with an hourly rate
    pytest.param("pijat refleksi & totok wajah, terapis bersertifikat, 150rb/jam", id="neg-refleksi"),
    # make-up artist booking
    pytest.param("MUA wisuda & wedding, open booking tanggal Desember", id="neg-mua"),
    # private tutor for school children, per-session rate
    pytest.param("les privat matematika SD-SMP, datang ke rumah, 100rb per sesi", id="neg-les-privat"),
    # boarding-house room
    pytest.param("kos putri dekat UGM, kamar mandi dalam, 1,2jt per bulan, include listrik", id="neg-kos"),
    # dating without sex
    pytest.param("cari teman ngobrol aja, no sex, serius", id="neg-dating"),
    # warning about BO scams
    pytest.param("hati-hati ada akun open BO nipu, udah transfer malah diblok", id="neg-warning"),
    # news report
    pytest.param("Polisi menggerebek praktik prostitusi online di apartemen, tiga tersangka ditangkap", id="neg-news"),
    # a user reporting an account
    pytest.param("min tolong akun ini diblokir, nawarin BO terus", id="neg-report"),
    # a user reporting, with the offer quoted
    pytest.param('dia nanya "open bo?" langsung aku blokir', id="neg-report-quoted"),
    # greeting
    pytest.param("long time no see bro, apa kabar?", id="neg-ltns"),
    # own child at school
    pytest.param("anakku baru masuk SD, seneng banget dia", id="neg-child-school"),
    # sibling in junior high
    pytest.param("adik saya kelas 2 SMP lagi ujian", id="neg-sibling-smp"),
    # game currency
    pytest.param("jual diamond ML murah, proses cepat", id="neg-diamond-ml"),
    # explicit refusal
    pytest.param("bukan cewek BO ya, jangan chat aneh-aneh", id="neg-negation"),
    # memory card
    pytest.param("sd card 64gb sandisk ori 85rb", id="neg-sd-card"),
    # work experience in years
    pytest.param("sudah 15 tahun kerja di Jakarta", id="neg-years-work"),
    # baby massage home visit
    pytest.param("pijat bayi & baby spa, bisa panggilan ke rumah", id="neg-pijat-bayi"),
    # used motorbike
    pytest.param("dijual motor beat 2019, harga 12jt nego", id="neg-motor"),
    # house for sale: LT/LB are land and building areas
    pytest.param("Dijual rumah minimalis LT 120 LB 90, SHM, 850jt nego", id="neg-house-lt"),
    # cookie pre-order
    pytest.param("open order kue kering lebaran, nastar 120k", id="neg-kue"),
    # child vaccination
    pytest.param("Vaksin anak usia 12 tahun di puskesmas besok", id="neg-vaksin"),
    # napping
    pytest.param("gue lagi bobo siang, jangan ganggu", id="neg-bobo"),
    # Mobile Legends
    pytest.param("mabar ML yuk malam ini, push rank", id="neg-mabar"),
    # forum "for sale"
    pytest.param("FS: iPhone 11 64gb mulus, 4jt", id="neg-fs-for-sale"),
    # prewedding photo package
    pytest.param("jasa foto prewedding + MUA, paket 3jt", id="neg-prewed"),
    # tutoring for high-school students
    pytest.param("Bimbel untuk siswa SMA kelas 12, persiapan UTBK", id="neg-bimbel"),
    # hotel room per night
    pytest.param("hotel murah dekat malioboro, include breakfast, 350rb/malam", id="neg-hotel-night"),
    # neighbourhood warning
    pytest.param("Pak RT: waspada modus open BO di aplikasi, lapor ke 110", id="neg-rt-warning"),
    # everyday
    pytest.param("lagi nonton film, seru banget", id="neg-nonton"),
    # picking up a younger sibling from school
    pytest.param("kakak ready jemput adek pulang sekolah jam 12", id="neg-jemput-adek"),
    # new clothes
    pytest.param("new arrival hijab segi empat, ready semua warna", id="neg-new-arrival"),
    # a parent talking about a child
    pytest.param("Anak saya umur 7 tahun suka menggambar", id="neg-child-age"),
    # tour package with hotel
    pytest.param("Paket tour Bali 3D2N include hotel dan tiket pesawat", id="neg-tour"),
    # affection
    pytest.param("Kangen kamu, besok ketemu ya sayang", id="neg-kangen"),
    # work video call
    pytest.param("VC meeting kantor jam 9, jangan telat", id="neg-vc-meeting"),
    # job ad with an age range
    pytest.param("dicari SPG event pameran, min lulusan SMA, usia 18-25", id="neg-spg"),
    # snack shop, price in words
    pytest.param("seblak level 5 cuma lima belas ribu", id="neg-seblak"),
    # asking a friend what time
    pytest.param("besok jam 7 ya, jangan lupa bawa bola", id="neg-bola"),
    # photographer booking
    pytest.param("Open booking jasa foto wisuda, DM untuk jadwal", id="neg-open-booking-foto"),
    # used mattress
    pytest.param("Jual kasur bekas ukuran 160, masih bagus, COD", id="neg-kasur"),
    # proud of a child
    pytest.param("Bocah ini pintar banget main catur, umur 10 tahun udah juara", id="neg-bocah-catur"),
    # parent looking for lessons
    pytest.param("Lagi cari tempat les bahasa inggris buat anak SMP, ada rekomendasi?", id="neg-les-smp"),
    # report about stolen content
    pytest.param("Warning: akun @xxx jual video pribadi curian, report rame-rame", id="neg-report-content"),
    # news about child trafficking
    pytest.param("Berita: 2 pelajar SMP jadi korban TPPO, pelaku ditangkap polisi", id="neg-news-tppo"),
    # box office
    pytest.param("BO = Box Office, film ini udah tembus 1 juta penonton", id="neg-box-office"),
    # gas delivery
    pytest.param("Jual Gas LPG 3kg, antar ke rumah, 25rb", id="neg-gas"),
    # hotel room per night
    pytest.param("Kamar hotel include sarapan, check in jam 2 siang, 450rb per malam", id="neg-hotel-sarapan"),
    # yoga class per session
    pytest.param("Kelas yoga online 50rb per sesi, bisa via zoom", id="neg-yoga"),
    # traditional masseur, home visit, hourly
    pytest.param("Bapak tukang pijat urut keseleo, panggilan ke rumah, 100rb sejam", id="neg-tukang-urut"),
    # a porn-link post under sex-ad hashtags: sexual, but no one is offered
    pytest.param("wkwk liat deh yang ini, durasi 10 menit s.id/abc123 #bokepindo #videoviral #sange #bispak #bisyar",
                 id="neg-porn-link-hashtag-wall"),
    # a scam warning under the same hashtags
    pytest.param("Ati2 sama akun ini, minta DP trus ngilang #bojogja #availjogja #bispakjogja",
                 id="neg-tagged-warning"),
    # the hint words beside a child where nobody offers one
    pytest.param("mie ayam depan SD udah open 🍜", id="neg-hint-stall-open"),
    pytest.param("butuh pengasuh yang bisa nginep, anak umur 4, daerah Depok", id="neg-hint-carer"),
    pytest.param("tolong laporin akun yang nawarin anak di bawah umur, udah aku report", id="neg-hint-report"),
    pytest.param("Kids choir audition! Open for ages 8-13, parents can accompany inside", id="neg-hint-choir"),
    pytest.param("rombongan pelajar SMP bisa booking tur museum lewat WA", id="neg-hint-customer-booking"),
    pytest.param("bocil kelas 5 nanya: lagu ST12 yang lama judulnya apa?", id="neg-hint-band"),
    # a reviewer's probes: a teenager's everyday chat, a stall, a trip
    pytest.param("Gue kelas 11, besok bisa temenin gue ke toko buku ga?", id="neg-hint-teen-asks-friend"),
    pytest.param("Ready om, ayam goreng buat anak umur 5 tahun ga pedes kok", id="neg-hint-stall-ready-om"),
    pytest.param("Siswa kelas 6 boleh diajak keluar kota untuk kunjungan museum", id="neg-hint-school-trip"),
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_hard_negative_is_allowed(pipeline: Pipeline, text: str) -> None:
    v = pipeline.run("case", text)
    assert v.decision.action is Action.ALLOW, _explain(v)
    assert v.decision.solicitation is False, _explain(v)
    assert v.decision.minor_risk is False, _explain(v)


def test_case_table_sizes() -> None:
    assert len(OFFERS) + len(CHILD_OFFERS) + len(NEGATIVES) >= 60
    ids = [p.id for p in (*OFFERS, *CHILD_OFFERS, *CHILD_OFFERS_IN_MILD_WORDS, *NEGATIVES)]
    assert len(ids) == len(set(ids))


# --------------------------------------------------------------------------------------------
# Invariant 1: a failing step gives review + degraded, never an automatic action
# --------------------------------------------------------------------------------------------


class _Boom:
    """An extractor that always fails."""

    name = "boom"
    version = "1"

    @property
    def signal_names(self) -> tuple[tuple[str, SignalGroup], ...]:
        return (("solicitation.boom", SignalGroup.SOLICITATION),)

    def extract(self, nt: NormalizedText) -> Iterable[Signal]:
        raise RuntimeError("extractor exploded")


class _BrokenClassifier:
    version = "broken-1"

    def score_batch(self, items: Sequence[tuple[NormalizedText, Sequence[Signal]]]) -> list[float]:
        raise RuntimeError("classifier exploded")


DEGRADED_TEXTS = [
    # a plain offer that would otherwise be hidden
    pytest.param("open bo ST 300 LT 800 include room wa 0812-3456-7890", id="degraded-offer"),
    # a child offer that would otherwise escalate
    pytest.param("open bo abg 15th masih smp", id="degraded-child"),
    # a benign text that would otherwise be allowed
    pytest.param("open PO gamis ready stock", id="degraded-benign"),
    # empty text
    pytest.param("", id="degraded-empty"),
]


@pytest.mark.parametrize("text", DEGRADED_TEXTS)
def test_failing_extractor_gives_review(text: str) -> None:
    registry = Registry([*default_registry(), _Boom()])
    pipe = Pipeline(registry, WeightedSignalScorer(), load_policy())
    v = pipe.run("case", text)
    assert v.assessment.degraded, _explain(v)
    assert any("boom" in step for step in v.assessment.degraded), v.assessment.degraded
    assert v.decision.action is Action.REVIEW, _explain(v)
    assert v.decision.rule_id == "degraded"


@pytest.mark.parametrize("text", DEGRADED_TEXTS)
def test_failing_extractor_alone_gives_review(text: str) -> None:
    pipe = Pipeline(Registry([_Boom()]), WeightedSignalScorer(), load_policy())
    v = pipe.run("case", text)
    assert v.assessment.degraded
    assert v.decision.action is Action.REVIEW, _explain(v)


@pytest.mark.parametrize("text", DEGRADED_TEXTS)
def test_failing_classifier_gives_review(text: str) -> None:
    pipe = Pipeline(default_registry(), _BrokenClassifier(), load_policy())
    v = pipe.run("case", text)
    assert "classify" in v.assessment.degraded
    assert v.decision.action is Action.REVIEW, _explain(v)


def test_failing_extractor_in_a_batch_degrades_every_item() -> None:
    registry = Registry([*default_registry(), _Boom()])
    pipe = Pipeline(registry, WeightedSignalScorer(), load_policy())
    verdicts = pipe.run_batch([("a", "open bo"), ("b", "apa kabar"), ("c", "ready abg smp vcs")])
    assert [v.id for v in verdicts] == ["a", "b", "c"]
    assert all(v.decision.action is Action.REVIEW for v in verdicts)
    assert all(v.assessment.degraded for v in verdicts)


# --------------------------------------------------------------------------------------------
# Invariant 2: a minor indicator plus solicitation always escalates
# --------------------------------------------------------------------------------------------

_OFFER_BASES = [
    "open bo malam ini",
    "ready ST 300 LT 800",
    "vcs 50k dm",
    "jual video pribadi",
    "𝐎𝐏𝐄𝐍 𝐁𝐎 dm",
    "stok cewek baru hubungi mami",
]
_MINOR_MARKS = ["umur 15", "masih smp", "abg", "16th", "masih sekolah", "bocil"]


@pytest.mark.parametrize("offer", _OFFER_BASES)
@pytest.mark.parametrize("mark", _MINOR_MARKS)
def test_minor_mark_added_to_offer_escalates(pipeline: Pipeline, offer: str, mark: str) -> None:
    plain = pipeline.run("plain", offer)
    assert plain.decision.solicitation, _explain(plain)
    for text in (f"{offer} {mark}", f"{mark} {offer}"):
        v = pipeline.run("case", text)
        assert v.decision.action is Action.ESCALATE_CHILD_SAFETY, f"{text!r}: {_explain(v)}"
        assert v.decision.minor_risk is True


def _sig(name: str, group: SignalGroup, weight: float, start: int, end: int) -> Signal:
    return Signal(name, group, weight, start, end, "x" * (end - start))


@pytest.mark.parametrize("fraction", [0.0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0])
@pytest.mark.parametrize(
    "minor",
    [
        pytest.param(_sig("minor.age", SignalGroup.MINOR, 0.0, 20, 27), id="age"),
        pytest.param(_sig("minor.school", SignalGroup.MINOR, 0.0, 20, 23), id="school"),
        pytest.param(_sig("minor.slang", SignalGroup.MINOR, 0.0, 20, 23), id="slang"),
        pytest.param(_sig("minor.virginity", SignalGroup.MINOR, 0.0, 20, 27), id="virginity"),
    ],
)
def test_policy_minor_with_solicitation_escalates(fraction: float, minor: Signal) -> None:
    """Any score from the policy's child-safety threshold up to 1.0 escalates."""
    policy = load_policy()
    low = policy.child_safety.min_score
    score = low + (1.0 - low) * fraction
    offer = _sig("solicitation.open_bo", SignalGroup.SOLICITATION, 4.0, 0, 7)
    assessment = Assessment(score=score, signals=(offer, minor), classifier_version="test")
    decision = policy.decide(assessment)
    assert decision.action is Action.ESCALATE_CHILD_SAFETY
    assert decision.minor_risk is True
    assert decision.solicitation is True


def test_policy_minor_without_solicitation_is_not_escalated() -> None:
    policy = load_policy()
    minor = _sig("minor.school", SignalGroup.MINOR, 0.0, 0, 3)
    decision = policy.decide(Assessment(score=0.01, signals=(minor,), classifier_version="test"))
    assert decision.action is Action.ALLOW
    assert decision.minor_risk is False


PADDING = ("lagi santai di kos, cuaca panas banget hari ini, tadi makan bakso sama temen terus pulang naik "
           "motor, besok kuliah pagi jadi jangan lupa pasang alarm ya. ")


@pytest.mark.parametrize("offer", ["open BO ST 300 LT 800 wa aja", "ready vcs 100k", "vcs 50k dm", "open bo"])
def test_repeating_an_offer_does_not_hide_it(pipeline: Pipeline, offer: str) -> None:
    """Length is no evidence: a model that learnt "long ⇒ not an offer" from its corpora let "open bo"
    written 30 times fall to allow (0.44; 50 times 0.05)."""
    assert pipeline.run("x", offer).decision.action in OFFER_ACTIONS  # the offer on its own
    assert pipeline.run("x", " ".join([offer] * 30)).decision.action in OFFER_ACTIONS


@pytest.mark.parametrize("offer", ["open BO ST 300 LT 800 wa aja", "ready vcs 100k", "vcs 50k dm"])
@pytest.mark.parametrize("lines", [1, 8])
def test_strong_offer_words_inside_ordinary_chat_go_to_a_human(pipeline: Pipeline, offer: str, lines: int) -> None:
    """Ordinary chat around an offer outweighs it in the model (its n-grams are normalised over the
    whole text), so strong offer words the model outweighed go to review (policy rule
    review-strong-offer-words) instead of being allowed."""
    verdict = pipeline.run("x", f"{PADDING * lines}{offer}. {PADDING * lines}")
    assert verdict.decision.action in OFFER_ACTIONS


@pytest.mark.parametrize("text", [
    "berita: mucikari open BO via MiChat ditangkap polisi, tarif ST 500 ribu",
    "lapor min, akun ini pasang status ST 300 LT 800 include room di sekitar, mohon ditindak",
    "hati-hati, temanku ditipu orang yang ngaku open bo, udah transfer 300 tapi gak datang",
])
def test_offer_words_in_a_report_or_news_are_never_hidden_automatically(pipeline: Pipeline, text: str) -> None:
    """A report, warning or news item quotes an offer: the model scores the quoted words, so the
    policy (rule review-offer-in-report-or-news) sends it to a human instead of hiding the reporter."""
    verdict = pipeline.run("x", text)
    assert verdict.decision.action in (Action.REVIEW, Action.ALLOW), _explain(verdict)
    assert verdict.decision.action is not Action.HIDE_NEARBY


def test_an_offer_of_a_child_is_scored_without_the_words_that_say_it_is_a_child() -> None:
    """School words and ages mostly stand in ordinary texts of the corpus, so they pull the model's score down;
    the pipeline scores a text with minor signs again with them blanked (pantau.minor_blanking). That score counts
    only beside offer words of the text's own: "Ready seragam SMP, 50rb, DM aja" blanked is an ad's skeleton."""
    pipeline = Pipeline.default()
    offered = pipeline.run("x", "abis ujian kenaikan kelas, siap BO")
    assert offered.assessment.score < 0.3 <= (offered.assessment.score_without_minor or 0.0)
    assert offered.decision.action is Action.ESCALATE_CHILD_SAFETY
    assert "offer_scored_without_the_minor_signs" in offered.decision.reasons
    parent = pipeline.run("y", "anakku kelas 2 SMP lagi ujian, doain ya")
    assert parent.assessment.score_without_minor is not None and parent.decision.action is Action.ALLOW
    assert pipeline.run("z", "open bo malam ini").assessment.score_without_minor is None
    # scored once when the second score could not change the decision: already above the threshold
    plain = pipeline.run("w", "open bo abg 15th, st 300")
    assert plain.assessment.score_without_minor is None and plain.decision.action is Action.ESCALATE_CHILD_SAFETY
    assert "+minor_blanking@" in offered.model_version
    assert offered.to_scan_record()["score_without_minor"] >= 0.3
    assert "score_without_minor" not in plain.to_scan_record()
    for text in ("Ready seragam SMP, 50rb, DM aja", "Dicari! Putri (15) hilang dari rumah, info hubungi 0812345678",
                 "Lomba SMA 5, mulai jam 8, gratis, CP 0812345678"):
        assert pipeline.run("v", text).decision.action is not Action.ESCALATE_CHILD_SAFETY, text


def test_blanking_keeps_the_length_and_only_touches_minor_spans() -> None:
    text = "ready abg 15th, st 300"
    signals = Pipeline.default().prepare(text).signals
    blanked = blank_minor_signs(text, signals)
    assert blanked is not None and len(blanked) == len(text)
    assert "abg" not in blanked and "15th" not in blanked and blanked.startswith("ready") and "st 300" in blanked
    assert blank_minor_signs("open bo", Pipeline.default().prepare("open bo").signals) is None


class _FailsOnBlankedText:
    """The shipped model, failing only on a text whose minor signs were blanked (a run of spaces)."""

    def __init__(self) -> None:
        self.inner = Pipeline.default().classifier
        self.version = self.inner.version

    def score_batch(self, items: Sequence[tuple[NormalizedText, Sequence[Signal]]]) -> list[float]:
        if any("   " in nt.original for nt, _ in items):
            raise RuntimeError("classifier exploded on the blanked text")
        return self.inner.score_batch(items)


def test_a_failing_second_scoring_gives_review_not_an_error() -> None:
    """The second scoring is a step like any other: when it fails the verdict is degraded and a person decides."""
    pipe = Pipeline(default_registry(), _FailsOnBlankedText(), load_policy())  # type: ignore[arg-type]
    child, shop = pipe.run_batch([("a", "abis ujian kenaikan kelas, siap BO"), ("b", "open bo malam ini")])
    assert child.assessment.degraded == ("minor_blanking",) and child.decision.action is Action.REVIEW
    assert not shop.assessment.degraded and shop.decision.action is Action.HIDE_NEARBY


def test_a_parent_on_pocket_money_is_no_child_safety_case(pipeline: Pipeline) -> None:
    """A blind look-alike: a school level beside a small amount a day ("jajan anak SD 10rb sehari") once escalated to
    child safety, the amount read as the rate of a service. A day's booking beside a child still escalates."""
    assert pipeline.run("1", "Jajan anak SD zaman now 10rb sehari kurang ya bund? 😅").decision.action is Action.ALLOW
    child = pipeline.run("2", "abg 15 ready dibooking harian, 1jt per hari")
    assert child.decision.action is Action.ESCALATE_CHILD_SAFETY, _explain(child)
