#!/usr/bin/env python3
"""
Issue 12, step (i): move app/models/* into one folder per aggregate, as `git mv` plus import-path
rewrites and nothing else, so the move can be re-applied after merging other work:

    python3 scripts/refactor/models-by-aggregate.py          # from the repository root

Files already moved (or missing) are skipped; a file that appeared since is left where it is (move
it by adding it to MOVES). Rewrites every import specifier (relative, `~/`, `#db/`) in .ts/.tsx/.js
files and repository paths quoted in tests, then prints what it changed.
"""
import os, re, subprocess, sys

MOVES = {
    # round: the lifecycle, rubric, call for entries, notices
    "round.server.ts": "round/round.server.ts",
    "round-rules.ts": "round/rules.ts",
    "round-notices.server.ts": "round/notices.server.ts",
    "rubric.server.ts": "round/rubric.server.ts",
    "rubric-rules.ts": "round/rubric-rules.ts",
    "call.server.ts": "round/call.server.ts",
    "organizer-scope.server.ts": "round/organizer-scope.server.ts",
    # entry: dossiers, screening, receipts, files
    "entry.server.ts": "entry/entry.server.ts",
    "entry-rules.ts": "entry/rules.ts",
    "entry-views.server.ts": "entry/views.server.ts",
    "entry-receipt.server.ts": "entry/receipt.server.ts",
    "entry-receipt-pdf.server.ts": "entry/receipt-pdf.server.ts",
    "media.server.ts": "entry/media.server.ts",
    # council: members, conflicts
    "council.server.ts": "council/council.server.ts",
    "council-rules.ts": "council/rules.ts",
    "conflict-sql.server.ts": "council/conflict-sql.server.ts",
    # scoring: assignment, sheets, the counted set
    "scoring.server.ts": "scoring/scoring.server.ts",
    "scoring-rules.ts": "scoring/rules.ts",
    "assignment.server.ts": "scoring/assignment.server.ts",
    "assignment-rules.ts": "scoring/assignment-rules.ts",
    "sheet-decisions.server.ts": "scoring/sheet-decisions.server.ts",
    # results: ranking, finalisation, integrity, exports
    "results.server.ts": "results/results.server.ts",
    "ranking.ts": "results/ranking.ts",
    "results-export.server.ts": "results/export.server.ts",
    "winners-export.server.ts": "results/winners-export.server.ts",
    "integrity.server.ts": "results/integrity.server.ts",
    # certificate
    "certificate.server.ts": "certificate/certificate.server.ts",
    "certificate-rules.ts": "certificate/rules.ts",
    "certificate-pdf.server.ts": "certificate/pdf.server.ts",
    "verification.server.ts": "certificate/verification.server.ts",
    # commendation (Bằng khen)
    "commendation.server.ts": "commendation/commendation.server.ts",
    "recipient-import.server.ts": "commendation/recipient-import.server.ts",
    "public-commendations.server.ts": "commendation/public.server.ts",
    # programme (khuyến công)
    "programme.server.ts": "programme/programme.server.ts",
    "programme-rules.ts": "programme/rules.ts",
    "programme-import.server.ts": "programme/import.server.ts",
    "programme-indicators.server.ts": "programme/indicators.server.ts",
    "programme-report.server.ts": "programme/report.server.ts",
    # facility: facilities and their products
    "facility.server.ts": "facility/facility.server.ts",
    "product.server.ts": "facility/product.server.ts",
    # account: users, sign-in, invitations
    "account.server.ts": "account/account.server.ts",
    "user.server.ts": "account/user.server.ts",
    "throttle.server.ts": "account/throttle.server.ts",
    "invitation.server.ts": "account/invitation.server.ts",
    "invitation-rules.ts": "account/invitation-rules.ts",
    # public site: catalogue and search
    "catalogue.server.ts": "public/catalogue.server.ts",
    "search.server.ts": "public/search.server.ts",
    "search-text.ts": "public/search-text.ts",
    # shared by every aggregate
    "audit.server.ts": "shared/audit.server.ts",
    "audit-labels.ts": "shared/audit-labels.ts",
    "notification.server.ts": "shared/notification.server.ts",
    "notification-kinds.ts": "shared/notification-kinds.ts",
    "reference.server.ts": "shared/reference.server.ts",
    "province-rules.ts": "shared/province-rules.ts",
    "jobs.server.ts": "shared/jobs.server.ts",
    "storage-cleanup.server.ts": "shared/storage-cleanup.server.ts",
    # added by the deliberation, documents and levels work (issues 14, 15) and the queue (issue 18)
    "council-session.server.ts": "council/session.server.ts",
    "council-session-rules.ts": "council/session-rules.ts",
    "council-minutes.server.ts": "council/minutes.server.ts",
    "complaint.server.ts": "results/complaint.server.ts",
    "round-public.server.ts": "round/public.server.ts",
    "document-rules.ts": "certificate/document-rules.ts",
    "emblem.server.ts": "commendation/emblem.server.ts",
    "eligibility-rules.ts": "entry/eligibility-rules.ts",
    "screening-checks.server.ts": "entry/screening-checks.server.ts",
    "nomination.server.ts": "round/nomination.server.ts",
    "nomination-rules.ts": "round/nomination-rules.ts",
    "territory.server.ts": "round/territory.server.ts",
    "territory-rules.ts": "round/territory-rules.ts",
    "working-days.ts": "shared/working-days.ts",
    "background.server.ts": "shared/background.server.ts",
}
BASE = "app/models"
SKIP_DIRS = {"node_modules", "build", ".cache", ".data", "uploads", ".git"}
EXTS = (".ts", ".tsx", ".js", ".mjs")

moved = {}  # old repo path -> new repo path
for old, new in MOVES.items():
    o, n = f"{BASE}/{old}", f"{BASE}/{new}"
    if os.path.exists(o):
        os.makedirs(os.path.dirname(n), exist_ok=True)
        subprocess.run(["git", "mv", o, n], check=True)
    if os.path.exists(n):
        moved[o] = n

def strip_ext(p):
    for e in (".ts", ".tsx", ".js", ".json"):
        if p.endswith(e): return p[: -len(e)], e
    return p, ""

# module id (repo path without extension) -> new module id
mod_moves = {strip_ext(o)[0]: strip_ext(n)[0] for o, n in moved.items()}
inverse = {v: k for k, v in moved.items()}

def resolve(spec, from_file_old):
    """Repo path (without extension) that `spec`, written in `from_file_old`, pointed to, or None."""
    if spec.startswith("~/"): base = "app/" + spec[2:]
    elif spec.startswith("#db/"): base = "db/" + spec[4:]
    elif spec.startswith("."): base = os.path.normpath(os.path.join(os.path.dirname(from_file_old), spec))
    else: return None
    return base

def respec(spec, target_new, from_file_new):
    if spec.startswith("~/"): return "~/" + os.path.relpath(target_new, "app")
    if spec.startswith("#db/"): return spec
    rel = os.path.relpath(target_new, os.path.dirname(from_file_new))
    return rel if rel.startswith(".") else "./" + rel

SPEC = re.compile(r'''((?:from|import)\s*\(?\s*|vi\.mock\(\s*|require\(\s*)(["'])([^"']+)\2''')
changed = []
for root, dirs, files in os.walk("."):
    dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not (root == "./public" and d == "build")]
    for f in files:
        if not f.endswith(EXTS): continue
        path = os.path.normpath(os.path.join(root, f))
        old_path = inverse.get(path, path)  # where this file was when its imports were written
        text = open(path, encoding="utf8").read()
        def fix(m):
            spec = m.group(3)
            base = resolve(spec, old_path)
            if base is None: return m.group(0)
            key, ext = strip_ext(base)
            target = mod_moves.get(key, key)
            if target == key and path == old_path: return m.group(0)
            new_spec = respec(spec, target + ext if spec.endswith(ext) and ext else target, path)
            return m.group(1) + m.group(2) + new_spec + m.group(2)
        out = SPEC.sub(fix, text)
        # Repository paths quoted in tests and comments ("app/models/round-rules.ts").
        for o, n in moved.items():
            out = re.sub(r'(?<![\w/.-])' + re.escape(o) + r'(?![\w.-])', n, out)
        if out != text:
            open(path, "w", encoding="utf8").write(out)
            changed.append(path)
print(f"moved {len(moved)} files, rewrote {len(changed)}:", *changed, sep="\n  ", file=sys.stderr)
