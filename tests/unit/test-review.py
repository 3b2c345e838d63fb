#!/usr/bin/python3
"""test-review.py SCRIPT SOURCE_ROOT REVIEW_BUILD_DIR — the native review sheets (issue 18).

The build made one sheet per interface language, holding every string of that language
beside the English; a corrections file (as the sheet's button writes it) goes back into
the po and content files, refusing stale rows and broken placeholders, and a complete
review records the reviewer in every file of the language. TAP output.
"""
import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

script, root, build = sys.argv[1:4]
spec = importlib.util.spec_from_file_location("review", script)
review = importlib.util.module_from_spec(spec)
spec.loader.exec_module(review)
content, po = os.path.join(root, "i18n", "content"), os.path.join(root, "i18n", "po")
langs = [l.strip() for l in open(os.path.join(po, "LINGUAS"), encoding="utf-8")
         if l.strip() and not l.startswith("#")]
n = 0


def ok(cond, name):
    global n
    n += 1
    print(("ok" if cond else "not ok") + f" {n} {name}")
    if not cond:
        sys.exit(1)


def sheet_data(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r'<script type="application/json" id="fristad-data">(.*?)</script>', text, re.S)
    return text, json.loads(m.group(1).replace("<\\/", "</"))


print("1..12")

# 1-3: every language has its sheet, with every string, and the English beside it.
missing = [l for l in langs if not os.path.exists(os.path.join(build, f"review-{l}.html"))]
ok(len(langs) >= 11 and not missing, f"a sheet for each of {len(langs)} languages (missing: {missing})")
bad = []
for lang in langs:
    text, data = sheet_data(os.path.join(build, f"review-{lang}.html"))
    rows = review.collect(lang, content, po)
    po_msgstrs = sum(len(e["strs"]) for e in review.po_parse(os.path.join(po, lang + ".po")) if e["id"])
    topics = sum(len(review.doc_entries(os.path.join(content, lang, "topics", f)))
                 for f in os.listdir(os.path.join(content, lang, "topics")))
    ids = {r["id"] for r in data["rows"]}
    if len(data["rows"]) != len(rows) or len(ids) != len(rows) \
            or sum(1 for r in data["rows"] if r["id"].startswith("po:")) != po_msgstrs \
            or sum(1 for r in data["rows"] if r["id"].startswith("topic:")) != topics \
            or text.count("<textarea class=\"fix\"") != len(rows) \
            or any(not r["english"] for r in data["rows"]):
        bad.append(lang)
ok(not bad, f"every msgstr, topic paragraph, form label and consent line is a row, with its English (bad: {bad})")
text, data = sheet_data(os.path.join(build, "review-ar.html"))
row = next(r for r in data["rows"] if r["id"] == "form:question s_wages:label")
ok("NO = " in row["context"] and "Back-translation:" in row["context"] and 'dir="rtl"' in text
   and "Save my corrections" in text and "<script src" not in text and "<link" not in text,
   "yes/no rows say what yes and no mean; Arabic is right to left; the page is self-contained")

# 4-12: apply a corrections file to a copy of the sources.
tmp = tempfile.mkdtemp(prefix="fristad-review-")
try:
    c2, p2 = os.path.join(tmp, "content"), os.path.join(tmp, "po")
    shutil.copytree(content, c2)
    shutil.copytree(po, p2)
    rows = {r["id"]: r for r in review.collect("sv", c2, p2)}
    po_row = next(r for r in rows.values() if r["id"].startswith("po:Leave without sending?"))
    multi = next(r for r in rows.values() if r["id"].startswith("po:") and "\n" in r["english"]
                 and "%" in r["english"])
    fixes = [
        {"id": "topic:rights:1", "old": rows["topic:rights:1"]["text"], "new": "Socialtjänsten hjälper dig.", "note": ""},
        {"id": "form:question s_wages:label", "old": rows["form:question s_wages:label"]["text"],
         "new": "Får du lägre lön än du blev lovad?", "note": "kortare"},
        {"id": po_row["id"], "old": po_row["text"], "new": "Gå \"ut\" utan att skicka?", "note": ""},
        {"id": multi["id"], "old": multi["text"], "new": multi["text"].replace("\n", "\n ", 1), "note": ""},
        {"id": "topic:health:1", "old": "something older", "new": "Stale", "note": ""},
        {"id": "consent:1", "old": rows["consent:1"]["text"], "new": "Utan platshållare.", "note": ""},
    ]
    doc = {"format": "fristad.review.v1", "language": "sv", "made": "2026-12-05", "reviewer": "Anna Test (Org)",
           "date": "2026-12-06", "complete": True, "corrections": fixes}
    path = os.path.join(tmp, "fristad-review-sv.json")
    json.dump(doc, open(path, "w", encoding="utf-8"), ensure_ascii=False)
    run = subprocess.run([sys.executable, script, "apply", path, "--content", c2, "--po", p2],
                         capture_output=True, text=True)
    ok(run.returncode == 1 and "4 correction(s) applied" in run.stdout and "remark: form:question s_wages:label: kortare" in run.stdout,
       f"four rows applied, remarks listed, exit 1 for the skipped ones ({run.returncode}: {run.stdout!r} {run.stderr!r})")
    ok("topic:health:1: the text changed since the sheet was made" in run.stderr
       and "consent:1: placeholders differ from the English" in run.stderr, "a stale row and lost placeholders are skipped")
    after = {r["id"]: r for r in review.collect("sv", c2, p2)}
    ok(after["topic:rights:1"]["text"] == "Socialtjänsten hjälper dig."
       and after["form:question s_wages:label"]["text"] == "Får du lägre lön än du blev lovad?"
       and after["consent:1"]["text"] == rows["consent:1"]["text"]
       and after["topic:health:1"]["text"] == rows["topic:health:1"]["text"], "topic and form texts are replaced in place")
    ok(after[po_row["id"]]["text"] == "Gå \"ut\" utan att skicka?" and after[multi["id"]]["text"] == multi["text"].replace("\n", "\n ", 1),
       "po strings, quotes and line breaks included, are replaced")
    fmt = subprocess.run(["msgfmt", "--check", "-o", os.devnull, os.path.join(p2, "sv.po")], capture_output=True, text=True)
    ok(fmt.returncode == 0, f"the po file still passes msgfmt --check ({fmt.stderr.strip()})")
    sv_files = [os.path.join(r, f) for r, _, fs in os.walk(os.path.join(c2, "sv")) for f in fs]
    ok(all(open(f, encoding="utf-8").readline().startswith("# Review: reviewed 2026-12-06 by Anna Test (Org), native speaker")
           for f in sv_files) and "review=reviewed 2026-12-06 by Anna Test (Org), native speaker"
       in open(os.path.join(c2, "sv", "language.ini"), encoding="utf-8").read(), "a complete review is recorded in every content file")
    po_text = open(os.path.join(p2, "sv.po"), encoding="utf-8").read()
    ok("# Review status: reviewed 2026-12-06 by Anna Test (Org)" in po_text
       and '"X-Review-Status: reviewed 2026-12-06; Anna Test (Org)\\n"' in po_text, "and in the po header")
    untouched = subprocess.run(["diff", "-r", os.path.join(content, "th"), os.path.join(c2, "th")], capture_output=True)
    ok(untouched.returncode == 0, "other languages are untouched")
    bad_doc = dict(doc, complete=True, reviewer="", corrections=[])
    json.dump(bad_doc, open(path, "w", encoding="utf-8"))
    run = subprocess.run([sys.executable, script, "apply", path, "--content", c2, "--po", p2], capture_output=True, text=True)
    ok(run.returncode == 2 and "needs a reviewer" in run.stderr, "a complete review without a name is refused")
finally:
    shutil.rmtree(tmp)
