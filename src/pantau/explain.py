"""Human-readable explanations: what pantau saw, where in the original text, and why it decided."""

from __future__ import annotations

from pantau.classify import negated
from pantau.models import Signal, Verdict

_ACTION_ID = {
    "allow": "izinkan / allow",
    "review": "tinjau manusia / human review",
    "hide_nearby": "sembunyikan dari Sekitar / hide from nearby",
    "escalate_child_safety": "eskalasi perlindungan anak / child-safety escalation",
}


def highlight(text: str, spans: list[tuple[int, int]], *, color: bool) -> str:
    """``text`` with each span marked: ANSI reverse video on a terminal, ⟦…⟧ elsewhere."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    opening, closing = ("\x1b[7m", "\x1b[0m") if color else ("⟦", "⟧")
    out, pos = [], 0
    for start, end in merged:
        out += [text[pos:start], opening, text[start:end], closing]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _signal_line(s: Signal, negated_: bool) -> str:
    weight = f"{s.weight:+.1f}" if s.weight else " 0.0"
    extra = f" = {s.detail}" if s.detail else ""
    note = "  (dinegasikan / negated)" if negated_ else ""
    return f"  {s.name:<32} {weight:>5}  [{s.start}:{s.end}] «{s.text}»{extra}{note}"


def render_explanation(verdict: Verdict, *, color: bool = False) -> str:
    a, d = verdict.assessment, verdict.decision
    dropped = negated(a.signals)
    lines = [
        "Teks asli / Original text:",
        "  " + highlight(verdict.normalized.original, [(s.start, s.end) for s in a.signals], color=color),
        "Teks normal / Normalised text:",
        "  " + verdict.normalized.text,
        f"Sinyal / Signals ({len(a.signals)}):",
    ]
    lines += [_signal_line(s, i in dropped) for i, s in enumerate(a.signals)] or ["  (tidak ada / none)"]
    if a.window is not None:
        start, end = a.window
        lines.append(f"Skor dari bagian / Score from the part [{start}:{end}]: "
                     f"«{verdict.normalized.original[start:end]}»")
    if a.score_without_minor is not None:
        lines.append(f"Skor tanpa tanda anak / Score with the signs of a minor blanked: {a.score_without_minor:.3f}")
    lines += [
        f"Skor / Score: {a.score:.3f}  (penawaran seks komersial / commercial-sex offer)",
        f"Risiko anak / Minor risk: {'YA / YES' if d.minor_risk else 'tidak / no'}",
        f"Tindakan / Action: {d.action.value} — {_ACTION_ID[d.action.value]}  (aturan / rule: {d.rule_id})",
        "Alasan / Reasons: " + ", ".join(d.reasons),
    ]
    if a.degraded:
        lines.append("PERHATIAN / WARNING: langkah gagal / failed steps: " + ", ".join(a.degraded))
    lines.append(f"Versi / Versions: {verdict.model_version}")
    lines.append("Keputusan otomatis ini dapat ditinjau dan diajukan keberatan. / "
                 "This automated decision can be reviewed and appealed.")
    return "\n".join(lines)
