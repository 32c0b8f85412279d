"""``pantau demo``: a simulated week of a nearby feed over Kota Malang, run through the real service.

Everything here is invented: display names, account ids (``demo-acc-000123``), handles
(``@demo_…``) and texts are generated from templates with variation; no real person, phone number
or profile is used. Coordinates are sampled around the shipped kelurahan centroids, with a hotspot
of offers around Tlogomas (``35.73.05.1003``) and its neighbours in Lowokwaru.

The events go through exactly what the API uses — ``ingest_batch`` with the default pipeline, the
region index built from the database, the audit log, cases, automatic actions and the webhook
outbox — in transactions of ``BATCH`` events. Then demo users are created (one per role, plus a
camat and a lurah) so that every view of the service can be tried with ``pantau serve``.

The simulated week is the last complete ISO week in WIB (Monday to Sunday), so the camat's and
lurah's views, which show whole weeks only, show all of it; each batch is decided at the simulated
time of its last event, so automatic actions fall in that week too.

Reruns: event ids carry the run number and the seed (``demo-r1-s3573-000042``). A data directory
that already holds a demo is left alone unless ``again`` is set, which adds another simulated week:
the week before the previous run's.
"""

from __future__ import annotations

import random
import re
import shlex
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from pantau.api.schemas import (
    EventIn,
    FieldReportEvent,
    ProfileEvent,
    StatusPostEvent,
    UserReportEvent,
)
from pantau.auth import Role, add_user
from pantau.config import Settings
from pantau.errors import InputError, PantauError
from pantau.ingest import ingest_batch
from pantau.pipeline import Pipeline
from pantau.regions import WIB, Centroid, children, lineage, load_centroids, region_name
from pantau.store.schema import ActionRecord, Case, ChildSafetyRecord, Event, RegionPolygon, User

DEFAULT_EVENTS = 5000
DEFAULT_SEED = 3573
MIN_EVENTS = 100
BATCH = 500
ACTOR = "cli:demo"
TLOGOMAS, LOWOKWARU, KLOJEN = "35.73.05.1003", "35.73.05", "35.73.02"
#: Where the shared boundary files usually live, relative to the project (or the working directory).
SHARED_GEOJSON = Path("shared") / "data" / "wilayah-boundaries" / "geojson"
#: The Kota Malang kelurahan file among them (``kota_malang_3573_desakel.geojson``).
KELURAHAN_GLOB = "*3573*desakel*.geojson"
_ID = re.compile(r"^demo-r(\d+)-s(\d+)-\d+$")

Intent = Literal["ordinary", "quiet", "offer", "child", "report", "field"]
Progress = Callable[[int, int], None]


class DemoExists(PantauError):
    """The database already holds a demo and ``again`` was not given."""


# -- the users ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    name: str
    role: Role
    regions: tuple[str, ...] = ()
    note: str = ""


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("demo-platform", Role.PLATFORM, note="sends events (POST /v1/events), files appeals"),
    DemoUser("demo-moderator-rina", Role.MODERATOR, note="review queue, cases, decisions"),
    DemoUser("demo-moderator-budi", Role.MODERATOR, note="a second reviewer: decides appeals on Rina's actions"),
    DemoUser("demo-child-safety", Role.CHILD_SAFETY_OFFICER, note="child-safety escalations, referral packages"),
    DemoUser("demo-admin", Role.ADMIN, note="everything a reviewer may, plus the audit log"),
    DemoUser("demo-auditor", Role.AUDITOR, note="the audit log, read-only"),
    DemoUser("demo-camat-lowokwaru", Role.REGIONAL_OFFICIAL, (LOWOKWARU,), "aggregates for Lowokwaru only"),
    DemoUser("demo-lurah-tlogomas", Role.REGIONAL_OFFICIAL, (TLOGOMAS,), "aggregates for Tlogomas only"),
    DemoUser("demo-camat-klojen", Role.REGIONAL_OFFICIAL, (KLOJEN,), "aggregates for Klojen only"),
)


# -- vocabulary (all invented or public place names) ------------------------------------------------------

WOMEN = ["Putri", "Dewi", "Sari", "Nanda", "Ayu", "Rina", "Dinda", "Salsa", "Nabila", "Aulia", "Intan", "Maya",
         "Citra", "Fitri", "Lestari", "Wulan", "Anisa", "Vina", "Tiara", "Rani", "Indah", "Yuni", "Novi", "Laras"]
MEN = ["Andi", "Bayu", "Rizky", "Fajar", "Dimas", "Arif", "Yoga", "Eko", "Hendra", "Wahyu", "Agus", "Bagus",
       "Ilham", "Rendi", "Galih", "Dony", "Teguh", "Aldi", "Reza", "Fikri", "Yusuf", "Adit", "Hakim", "Bima"]
SOFT_NAMES = ["Sasa", "Cici", "Bella", "Cindy", "Jessi", "Mimi", "Lala", "Keke", "Nana", "Vivi", "Tasya", "Mey",
              "Rara", "Chika", "Nindy", "Angel", "Manda", "Luna"]
FLOWERS = ["Rose", "Melati", "Lily", "Anggrek", "Tulip", "Sakura", "Dahlia"]
AREAS = ["Dinoyo", "Sumbersari", "Soehat", "Sigura-gura", "Tlogomas", "Merjosari", "Klojen", "Sawojajar", "Blimbing",
         "Sukun", "Kayutangan", "Ijen", "Kedungkandang", "Tidar", "Jatimulyo", "Borobudur", "Tunjungsekar", "Gadang"]
OFFER_AREAS = ["Tlogomas", "Dinoyo", "Merjosari", "Suhat", "Sigura-gura", "Sumbersari", "Lowokwaru", "Malang kota",
               "dekat kampus", "Malang"]
PLACES = ["Alun-alun Tugu", "Kayutangan Heritage", "Matos", "MOG", "taman Merbabu", "CFD Ijen", "warkop dekat kampus",
          "Pasar Besar", "Stadion Gajayana", "Taman Trunojoyo", "Soekarno-Hatta", "Splendid", "Taman Singha Merjosari"]
CAMPUSES = ["UB", "UMM", "UIN", "Polinema", "UM", "Unisma", "ITN"]
HOMETOWNS = ["Blitar", "Kediri", "Tulungagung", "Pasuruan", "Probolinggo", "Jember", "Banyuwangi", "Lumajang",
             "Madiun", "Ngawi", "Bojonegoro", "Trenggalek", "Batu", "Surabaya"]
FOODS = ["bakso", "cwie mie", "rawon", "nasi goreng", "tahu campur", "pecel", "orem-orem", "cilok", "seblak",
         "mie ayam", "soto ayam", "lalapan", "tahu telor", "sate kelinci", "ronde", "angsle"]
GOODS = ["motor Beat 2019", "laptop Asus bekas", "kulkas 1 pintu", "sepeda lipat", "HP Redmi Note 11 minus lecet",
         "meja belajar lipat", "rice cooker", "kasur busa 120", "buku kuliah semester 3", "helm KYT",
         "kipas angin", "gitar akustik", "printer Epson L3110"]
PRODUCTS = ["gamis lebaran", "kaos Arema", "hijab voal", "sambal bawang", "keripik tempe", "kue kering", "totebag",
            "sepatu lokal", "skincare ori"]
RIVALS = ["Persebaya", "Persib", "PSS", "Persija", "Bali United", "PSIS", "Madura United"]
LOWOKWARU_STREETS = ["Jl. Raya Tlogomas", "Jl. MT Haryono", "Jl. Sigura-gura", "Jl. Gajayana", "Jl. Bendungan Sutami",
                     "Jl. Soekarno-Hatta", "Jl. Kalpataru", "Jl. Joyo Agung", "Jl. Sumbersari"]
EMOJI = ["😂", "🙏", "☀️", "✨", "😴", "🔥", "💙", "🤣", "😅", "🥲", "🌧️", "☕", "🙂", ""]
OFFER_EMOJI = ["🍒", "💋", "🔥", "😘", "💦", "🌹", "✨", ""]

ORDINARY: list[str] = [
    # everyday
    "Selamat pagi Malang {emoji}", "met pagi semua, semangat kerjanya {emoji}", "otw {campus}, {area} macet parah",
    "hujan deres di {area}, mager keluar kos {emoji}", "ada yang mau ngopi di {place} nanti malam?",
    "nyari temen jogging pagi di {place}, hari minggu", "lagi pengen {food}, ada rekomendasi di sekitar {area}?",
    "capek banget abis praktikum, besok UTS lagi", "tugas numpuk, dosen minta revisi lagi {emoji}",
    "alhamdulillah sidang skripsi lancar {emoji}", "kangen rumah, pengen pulang ke {town}",
    "Malang dingin banget malam ini brrr", "osi ngopi, sam? ayas nang {place}", "nakam {food} sek, lur",
    "wes ngantuk, turu sek {emoji}", "ada yang kehilangan kucing oren di sekitar {area}? ketemu depan masjid",
    "dompet ketinggalan di angkot AL, kalau nemu tolong kabari ya {emoji}", "listrik padam lagi di {area} 😩",
    "butuh tebengan ke {town} hari sabtu, patungan bensin", "baru pindah ke {area}, ada warung enak yang buka malam?",
    "yang kuliah di {campus} absen dong", "long time no see bro! kapan ngopi lagi?",
    "akhirnya gajian, traktir diri sendiri {food} {emoji}", "lagi antri di bank, lama banget",
    "motor mogok di {area}, ada bengkel yang buka?", "ada yang tau jadwal CFD Ijen minggu ini?",
    "Anakku baru masuk SMP, seneng banget liat dia pakai seragam baru", "jemput anak pulang sekolah, terus ke pasar",
    "Jumat berkah, jangan lupa sedekah {emoji}", "semoga hari ini lebih baik dari kemarin {emoji}",
    "Arema menang! Salam satu jiwa 💙", "nobar Arema vs {rival} di {place}, yuk rame-rame",
    "cari teman mabar ML, rank epic ke atas", "cari teman ngobrol aja, bukan cewek BO ya",
    "Hati-hati modus open BO di aplikasi, banyak penipuan minta DP duluan",
    "Polresta Malang Kota razia kos di {area}, beberapa pasangan diamankan",
    "lowongan barista di {area}, min SMA, chat aja",
    # commerce and services
    "Open PO {product}, ready stock juga. COD area {area} ya kak",
    "Jual {goods}, kondisi mulus, nego tipis. COD {area}",
    "Ready {food} {price}rb, bisa antar sekitar {area}", "Laundry kiloan {small}rb/kg, antar jemput area {area}",
    "Thrift jaket & kemeja mulai {price}rb, cek highlight ya",
    "Catering harian anak kos {price}rb/porsi, menu ganti tiap hari",
    "Jasa servis laptop & install ulang, bisa panggilan ke kos", "MUA wisuda & lamaran, open booking jadwal {month}",
    "Pijat refleksi & pijat bayi panggilan, terapis bersertifikat. {price3}rb/jam",
    "Sewa kamera mirrorless {price3}rb/hari, jaminan KTP", "Open jastip {place}, fee {small}rb/item",
    "les privat matematika SD-SMP, datang ke rumah, {price}rb/pertemuan", "Jual {product} homemade, pesan H-1 ya kak",
    "Bengkel motor panggilan area {area}, tambal ban & ganti oli", "terima jahit & permak baju, murah, {area}",
    # kos
    "Kos putri dekat {campus}, {kos}rb/bulan, wifi + listrik, kamar mandi dalam",
    "Dicari teman sekamar kos area {area}, {kos}rb/bulan dibagi dua", "Info kos putra murah daerah {area} dong",
    "Kontrakan 2 kamar di {area}, {big} jt/tahun, bisa nego",
    # jokes and greetings
    "kalau jodoh gak ke mana, kalau gak jodoh ya ke mana-mana {emoji}", "dompet tipis tapi semangat tebal",
    "aku tuh bukan malas, cuma hemat energi {emoji}", "tanggal tua, makan indomie lagi {emoji}",
    "yang bilang Malang dingin belum pernah ke kosku jam 1 siang", "single tapi bahagia, katanya {emoji}",
    "halo {area}, salam kenal {emoji}", "cari teman ngobrol yang asik, no SARA", "ngopi dulu biar gak salah paham ☕",
    "hidup itu kayak cilok, kadang pedes tapi tetep dinikmati", "kerja keras bagai kuda, gaji bagai kuda lumping",
    "rencana diet gagal gara-gara {food}", "kata ibu, jangan pulang malam-malam. yaudah pulang pagi {emoji}",
]
#: Legitimate texts close to what offers use (prices, rooms, "ready", floors, schools): 5 % of ordinary posts.
LOOKALIKES: list[str] = [
    "ketemuan di MOG LT 2 depan foodcourt ya", "ada yang mau bareng ke stasiun Malang Kota Baru jam 5?",
    "staycation di hotel daerah Ijen, ada rekomendasi yang murah?", "open jasa desain logo & edit foto, fast respon",
    "Pijat tradisional & kerokan, panggilan ke rumah area {area}, {price3}rb",
    "ready nasi kotak buat acara, min order 20",
    "adekku kelas 3 SMP minta diajarin matematika, ada yang bisa les privat?", "dicari kos pasutri area {area}",
    "open reseller {product}, untung lumayan", "mau tukar jadwal shift malam, ada yang bisa?",
    "yang semalam nemu kunci motor di {place}, hubungi aku ya", "lagi nyari guru les SD buat ponakan, area {area}",
    "Kajian rutin malam Jumat di masjid {area}, terbuka untuk umum", "donor darah di {place} sabtu ini, yuk ikut",
    "rental PS5 {price}rb/jam, bisa dibawa pulang, area {area}", "Ready durian montong, manis legit, {price}rb/kg",
    "Malam minggu sepi, ada yang mau nemenin ngopi?", "kucing persia betina ready adopsi, sudah vaksin",
    "Spa & creambath khusus wanita, promo akhir bulan, {area}", "full senyum hari ini, gajian + libur {emoji}",
]
#: Jokes that mention an offer to deny it: rare (0.1 % of ordinary posts).
JOKES: list[str] = ["open BO? bukan, open bimbel online 😂 les SD-SMA",
                    "bukan cewek BO ya, aku cuma cari teman ngobrol",
                    "yang nanya open BO, maaf salah orang, aku jualan {food}"]

OPEN_BO = ["open BO", "Open BO", "OPEN BO", "0p3n BO", "o.p.e.n b-o", "0pen b0", "open 𝐁𝐎", "𝐨𝐩𝐞𝐧 𝐁𝐎",
           "opeeen BOOO", "open b.o", "bee oo", "ready BO", "openbo", "op3n b0", "O P E N  B O", "open booking",
           "ᴏᴘᴇɴ ʙᴏ", "opn bo"]
ROOMS = ["include room", "exclude room", "in room", "room sendiri", "bisa ke hotel", "ex room", "incall/outcall", ""]
PAY = ["no DP", "cash di tempat", "no tipu", "bayar di tempat", "anti php", "no DP no tipu", ""]
CONTACT = ["WA di bio", "chat aja kak", "minat PC", "langsung chat", "serius only", "tele @{handle}", "cek bio",
           "yang serius aja", "japri ya"]

OFFERS: list[str] = [
    "{ready} {bo} kak, {stlt} {room}. {contact}", "{bo} {where}, {pay}, {contact}",
    "{soft} {bo} malam ini {oemoji} {stlt} {contact}", "yang mau ditemenin malam ini, {stlt} {room} {where}",
    "Open slot hari ini {oemoji} {stlt}, {room}, {pay}", "{bo} {oemoji} {where} {stlt} {contact}",
    "avail malam ini {where}, {stlt}, {room}", "{bo} {st}k aja kak, {room}, {pay}",
    "VCS {p}k / {minutes} menit, pap dulu baru tf", "ᴠᴄꜱ {p}k {minutes} menit, {contact}",
    "vi si es {p}k, jual konten juga, {contact}", "open VCS + PAP, {p}rb, no tipu {oemoji}",
    "jual konten pribadi, {p}k dapet {n} video, {contact}", "open vcs sama sexting, bayar via dana, {contact}",
    "Mami punya stok cewek baru, bisa pilih foto, antar ke hotel. Admin fee {fee}rb",
    "Ready {n} talent malam ini area {oarea}, pilih foto dulu, booking lewat admin tele @{handle}",
    "Agency {flower}: cewek 20an, {stlt}, antar jemput hotel {where}",
    "Pijat plus ++ terapis muda, panggilan hotel & kos {where}", "teman tidur malam ini, {stlt}, bisa nginep",
    "cari sugar daddy serius, bisa nginep, {contact}", "spa khusus pria, terapis bisa dipilih, {where} {oemoji}",
]
CHILD_OFFERS: list[str] = [
    "dedek {age}th masih SMP, ready ST {st}", "ada adek gemes kelas {grade} SMA, bisa LT, antar ke hotel. {contact}",
    "abg {age} tahun masih perawan, {bo} {bp}k", "masih sekolah, butuh uang jajan, {bo} ST aja {where}",
    "stok baru masih SMP, mami antar ke hotel, {stlt}",
]
REPORTS_OFFER = [
    ("solicitation", "min tolong diblokir akun ini, dia nawarin BO ke aku terus"),
    ("solicitation", "akun ini spam nawarin VCS berbayar di sekitar"),
    ("solicitation", "profilnya jualan konten dewasa"), ("scam", "dia minta DP terus ngilang, penipuan"),
    ("solicitation", "dia chat aku nawarin ST/LT, aku gak minat, tolong ditindak"), ("spam", "spam terus di nearby"),
]
REPORTS_CHILD = [("minor", "kayaknya yang ditawarin masih anak sekolah, tolong segera dicek"),
                 ("minor", "akun ini nawarin anak SMP, tolong diblokir")]
REPORTS_ORDINARY = [("fake_profile", "akun palsu pakai foto orang lain"), ("harassment", "ngirim pesan kasar terus"),
                    ("spam", "spam jualan terus di sekitar"), ("other", "orangnya nyebelin"),
                    ("scam", "jualan barang tapi gak dikirim-kirim")]
FIELD_REPORTS = [
    "Warga melaporkan kos di sekitar {street} dipakai transaksi open BO, tamu keluar masuk malam hari",
    "Patroli malam: beberapa akun di aplikasi menawarkan ST/LT di sekitar kampus, memakai penginapan harian",
    "Pengelola kos melaporkan penghuni baru sering menerima tamu berbeda tiap malam",
    "Hasil pemantauan: iklan pijat plus beredar di grup warga, lokasi di sekitar {street}",
    "Ketua RT menerima keluhan soal tamu laki-laki yang datang bergantian ke satu rumah kontrakan",
]
FIELD_REPORTS_CHILD = [
    "Laporan Tim PPA: dugaan anak usia SMP ditawarkan lewat aplikasi di area {kel}, perlu ditindaklanjuti",
]

#: Where offers cluster: Tlogomas and its neighbours carry most of the weight.
OFFER_WEIGHTS = {TLOGOMAS: 30.0, "35.73.05.1002": 9.0, "35.73.05.1004": 9.0, "35.73.05.1001": 5.0,
                 "35.73.05.1006": 5.0, "35.73.05.1005": 5.0, "35.73.05.1007": 3.0, "35.73.04.1009": 2.0}
#: Everyday activity: busier in the campus kecamatan (Lowokwaru) and the centre (Klojen).
KECAMATAN_ACTIVITY = {"35.73.01": 1.0, "35.73.02": 1.3, "35.73.03": 0.9, "35.73.04": 1.0, "35.73.05": 1.4}
HOURS_ORDINARY = [1, .5, .3, .3, .5, 1.5, 3, 4, 4, 3.5, 3, 3, 3.5, 3, 3, 3, 3.5, 4, 4.5, 5, 5, 4.5, 3.5, 2]
HOURS_OFFER = [4, 3.5, 2.5, 1.5, .8, .4, .3, .3, .5, .7, 1, 1.2, 1.5, 1.5, 1.5, 1.5, 2, 2.5, 3, 4, 5, 5.5, 5.5, 5]
ABBREVIATIONS = [("yang", "yg"), ("tidak", "gak"), ("banget", "bgt"), ("kakak", "kak"), ("sudah", "udah"),
                 ("dulu", "dlu"), ("aja", "aj"), ("malam", "mlm"), ("sekarang", "skrg"), ("dekat", "dkt")]


# -- generation ---------------------------------------------------------------------------------------------


@dataclass
class _Account:
    id: str
    kind: Literal["ordinary", "offer", "child"]
    home: Centroid
    display_name: str
    handle: str
    declared_age: int | None
    account_age_days: int
    activity: float = 1.0
    posts: int = 1
    times: list[datetime] = field(default_factory=list)


@dataclass(frozen=True)
class _Planned:
    at: datetime
    intent: Intent
    body: dict[str, Any]


def _fill(rng: random.Random, template: str, extra: dict[str, Any] | None = None) -> str:
    st = rng.choice([150, 200, 250, 300, 350, 400, 500])
    values: dict[str, Any] = {
        "emoji": rng.choice(EMOJI), "oemoji": rng.choice(OFFER_EMOJI), "area": rng.choice(AREAS),
        "oarea": rng.choice(OFFER_AREAS), "place": rng.choice(PLACES), "campus": rng.choice(CAMPUSES),
        "town": rng.choice(HOMETOWNS), "food": rng.choice(FOODS), "goods": rng.choice(GOODS),
        "product": rng.choice(PRODUCTS), "rival": rng.choice(RIVALS), "price": rng.choice([10, 12, 15, 20, 25, 35]),
        "small": rng.choice([5, 6, 7]), "price3": rng.choice([80, 100, 120, 150]),
        "kos": rng.choice(range(450, 1300, 50)),
        "big": rng.choice([8, 10, 12, 15]), "month": rng.choice(["Desember", "Januari", "Februari", "Maret"]),
        "bo": rng.choice(OPEN_BO), "ready": rng.choice(["Ready", "ready", "Avail", "masih ready", "ready kak", ""]),
        "st": st, "p": rng.choice([50, 75, 100, 150, 200]), "minutes": rng.choice([10, 15, 20, 30]),
        "n": rng.choice([3, 4, 5, 8, 10]), "bp": rng.choice([500, 700, 1000]), "fee": rng.choice([30, 50, 100]),
        "flower": rng.choice(FLOWERS),
        "soft": rng.choice(SOFT_NAMES), "room": rng.choice(ROOMS), "pay": rng.choice(PAY),
        "where": rng.choice(["area {oarea}", "sekitar kampus", "daerah {oarea}", "{oarea} dan sekitarnya", ""]),
        "age": rng.choice([14, 15, 16, 17]), "grade": rng.choice([1, 2]), "street": rng.choice(LOWOKWARU_STREETS),
        "handle": "demo_" + rng.choice(SOFT_NAMES).lower() + str(rng.randint(1, 99)),
    }
    lt = st * rng.choice([2, 3]) + rng.choice([0, 50, 100])
    values["stlt"] = rng.choice([f"ST {st} LT {lt}", f"ST {st}k / LT {lt}k", f"short time {st}, long time {lt}",
                                 f"st {st}rb lt {lt}rb", f"ST {st} aja", f"LT {lt} full night", f"ST/LT {st}-{lt}"])
    values["contact"] = rng.choice(CONTACT)
    values.update(extra or {})
    text = template
    for _ in range(3):  # slots may hold slots ("{where}" → "area {oarea}", "{contact}" → "tele @{handle}")
        text = text.format(**values) if "{" in text else text
    return " ".join(text.split())


def _vary(rng: random.Random, text: str, *, offer: bool = False) -> str:
    """Surface variation: chat abbreviations, case, stretched letters, laughter, emoji."""
    if rng.random() < 0.35:
        for long, short in ABBREVIATIONS:
            if rng.random() < 0.6:
                text = re.sub(rf"\b{long}\b", short, text)
    r = rng.random()
    if r < 0.25:
        text = text.lower()
    elif r < 0.30 and not offer:
        text = text.upper()
    if rng.random() < 0.1:
        text = re.sub(r"([aiueo])(\b)", lambda m: m.group(1) * rng.randint(2, 4) + m.group(2), text, count=1)
    if not offer and rng.random() < 0.12:
        text += " " + rng.choice(["wkwk", "wkwkwk", "hehe", "hahaha", "😂", "🙏", "cmiiw", "ges"])
    if offer and rng.random() < 0.3:
        text += " " + rng.choice(OFFER_EMOJI)
    return text.strip()


def _display_name(rng: random.Random, kind: str) -> str:
    if kind != "ordinary":
        soft = rng.choice(SOFT_NAMES)
        return rng.choice([f"{soft} Ready", f"{soft} {rng.choice(OFFER_EMOJI)}", f"Mami {rng.choice(FLOWERS)}",
                           f"{soft} VCS", "Bunga Malam", f"{soft} Mlg", f"{soft}{rng.randint(1, 99)}", soft]).strip()
    name = rng.choice(WOMEN + MEN)
    return rng.choice([name, f"{name} {rng.choice(EMOJI)}", f"{name.lower()}_mlg", f"Sam {name}",
                       f"{name}{rng.randint(1, 99)}",
                       f"mas {name}" if name in MEN else f"mbak {name}", f"{name} ✨", "kera ngalam",
                       f"anak kos {rng.choice(AREAS)}", name.upper()]).strip()


def week_end(moment: datetime, run: int = 1) -> datetime:
    """The end of run ``run``'s simulated week: Monday 00:00 WIB of the week holding ``moment`` (the
    end of the last complete week), one week earlier for each run after the first."""
    local = moment.astimezone(WIB).date()
    monday = local - timedelta(days=local.weekday(), weeks=run - 1)
    return datetime(monday.year, monday.month, monday.day, tzinfo=WIB).astimezone(UTC)


def _sample_time(rng: random.Random, now: datetime, hours: Sequence[float]) -> datetime:
    local_now = now.astimezone(WIB)
    start = now - timedelta(days=7)
    while True:
        day = local_now.date() - timedelta(days=rng.randrange(8))
        hour = rng.choices(range(24), weights=hours)[0]
        at = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=WIB)
        if start < at < now - timedelta(minutes=1):
            return at


def _jitter(rng: random.Random, c: Centroid, sigma: float = 0.0025) -> dict[str, float]:
    return {"lat": round(c.lat + rng.gauss(0, sigma), 5), "lon": round(c.lon + rng.gauss(0, sigma), 5)}


def _where(rng: random.Random, home: Centroid, *, profile: bool) -> dict[str, Any]:
    """Mostly a coordinate near home; some events only carry a region code, a few nothing at all."""
    r = rng.random()
    if r < 0.85:
        return {"location": _jitter(rng, home, 0.0025 if profile else 0.004)}
    if r < 0.95:
        return {"region_code": home.code if rng.random() < 0.6 else home.code.rsplit(".", 1)[0]}
    return {}


def account_id(seed: int, i: int) -> str:
    """``demo-acc-000123`` for the default seed; other seeds get their own namespace so personas never mix."""
    return f"demo-acc-{i:06d}" if seed == DEFAULT_SEED else f"demo-acc-s{seed}-{i:06d}"


def _persona(seed: int, i: int, kind: Literal["ordinary", "offer", "child"], centroids: Sequence[Centroid],
             by_code: dict[str, Centroid]) -> _Account:
    """Account ``i`` of a seed's stream: the same person whatever the number of events or the run."""
    r = random.Random(f"pantau-demo:{seed}:account:{i}")
    if kind == "child":
        home = by_code[r.choice([TLOGOMAS, TLOGOMAS, "35.73.05.1002", "35.73.05.1004"])]
        age: int | None = r.choice([15, 16, None])
    elif kind == "offer":
        rest = [c.code for c in centroids if c.code not in OFFER_WEIGHTS]
        codes = [*OFFER_WEIGHTS, *rest]
        weights = [*OFFER_WEIGHTS.values(), *([0.45] * len(rest))]  # a few offers all over the city
        home = by_code[r.choices(codes, weights=weights)[0]]
        age = r.randint(19, 30) if r.random() < 0.4 else None
    else:
        home = r.choices(centroids, weights=[KECAMATAN_ACTIVITY.get(c.code.rsplit(".", 1)[0], 1.0)
                                             for c in centroids])[0]
        age = r.randint(18, 45) if r.random() < 0.4 else None
    new = kind != "ordinary"
    return _Account(id=account_id(seed, i), kind=kind, home=home, display_name=_display_name(r, kind),
                    handle=f"demo_{r.choice(SOFT_NAMES).lower()}{r.randint(1, 999)}", declared_age=age,
                    account_age_days=r.randint(0, 14) if new else r.randint(3, 1500),
                    activity=r.paretovariate(1.6 if kind == "ordinary" else 2.0))


def _accounts(seed: int, rng: random.Random, n_events: int, centroids: Sequence[Centroid]
              ) -> tuple[list[_Account], int, int]:
    """Accounts from the seed's stream, as many as ``n_events`` needs, with their post counts for this run.

    Returns (accounts, user reports, field reports) — the last two are counts still to be made.
    """
    by_code = {c.code: c for c in centroids}
    child_events = max(3, n_events // 800)
    offer_events = round(n_events * 0.075)
    reports, fields = round(n_events * 0.02), min(12, max(3, round(n_events * 0.002)))
    ordinary_events = n_events - offer_events - child_events - reports - fields
    want_offer, want_ordinary = max(1, round(offer_events / 3)), max(1, round(ordinary_events / 2.4))

    slots = random.Random(f"pantau-demo:{seed}:child-slots")
    child_slots = {slots.randrange(2, 30), slots.randrange(30, 250)}
    nxt = max(child_slots)
    while nxt < 10 * n_events:
        nxt += slots.randrange(400, 900)
        child_slots.add(nxt)
    kinds = random.Random(f"pantau-demo:{seed}:kinds")
    accounts: list[_Account] = []
    count: Counter[str] = Counter()
    i = 0
    while count["offer"] < want_offer or count["ordinary"] < want_ordinary or count["child"] < 1:
        i += 1
        draw = kinds.random()  # drawn for every position, so the stream does not depend on what is kept
        kind: Literal["ordinary", "offer", "child"] = (
            "child" if i in child_slots else "offer" if draw < 0.06 else "ordinary")
        accounts.append(_persona(seed, i, kind, centroids, by_code))
        count[kind] += 1

    def spread(group: list[_Account], total: int) -> None:
        """Each account posts at least once; the remaining posts go to busy accounts more than to others."""
        for j in rng.choices(range(len(group)), weights=[a.activity for a in group], k=max(0, total - len(group))):
            group[j].posts += 1

    for kind, total in (("child", child_events), ("offer", offer_events), ("ordinary", ordinary_events)):
        spread([a for a in accounts if a.kind == kind], total)
    return accounts, reports, fields


def _text_for(rng: random.Random, account: _Account, first: bool) -> tuple[str, Intent]:
    if account.kind == "child":
        if first and account.declared_age is not None:
            return _vary(rng, _fill(rng, "{bo} {stlt} {where}"), offer=True), "child"
        return _vary(rng, _fill(rng, rng.choice(CHILD_OFFERS)), offer=True), "child"
    if account.kind == "offer":
        if first and rng.random() < 0.15:  # a harmless profile, the offers come in the posts
            quiet = rng.choice(["halo {area} {emoji}", "cari teman ngobrol {emoji}", "{emoji}"])
            return _vary(rng, _fill(rng, quiet)), "quiet"
        return _vary(rng, _fill(rng, rng.choice(OFFERS), {"handle": account.handle}), offer=True), "offer"
    r = rng.random()
    pool = JOKES if r < 0.001 else LOOKALIKES if r < 0.051 else ORDINARY
    return _vary(rng, _fill(rng, rng.choice(pool))), "ordinary"


def simulate(n_events: int, seed: int, run: int, now: datetime,
             centroids: Sequence[Centroid] | None = None) -> list[_Planned]:
    """The simulated week: planned events (not yet validated), in time order.

    Accounts come from a stream fixed by ``seed`` (account 123 is the same person whatever
    ``n_events`` or the run), so a second run sees the same people a week on; which of them post,
    how often, what and when depends on ``seed``, ``n_events`` and ``run``.
    """
    centroids = list(centroids or load_centroids())
    rng = random.Random(f"pantau-demo:{seed}:{n_events}:run{run}")
    accounts, n_reports, n_fields = _accounts(seed, rng, n_events, centroids)
    planned: list[_Planned] = []
    for account in accounts:
        hours = HOURS_ORDINARY if account.kind == "ordinary" else HOURS_OFFER
        account.times = sorted(_sample_time(rng, now, hours) for _ in range(account.posts))
        for i, at in enumerate(account.times):
            text, intent = _text_for(rng, account, first=i == 0)
            body: dict[str, Any] = {"occurred_at": at.isoformat(), "account_id": account.id,
                                    **_where(rng, account.home, profile=i == 0)}
            if i == 0:
                body.update(kind="profile", display_name=account.display_name, status=text,
                            account_age_days=account.account_age_days)
                if account.declared_age is not None:
                    body["declared_age"] = account.declared_age
            else:
                body.update(kind="status_post", text=text)
            planned.append(_Planned(at, intent, body))

    ordinary = [a for a in accounts if a.kind == "ordinary"]
    flagged = [a for a in accounts if a.kind != "ordinary"]
    for _ in range(n_reports):
        reporter = rng.choice(ordinary)
        r = rng.random()
        if r < 0.65 and flagged:
            target = rng.choices(flagged, weights=[a.posts for a in flagged])[0]
            reason, text = rng.choice(REPORTS_CHILD if target.kind == "child" and rng.random() < 0.6 else REPORTS_OFFER)
        else:
            target = rng.choice(ordinary)
            reason, text = rng.choice(REPORTS_ORDINARY)
        seen = rng.choice(target.times)
        at = min(seen + timedelta(minutes=rng.randint(5, 720)), now - timedelta(minutes=1))
        planned.append(_Planned(at, "report", {
            "kind": "user_report", "occurred_at": at.isoformat(), "reporter_id": reporter.id,
            "reported_account_id": target.id, "reason": reason, "text": _vary(rng, text)}))

    by_code = {c.code: c for c in centroids}
    for i in range(n_fields):
        child_case = i == 0
        code = TLOGOMAS if child_case or rng.random() < 0.5 else rng.choices(
            list(OFFER_WEIGHTS), weights=list(OFFER_WEIGHTS.values()))[0]
        if rng.random() < 0.2 and not child_case:
            code = rng.choice(centroids).code
        kel = by_code[code].name
        text = _fill(rng, rng.choice(FIELD_REPORTS_CHILD if child_case else FIELD_REPORTS), {"kel": kel})
        at = _sample_time(rng, now, HOURS_ORDINARY)
        planned.append(_Planned(at, "field", {
            "kind": "field_report", "occurred_at": at.isoformat(), "text": text, "region_code": code,
            "place": f"{rng.choice(LOWOKWARU_STREETS) if code.startswith(LOWOKWARU) else 'sekitar kelurahan'}, {kel}"}))
    planned.sort(key=lambda p: p.at)
    return planned


_MODELS: dict[str, type[ProfileEvent | StatusPostEvent | UserReportEvent | FieldReportEvent]] = {
    "profile": ProfileEvent, "status_post": StatusPostEvent, "user_report": UserReportEvent,
    "field_report": FieldReportEvent,
}


def to_events(planned: Sequence[_Planned], seed: int, run: int) -> list[EventIn]:
    """Validated API models with ids ``demo-r<run>-s<seed>-<n>``, exactly as the API would receive them."""
    return [_MODELS[p.body["kind"]].model_validate({"event_id": f"demo-r{run}-s{seed}-{i:06d}", **p.body})
            for i, p in enumerate(planned)]


# -- running it ---------------------------------------------------------------------------------------------


@dataclass
class DemoReport:
    run: int
    seed: int
    data_dir: Path | None
    database: str
    serve: str
    start: datetime
    end: datetime
    boundaries: str
    seconds: float = 0.0
    events_by_kind: Counter[str] = field(default_factory=Counter)
    intents: Counter[str] = field(default_factory=Counter)
    decisions: Counter[str] = field(default_factory=Counter)
    by_intent: dict[str, Counter[str]] = field(default_factory=dict)
    detected: int = 0
    offers_by_kecamatan: Counter[str] = field(default_factory=Counter)
    cases_opened: int = 0
    child_safety_records: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    users: list[tuple[DemoUser, str | None]] = field(default_factory=list)
    examples: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    camat_view: list[tuple[str, str]] = field(default_factory=list)


def find_kelurahan_geojson(extra: Sequence[Path] = ()) -> Path | None:
    """The shared Kota Malang kelurahan boundaries (``kota_malang_3573_desakel.geojson``), if present."""
    project = Path(__file__).resolve().parents[2]
    folders = (*extra, project.parent / SHARED_GEOJSON, Path.cwd().parent / SHARED_GEOJSON, Path.cwd() / SHARED_GEOJSON)
    for folder in folders:
        if folder.is_dir():
            found = sorted(folder.glob(KELURAHAN_GLOB))
            if found:
                return found[0]
    return None


def previous_runs(session: Session) -> dict[int, int]:
    """Demo runs already in the database: run number → events."""
    runs: Counter[int] = Counter()
    for event_id in session.execute(select(Event.event_id).where(Event.event_id.like("demo-r%"))).scalars():
        m = _ID.match(event_id)
        if m:
            runs[int(m.group(1))] += 1
    return dict(runs)


def _counts(session: Session) -> tuple[int, int, Counter[str]]:
    cases = session.execute(select(func.count(Case.id))).scalar_one()
    child = session.execute(select(func.count(ChildSafetyRecord.id))).scalar_one()
    rows = session.execute(select(ActionRecord.type, func.count(ActionRecord.id)).group_by(ActionRecord.type))
    actions = Counter({kind: int(n) for kind, n in rows})
    return int(cases), int(child), actions


def _ensure_users(session: Session) -> list[tuple[DemoUser, str | None]]:
    existing = set(session.execute(select(User.name)).scalars())
    return [(u, None if u.name in existing else add_user(session, u.name, u.role, list(u.regions)))
            for u in DEMO_USERS]


def run_demo(settings: Settings, *, events: int = DEFAULT_EVENTS, seed: int = DEFAULT_SEED,
             boundaries: Path | None = None, find_boundaries: bool = True, again: bool = False,
             allow_server_database: bool = False, pipeline: Pipeline | None = None,
             progress: Progress | None = None, now: datetime | None = None) -> DemoReport:
    """Fill the database with a simulated week and the demo users; see the module docstring.

    ``settings`` must carry resolved secrets (``load_settings()``). Raises ``DemoExists`` when the
    database already holds a demo and ``again`` is false, and ``PantauError`` for a server
    database unless ``allow_server_database``.
    """
    from pantau.region_store import build_index, import_boundaries
    from pantau.stats import region_stats
    from pantau.store.db import make_engine, session_factory, transaction, upgrade
    from pantau.store.keys import check_hash_key

    if events < MIN_EVENTS:
        raise InputError(f"--events must be at least {MIN_EVENTS}")
    url = make_url(settings.url).render_as_string(hide_password=True)
    if not settings.embedded and not allow_server_database:
        raise PantauError(f"PANTAU_DATABASE_URL points to a server database ({url}); the demo would write thousands "
                          "of simulated events and demo users with tokens into it. Unset PANTAU_DATABASE_URL to use "
                          "the embedded database in PANTAU_DATA_DIR, or pass --yes if this database is for demos.")
    hash_key = settings.contact_key
    data_dir = settings.data_dir.resolve() if settings.embedded else None
    serve = ".venv/bin/pantau serve"
    if data_dir is not None and settings.data_dir != Settings.model_fields["data_dir"].default:
        serve = f"PANTAU_DATA_DIR={shlex.quote(str(data_dir))} {serve}"  # the server must find the same data
    started = time.monotonic()
    engine = make_engine(settings)
    sessions = session_factory(engine)
    try:
        upgrade(engine)
        check_hash_key(engine, hash_key, settings.hash_key_source)
        with transaction(sessions) as session:
            runs = previous_runs(session)
            if runs and not again:
                listed = ", ".join(f"run {r}: {n:,} events" for r, n in sorted(runs.items()))
                raise DemoExists(f"{data_dir or url} already has a demo ({listed}); nothing added. Pass --again to "
                                 f"add another simulated week, or start the service: {serve}")
            run = max(runs, default=0) + 1
            now = now or week_end(datetime.now(UTC), run)
            path = boundaries
            if path is None and find_boundaries and session.execute(
                    select(func.count()).select_from(RegionPolygon)).scalar_one() == 0:
                path = find_kelurahan_geojson()
            if path is not None:
                imported = import_boundaries(session, Path(path))
                where = f"{len(imported.accepted)} polygons imported from {path}"
                if imported.errors:
                    where += f" ({len(imported.errors)} features rejected)"
            else:
                stored = session.execute(select(func.count()).select_from(RegionPolygon)).scalar_one()
                where = (f"{stored} polygons already in the database" if stored else
                         "no polygons: region codes, then the nearest kelurahan centroid (approximate)")
            regions = build_index(session)
            before = _counts(session)

        report = DemoReport(run=run, seed=seed, data_dir=data_dir, database=url, serve=serve,
                            start=now - timedelta(days=7), end=now, boundaries=where)
        planned = simulate(events, seed, run, now)
        models = to_events(planned, seed, run)
        pipeline = pipeline or Pipeline.default()
        report.examples = {"ordinary_not_allowed": [], "offer_allowed": [], "child_not_escalated": []}
        for start in range(0, len(models), BATCH):
            chunk, plans = models[start:start + BATCH], planned[start:start + BATCH]
            decided = max(e.occurred_at for e in chunk) + timedelta(minutes=1)
            with transaction(sessions) as session:
                stored = ingest_batch(session, pipeline, chunk, ACTOR, hash_key, regions, now=min(decided, now))
                for plan, model, s in zip(plans, chunk, stored, strict=True):
                    r = s.record
                    _tally(report, plan, model, r["action"], r["solicitation"], r["kecamatan"], r["text"])
            if progress:
                progress(min(start + BATCH, len(models)), len(models))

        with transaction(sessions) as session:
            report.users = _ensure_users(session)
            after = _counts(session)
            report.cases_opened, report.child_safety_records = after[0] - before[0], after[1] - before[1]
            report.actions = after[2] - before[2]
            view = region_stats(session, LOWOKWARU, children(LOWOKWARU), report.start, report.end,
                                ancestors=lineage(LOWOKWARU), zone=WIB)
            report.camat_view = [(w["week"], w["accounts_detected"]["display"]) for w in view["weeks"]
                                 if w["accounts_detected"]["display"] != "0"]
    finally:
        engine.dispose()
    report.seconds = time.monotonic() - started
    return report


def _tally(report: DemoReport, plan: _Planned, model: EventIn, action: str, solicitation: bool,
           kecamatan: str | None, text: str) -> None:
    report.events_by_kind[model.kind] += 1
    report.intents[plan.intent] += 1
    report.decisions[action] += 1
    report.by_intent.setdefault(plan.intent, Counter())[action] += 1
    report.detected += solicitation
    if solicitation and plan.intent in ("offer", "child") and kecamatan:
        report.offers_by_kecamatan[kecamatan] += 1
    one_line = text.replace("\n", " / ")
    if plan.intent == "ordinary" and action != "allow":
        report.examples["ordinary_not_allowed"].append((action, one_line))
    elif plan.intent == "offer" and action == "allow":
        report.examples["offer_allowed"].append((action, one_line))
    elif plan.intent == "child" and action != "escalate_child_safety":
        report.examples["child_not_escalated"].append((action, one_line))


def render(report: DemoReport, *, host: str = "127.0.0.1", port: int = 8000, examples: int = 3) -> str:
    """What was generated, and where to look: for the terminal."""
    base = f"http://{host}:{port}"
    total = sum(report.events_by_kind.values())
    lines = [
        f"pantau demo, run {report.run} (seed {report.seed}): {total:,} simulated events over Kota Malang, "
        f"{report.start.astimezone(WIB):%a %d %b %H:%M} – {report.end.astimezone(WIB):%a %d %b %H:%M} WIB, "
        f"in {report.seconds:.1f} s",
        f"  storage: {report.data_dir or report.database}",
        f"  regions: {report.boundaries}",
        "",
        "Generated",
        "  events by kind: " + ", ".join(f"{k} {v:,}" for k, v in report.events_by_kind.most_common()),
        f"  written as:     ordinary {report.intents['ordinary']:,}, offers {report.intents['offer']:,}, "
        f"child cases {report.intents['child']:,} (minor + offer), offering accounts' plain profiles (quiet) "
        f"{report.intents['quiet']:,}, user reports {report.intents['report']:,}, "
        f"field reports {report.intents['field']:,}",
        "",
        "What pantau decided",
        "  decisions:      " + ", ".join(f"{k} {v:,}" for k, v in report.decisions.most_common()),
        f"  solicitation:   {report.detected:,} events",
    ]
    for intent in ("ordinary", "quiet", "offer", "child", "report", "field"):
        if intent in report.by_intent:
            decided = report.by_intent[intent].most_common()
            lines.append(f"    {intent:<9} → " + ", ".join(f"{k} {v:,}" for k, v in decided))
    if report.offers_by_kecamatan:
        shown = sum(report.offers_by_kecamatan.values())
        lines.append("  detected offers by kecamatan: " + ", ".join(
            f"{region_name(k)} {v:,} ({v / shown:.0%})" for k, v in report.offers_by_kecamatan.most_common()))
    lines += [
        f"  cases opened:   {report.cases_opened:,} "
        f"(child-safety escalations recorded: {report.child_safety_records:,})",
        "  actions:        " + (", ".join(f"{k} {v:,}" for k, v in report.actions.most_common()) or "none"),
    ]
    if report.camat_view:
        lines.append("  the camat of Lowokwaru sees, accounts detected per ISO week (k = 10): "
                     + ", ".join(f"{w}: {d}" for w, d in report.camat_view))
    for key, label in (("ordinary_not_allowed", "ordinary texts not allowed"),
                       ("offer_allowed", "offers allowed"), ("child_not_escalated", "child cases not escalated")):
        found = report.examples.get(key, [])
        if found:
            lines.append(f"  {label}: {len(found):,}, e.g.")
            lines += [f"    [{action}] {text[:100]}" for action, text in found[:examples]]
    lines += ["", "Where to look",
              f"  start the service:  {report.serve}" + (f" --host {host}" if host != "127.0.0.1" else "")
              + (f" --port {port}" if port != 8000 else ""),
              f"  web console:        {base}/console   (log in with one of the tokens below)",
              f"  API docs:           {base}/docs   (Authorize → paste a token)",
              f"  review queue:       curl -H 'Authorization: Bearer <moderator token>' {base}/v1/cases",
              f"  child safety:       curl -H 'Authorization: Bearer <child-safety token>' {base}/v1/child-safety",
              f"  regional figures:   curl -H 'Authorization: Bearer <camat Lowokwaru token>' "
              f"{base}/v1/regions/35.73.05/stats",
              f"                      {base}/v1/regions/35.73.05.1003/stats (lurah Tlogomas), "
              f"{base}/v1/regions/35.73.02/stats (camat Klojen)",
              "", "Tokens (DEMO CREDENTIALS — for this local demo only; never use them on a real deployment)"]
    for user, token in report.users:
        scope = f" {','.join(user.regions)}" if user.regions else ""
        shown_token = token or "(user existed already; its token was shown when it was created)"
        lines.append(f"  {user.role.value + scope:<34} {user.name:<22} {shown_token}")
        if user.note:
            lines.append(f"  {'':<34} {'':<22} ↳ {user.note}")
    return "\n".join(lines)
