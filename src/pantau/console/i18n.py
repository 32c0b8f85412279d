"""The console's words in Bahasa Indonesia (default) and English, and how a request picks one.

One table, one key per phrase: ``STRINGS[key] = (bahasa_indonesia, english)``. Wording is
respectful by policy: "pekerja seks", "anak korban eksploitasi"; a child is always a victim.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from starlette.requests import Request

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")
DEFAULT: Lang = "id"
COOKIE = "pantau_lang"

STRINGS: dict[str, tuple[str, str]] = {
    # frame
    "console": ("Konsol pantau", "pantau console"),
    "skip": ("Langsung ke isi", "Skip to content"),
    "nav": ("Navigasi utama", "Main navigation"),
    "lang_switch": ("English", "Bahasa Indonesia"),
    "logout": ("Keluar", "Log out"),
    "signed_in_as": ("Masuk sebagai", "Signed in as"),
    "nav_review": ("Antrean tinjauan", "Review queue"),
    "nav_appeals": ("Keberatan", "Appeals"),
    "nav_child_safety": ("Perlindungan anak", "Child safety"),
    "nav_region": ("Dasbor wilayah", "Regional dashboard"),
    "nav_admin": ("Admin", "Admin"),
    "nav_audit": ("Log audit", "Audit log"),
    # login
    "login_title": ("Masuk ke konsol", "Sign in to the console"),
    "login_intro": ("Tempelkan token peran Anda. Token tidak disimpan di peramban; sesi berakhir saat Anda keluar, "
                    "setelah 2 jam tanpa aktivitas, atau 12 jam setelah masuk.",
                    "Paste your role token. The token is not kept in the browser; the session ends when you log out, "
                    "after 2 hours without use, or 12 hours after signing in."),
    "token": ("Token", "Token"),
    "login": ("Masuk", "Sign in"),
    "login_failed": ("Token tidak dikenal atau dinonaktifkan.", "Unknown or disabled token."),
    "logged_out": ("Anda sudah keluar.", "You have logged out."),
    "platform_no_console": ("Peran platform memakai API, bukan konsol.", "The platform role uses the API, not the "
                            "console."),
    # errors
    "error": ("Terjadi kesalahan", "Something went wrong"),
    "forbidden": ("Akses ditolak", "Access denied"),
    "forbidden_text": ("Peran atau wilayah Anda tidak mengizinkan halaman ini.",
                       "Your role or region does not allow this page."),
    "csrf_failed": ("Formulir kedaluwarsa atau tidak sah (token CSRF tidak cocok). Muat ulang halaman dan coba lagi.",
                    "The form is stale or not genuine (CSRF token mismatch). Reload the page and try again."),
    "not_found": ("Tidak ditemukan", "Not found"),
    "conflict": ("Tidak dapat dilakukan sekarang", "Not possible right now"),
    "bad_input": ("Masukan tidak valid", "Invalid input"),
    "back_home": ("Kembali ke halaman awal", "Back to the start page"),
    # queue
    "queue_title": ("Antrean tinjauan", "Review queue"),
    "queue_intro": ("Perlindungan anak lebih dulu, lalu skor tertinggi, lalu jangkauan.",
                    "Child safety first, then the highest score, then reach."),
    "queue_empty": ("Antrean kosong.", "The queue is empty."),
    "priority": ("Prioritas", "Priority"),
    "child_safety": ("Perlindungan anak", "Child safety"),
    "case": ("Kasus", "Case"),
    "account": ("Akun", "Account"),
    "age": ("Umur", "Age"),
    "score": ("Skor", "Score"),
    "signals": ("Sinyal", "Signals"),
    "events": ("Peristiwa", "Events"),
    "claim": ("Ambil", "Claim"),
    "claimed_other": ("Sedang ditinjau orang lain", "Being reviewed by someone else"),
    "claim_taken": ("Kasus {id} sedang ditinjau oleh {name} sampai {until}; pilih kasus lain.",
                    "Case {id} is being reviewed by {name} until {until}; pick another case."),
    "claimed_me": ("Diambil oleh Anda", "Claimed by you"),
    "open_case": ("Buka", "Open"),
    "shortcuts": ("Pintasan papan ketik", "Keyboard shortcuts"),
    "shortcut_queue": ("ambil kasus teratas", "claim the top case"),
    # case
    "case_title": ("Kasus {id}", "Case {id}"),
    "status": ("Status", "Status"),
    "opened": ("Dibuka", "Opened"),
    "original_text": ("Teks asli (sinyal disorot)", "Original text (signals highlighted)"),
    "normalised_text": ("Teks ternormalisasi", "Normalised text"),
    "reasons": ("Alasan otomatis", "Automated reasons"),
    "decision_auto": ("Keputusan otomatis", "Automated decision"),
    "linked_reports": ("Laporan pengguna terkait", "Linked user reports"),
    "no_reports": ("Tidak ada laporan pengguna.", "No user reports."),
    "earlier_decisions": ("Keputusan sebelumnya", "Earlier decisions"),
    "no_decisions": ("Belum ada keputusan manusia untuk akun ini.", "No human decision on this account yet."),
    "actions_taken": ("Tindakan yang sudah diambil", "Actions taken"),
    "automated": ("otomatis", "automated"),
    "by_reviewer": ("oleh peninjau", "by a reviewer"),
    "decide": ("Putuskan", "Decide"),
    "reason": ("Alasan (wajib, tercatat dan dikirim ke pengguna, kecuali pada kasus perlindungan anak)",
               "Reason (required, recorded and sent to the user, except in child-safety cases)"),
    "act_hide_nearby": ("Sembunyikan dari Sekitar", "Hide from nearby"),
    "act_warn": ("Peringatkan", "Warn"),
    "act_suspend": ("Tangguhkan", "Suspend"),
    "act_dismiss": ("Tolak (bukan pelanggaran)", "Dismiss (no violation)"),
    "act_escalate": ("Eskalasi ke perlindungan anak", "Escalate to child safety"),
    "release": ("Kembalikan ke antrean", "Release to the queue"),
    "claim_first": ("Ambil kasus ini untuk memutuskannya.", "Claim this case to decide it."),
    "closed_case": ("Kasus ini sudah ditutup.", "This case is closed."),
    "shortcut_case": ("1–5: tombol keputusan · r: alasan · n: teks ternormalisasi · Ctrl+Enter: kirim",
                      "1–5: decision buttons · r: reason · n: normalised text · Ctrl+Enter: submit"),
    "decided": ("Keputusan tercatat untuk kasus {id}.", "Decision recorded for case {id}."),
    "released": ("Kasus {id} dikembalikan ke antrean.", "Case {id} released to the queue."),
    # appeals
    "appeals_title": ("Keberatan", "Appeals"),
    "appeals_intro": ("Keberatan yang boleh Anda putuskan: tidak pernah keberatan atas keputusan Anda sendiri.",
                      "Appeals you may decide: never appeals against your own decisions."),
    "appeals_empty": ("Tidak ada keberatan untuk Anda.", "No appeals for you."),
    "appeal": ("Keberatan", "Appeal"),
    "statement": ("Pernyataan pengguna", "User's statement"),
    "appealed_action": ("Tindakan yang diajukan keberatan", "Appealed action"),
    "restore": ("Pulihkan akun", "Restore the account"),
    "uphold": ("Pertahankan tindakan", "Uphold the action"),
    "appeal_decided": ("Keberatan {id} diputuskan.", "Appeal {id} decided."),
    # child safety
    "cs_title": ("Meja perlindungan anak", "Child-safety desk"),
    "cs_intro": ("Eskalasi yang menyangkut anak korban eksploitasi. Bukti dibekukan terhadap penghapusan sampai "
                 "tanggal retensi. Paket rujukan berisi bukti dengan ringkasan integritas.",
                 "Escalations about children who are victims of exploitation. Evidence is frozen against deletion "
                 "until the retention date. The referral package holds the evidence with integrity digests."),
    "cs_empty": ("Tidak ada eskalasi.", "No escalations."),
    "escalated": ("Dieskalasi", "Escalated"),
    "retained_until": ("Bukti disimpan sampai", "Evidence kept until"),
    "exported": ("Diunduh terakhir", "Last downloaded"),
    "record_open": ("terbuka", "open"),
    "record_referred": ("sudah dirujuk", "referred"),
    "record_dismissed": ("dihentikan", "dismissed"),
    "referred_via": ("Dirujuk lewat (mis. SAPA 129)", "Referred through (e.g. SAPA 129)"),
    "mark_referred": ("Tandai sudah dirujuk", "Mark referred"),
    "referral_note": ("Mengunduh paket belum berarti merujuk: setelah menyerahkannya lewat jalur resmi, tandai "
                      "kasus sebagai sudah dirujuk dan sebutkan jalurnya.",
                      "Downloading a package is not referring it: once it is handed over through an official "
                      "channel, mark the case referred and name the channel."),
    "marked_referred": ("Kasus {id} ditandai sudah dirujuk.", "Case {id} marked referred."),
    "evidence_items": ("Item bukti", "Evidence items"),
    "referral_pdf": ("Paket rujukan (PDF)", "Referral package (PDF)"),
    "referral_json": ("Paket rujukan (JSON)", "Referral package (JSON)"),
    "view_evidence": ("Lihat bukti", "View evidence"),
    # region
    "region_title": ("Dasbor wilayah: {name}", "Regional dashboard: {name}"),
    "region_privacy": ("Agregat saja. Angka yang berasal dari kurang dari {k} akun ditampilkan sebagai “< {k}”, "
                       "bukan nol. Tanpa nama, akun, teks, atau lokasi tepat siapa pun.",
                       "Aggregates only. Figures behind fewer than {k} accounts show as “< {k}”, not zero. No "
                       "names, accounts, texts or exact locations of anyone."),
    "week": ("Minggu", "Week"),
    "headline": ("Angka utama minggu {week}", "Headline figures, week {week}"),
    "previous_week": ("minggu sebelumnya", "previous week"),
    "later_week": ("Minggu berikutnya", "Next week"),
    "weeks_nav": ("Pilih minggu", "Choose a week"),
    "trend": ("Tren 8 minggu: akun terdeteksi menawarkan seks", "8-week trend: accounts detected offering sex"),
    "trend_note": ("Batang berarsir = disembunyikan (“< {k}”), bukan nol.", "Hatched bars = suppressed (“< {k}”), "
                   "not zero."),
    "map": ("Peta akun terdeteksi per sub-wilayah", "Map of accounts detected per sub-region"),
    "map_hint": ("Arahkan atau ketuk wilayah untuk melihat angkanya; daftar lengkap di bawah peta.",
                 "Hover or tap a region to see its figure; the full list is below the map."),
    "map_cells": ("Tidak ada batas wilayah tersimpan: peta menampilkan sel H3 titik rawan.",
                  "No stored boundaries: the map shows the hotspots' H3 cells."),
    "map_none": ("Belum ada yang dapat digambar: batas wilayah belum diimpor dan tidak ada titik rawan.",
                 "Nothing to draw yet: no boundaries imported and no hotspots."),
    "legend": ("Legenda", "Legend"),
    "suppressed": ("disembunyikan", "suppressed"),
    "no_data": ("tanpa data", "no data"),
    "subregion": ("Sub-wilayah", "Sub-region"),
    "accounts_detected": ("Akun terdeteksi", "Accounts detected"),
    "hotspots": ("Titik rawan (sel H3) minggu {week}", "Hotspots (H3 cells), week {week}"),
    "hotspots_empty": ("Tidak ada titik rawan yang memenuhi ambang minggu ini.", "No hotspot meets the threshold "
                       "this week."),
    "hotspot": ("Titik", "Cell"),
    "this_week": ("Minggu ini", "This week"),
    "change": ("Perubahan", "Change"),
    "emerging": ("baru muncul", "emerging"),
    "report_pdf": ("Unduh laporan mingguan (PDF)", "Download the weekly report (PDF)"),
    "field_report": ("Kirim laporan lapangan", "Send a field report"),
    "field_report_intro": ("Tuliskan apa yang Anda lihat. Jangan menghubungi atau mengonfrontasi siapa pun.",
                           "Write what you saw. Do not contact or confront anyone."),
    "fr_text": ("Teks yang terlihat (apa adanya)", "Text seen (as written)"),
    "fr_place": ("Tempat perkiraan (kata-kata)", "Approximate place (in words)"),
    "fr_when": ("Waktu ({zone})", "Time ({zone})"),
    "fr_region": ("Wilayah (opsional)", "Region (optional)"),
    "fr_send": ("Kirim laporan", "Send report"),
    "fr_sent": ("Laporan lapangan terkirim.", "Field report sent."),
    "my_reports": ("Status laporan Anda", "Status of your reports"),
    "no_reports_yet": ("Belum ada laporan.", "No reports yet."),
    "sub_dashboards": ("Dasbor sub-wilayah", "Sub-region dashboards"),
    "referral_help": ("Anak dalam bahaya? SAPA 129 · WhatsApp 08111-129-129 · Polisi 110",
                      "A child in danger? SAPA 129 · WhatsApp 08111-129-129 · Police 110"),
    # admin
    "admin_title": ("Admin", "Admin"),
    "versions": ("Versi yang berlaku", "Versions in force"),
    "policy_version": ("Versi kebijakan", "Policy version"),
    "model_version": ("Versi model", "Model version"),
    "webhooks": ("Kesehatan pengiriman webhook", "Webhook delivery health"),
    "webhook_url": ("Alamat webhook", "Webhook URL"),
    "not_set": ("belum diatur", "not set"),
    "oldest_pending": ("Tertunda tertua", "Oldest pending"),
    "last_delivered": ("Terkirim terakhir", "Last delivered"),
    "last_error": ("Galat terakhir", "Last error"),
    "users": ("Pengguna dan token", "Users and tokens"),
    "name": ("Nama", "Name"),
    "role": ("Peran", "Role"),
    "regions": ("Wilayah", "Regions"),
    "created": ("Dibuat", "Created"),
    "active": ("aktif", "active"),
    "disabled": ("nonaktif", "disabled"),
    "disable": ("Nonaktifkan", "Disable"),
    "enable": ("Aktifkan", "Enable"),
    "add_user": ("Tambah pengguna", "Add a user"),
    "regions_hint": ("Kode Kemendagri, dipisah koma (hanya untuk regional_official)",
                     "Kemendagri codes, comma-separated (regional_official only)"),
    "create": ("Buat", "Create"),
    "token_once": ("Token untuk {name} (hanya ditampilkan sekali, simpan sekarang):",
                   "Token for {name} (shown once, keep it now):"),
    "user_updated": ("Pengguna {name} diperbarui.", "User {name} updated."),
    "webhooks_queued": ("{n} pengiriman yang gagal akan dikirim ulang.", "{n} failed deliveries will be sent again."),
    "webhooks_retry": ("Kirim ulang yang gagal", "Send failed ones again"),
    "queue_pages": ("Halaman antrean", "Queue pages"),
    "queue_page": ("Halaman {page} dari {pages} ({total} kasus terbuka)",
                   "Page {page} of {pages} ({total} open cases)"),
    "queue_earlier": ("Sebelumnya", "Previous"),
    "queue_later": ("Berikutnya", "Next"),
    # audit
    "audit_title": ("Log audit", "Audit log"),
    "chain_ok": ("Rantai hash utuh: {n} entri diperiksa.", "Hash chain intact: {n} entries checked."),
    "chain_head": ("Hash terakhir (catat di tempat lain untuk membuktikan log tidak dipotong)",
                   "Head hash (record it elsewhere to prove the log was not cut short)"),
    "chain_bad": ("Rantai hash RUSAK pada entri {seq}: {problem}", "Hash chain BROKEN at entry {seq}: {problem}"),
    "at": ("Waktu", "Time"),
    "actor": ("Oleh", "Actor"),
    "action": ("Tindakan", "Action"),
    "subject": ("Subjek", "Subject"),
    "details": ("Rincian", "Details"),
    "older": ("Lebih lama", "Older"),
    "newest": ("Terbaru", "Newest"),
}


def language(request: Request) -> Lang:
    """The language of a request: the ``pantau_lang`` cookie, else Bahasa Indonesia."""
    chosen = request.cookies.get(COOKIE)
    return chosen if chosen in LANGS else DEFAULT  # type: ignore[return-value]


def translator(lang: Lang) -> Callable[..., str]:
    """``t(key, **values)`` in ``lang``; an unknown key fails loudly in tests rather than showing a blank."""
    column = LANGS.index(lang)

    def t(key: str, **values: object) -> str:
        text = STRINGS[key][column]
        return text.format(**values) if values else text

    return t


def for_request(request: Request) -> Callable[..., str]:
    """The translator for a request's language."""
    return translator(language(request))
