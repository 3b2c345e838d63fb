#!/usr/bin/python3
"""fristad-review: native review of one language, without gettext or the content format.

  fristad-review.py sheet --lang LANG --content DIR --po DIR --out FILE.html [--depfile F]
      One self-contained HTML sheet: every string of LANG (interface and content) beside
      the English and its context (screen, topic, what yes and no mean). The reviewer
      corrects in the sheet and presses "Save my corrections": the browser saves
      fristad-review-LANG.json.

  fristad-review.py apply FILE.json --content DIR --po DIR
      Writes the corrections into content/LANG/... and po/LANG.po. A row whose text
      changed since the sheet was made, or whose placeholders differ from the English, is
      skipped and reported (exit 1). With "complete": true, a reviewer and a date, every
      file of the language records "reviewed DATE by NAME".

Standard library only. Format of the corrections file: i18n/review/README.md.
"""
import argparse
import datetime
import html
import json
import os
import re
import sys

FORMAT = "fristad.review.v1"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%(?:\d+\$)?[sdui]")


def fail(msg):
    print(f"fristad-review: {msg}", file=sys.stderr)
    sys.exit(2)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


# ---------------------------------------------------------------- content files

def doc_entries(path):
    """Topic/consent file: (line index, text) of the title and each paragraph."""
    out = []
    for i, line in enumerate(read(path).split("\n")):
        if line.startswith("#") or line.strip() == "":
            continue
        out.append((i, line))
    return out


def ini_parse(path):
    """GKeyFile-like: {(group, key): (line index, value)}, {group: comment lines above}."""
    values, comments, group, pending = {}, {}, None, []
    for i, line in enumerate(read(path).split("\n")):
        if line.startswith("#"):
            pending.append(line[1:].strip())
        elif line.startswith("["):
            group = line.strip()[1:-1]
            comments[group] = pending
            pending = []
        elif "=" in line and group is not None:
            key, value = line.split("=", 1)
            values[(group, key.strip())] = (i, value)
            pending = []
        elif line.strip() == "":
            pending = [] if not pending or pending[-1] == "" else pending
    return values, comments


def topic_ids(content, lang):
    order = []
    for line in read(os.path.join(content, "content.ini")).split("\n"):
        m = re.match(r"\[topic ([a-z0-9_-]+)\]", line)
        if m:
            order.append(m.group(1))
    return [t for t in order if os.path.exists(os.path.join(content, lang, "topics", t + ".txt"))]


def form_kinds(content):
    kinds = {}
    try:
        for q in json.loads(read(os.path.join(content, "form.json")))["questions"]:
            kinds[q["id"]] = q["kind"]
    except (OSError, ValueError, KeyError):
        pass
    return kinds


# ---------------------------------------------------------------- po files

def po_unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(m.group(1), m.group(1)), s[1:-1])


def po_quote(text):
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    parts = esc.split("\n")
    if len(parts) == 1:
        return f'"{parts[0]}"'
    lines = [p + "\\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    return '""\n' + "\n".join(f'"{l}"' for l in lines)


def po_parse(path):
    """Entries: dict(comments, refs, flags, ctxt, id, plural, strs {n: text}, start, end)."""
    lines = read(path).split("\n")
    entries, cur, field = [], None, None

    def new(i):
        return {"comments": [], "refs": [], "flags": "", "ctxt": None, "id": None, "plural": None,
                "strs": {}, "start": i, "end": i, "obsolete": False}

    for i, line in enumerate(lines):
        if line.startswith("#~"):
            continue
        if line.strip() == "":
            if cur is not None and cur["id"] is not None:
                cur["end"] = i
                entries.append(cur)
            cur, field = None, None
            continue
        if cur is None:
            cur = new(i)
        if line.startswith("#."):
            cur["comments"].append(line[2:].strip())
        elif line.startswith("#:"):
            cur["refs"] += line[2:].split()
        elif line.startswith("#,"):
            cur["flags"] = line[2:].strip()
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            field = "ctxt"; cur["ctxt"] = po_unquote(line[8:])
        elif line.startswith("msgid_plural "):
            field = "plural"; cur["plural"] = po_unquote(line[13:])
        elif line.startswith("msgid "):
            field = "id"; cur["id"] = po_unquote(line[6:])
        elif line.startswith("msgstr["):
            n = int(line[7:line.index("]")])
            field = ("str", n); cur["strs"][n] = po_unquote(line[line.index("]") + 1:])
        elif line.startswith("msgstr "):
            field = ("str", 0); cur["strs"][0] = po_unquote(line[7:])
        elif line.startswith('"'):
            if field in ("ctxt", "plural", "id"):
                cur[field] += po_unquote(line)
            elif isinstance(field, tuple):
                cur["strs"][field[1]] += po_unquote(line)
    if cur is not None and cur["id"] is not None:
        cur["end"] = len(lines)
        entries.append(cur)
    return entries


def po_key(e, n):
    key = (e["ctxt"] + "\x04" if e["ctxt"] else "") + e["id"]
    return f"po:{key}" + (f"[{n}]" if e["plural"] is not None else "")


# ---------------------------------------------------------------- collecting rows

def screen_of(refs):
    names = sorted({os.path.splitext(os.path.basename(r.split(":")[0]))[0] for r in refs})
    return ", ".join(n.replace("fr-kiosk-", "").replace("fr-", "") for n in names) or "interface"


def collect(lang, content, po):
    """Every string of @lang: dicts id, section, context, english, text, dir-sensitive."""
    rows = []
    en = os.path.join(content, "en")
    tr = os.path.join(content, lang)

    values, _ = ini_parse(os.path.join(tr, "language.ini"))
    rows.append({"id": "language:name", "section": "Language", "context": "The language's own name on the "
                 "first screen, in its own script", "english": "(its own name)",
                 "text": values.get(("language", "name"), (0, ""))[1]})

    kinds = form_kinds(content)
    en_values, en_comments = ini_parse(os.path.join(en, "form.ini"))
    tr_values, tr_comments = ini_parse(os.path.join(tr, "form.ini"))
    for (group, key), (_, english) in en_values.items():
        if (group, key) not in tr_values:
            continue
        ctx = f"Form: [{group}] {key}"
        if group.startswith("question "):
            qid = group[len("question "):]
            kind = kinds.get(qid, "")
            ctx = f"Form, question {qid} ({kind}): {'the question' if key == 'label' else key}"
            if kind == "yesno" and key == "label":
                notes = [c for c in en_comments.get(group, []) if c.startswith("Note:")]
                back = [c for c in tr_comments.get(group, []) if c.startswith("Back-translation:")]
                ctx += ". Answered Yes / No / I prefer not to say. " + " ".join(notes + back)
        elif group.startswith("group "):
            ctx = f"Form, the title or intro of the part '{group[len('group '):]}' ({key})"
        elif group == "consent":
            ctx = f"Consent screen: the button that {'sends' if key == 'agree' else 'does not send'}"
        elif group == "form":
            ctx = f"Form: the answer button '{key}' of every yes/no question"
        rows.append({"id": f"form:{group}:{key}", "section": "Form", "context": ctx,
                     "english": english, "text": tr_values[(group, key)][1]})

    docs = [("consent", "consent.txt", "Consent screen before sending")]
    docs += [(f"topic:{t}", os.path.join("topics", t + ".txt"), f"Topic '{t}'") for t in topic_ids(content, lang)]
    for prefix, rel, what in docs:
        e = doc_entries(os.path.join(en, rel))
        t = doc_entries(os.path.join(tr, rel))
        for n, (_, text) in enumerate(t):
            where = "title (drawn large on the home screen: keep it discreet)" if n == 0 and prefix != "consent" \
                else ("title" if n == 0 else f"paragraph {n}")
            rows.append({"id": f"{prefix}:{n}", "section": what, "context": f"{what}, {where}",
                         "english": e[n][1] if n < len(e) else "", "text": text})

    po_path = os.path.join(po, lang + ".po")
    if os.path.exists(po_path):
        for e in po_parse(po_path):
            if e["id"] == "":
                continue
            for n, text in sorted(e["strs"].items()):
                english = e["id"] if n == 0 or e["plural"] is None else e["plural"]
                ctx = "Screen: " + screen_of(e["refs"])
                if e["comments"]:
                    ctx += ". " + " ".join(c.replace("Translators:", "").strip() for c in e["comments"])
                if e["plural"] is not None:
                    ctx += f" (plural form {n})"
                rows.append({"id": po_key(e, n), "section": "Interface (buttons and screens)",
                             "context": ctx, "english": english, "text": text})
    return rows


def review_status(lang, content):
    values, _ = ini_parse(os.path.join(content, lang, "language.ini"))
    return values.get(("language", "review"), (0, "not recorded"))[1]


# ---------------------------------------------------------------- the sheet

SHEET_CSS = """
body{font:16px/1.45 system-ui,sans-serif;margin:1.5em;color:#111}
h1{font-size:1.5em}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #bbb;padding:.4em;vertical-align:top;text-align:start}
th{background:#eee}td.ctx{font-size:.85em;color:#444;width:22%}td.en{width:26%}
textarea{width:100%;min-height:3.2em;font:inherit;box-sizing:border-box}
tr.changed td{background:#fff6d5}h2{margin-top:1.5em}.who input{font:inherit;margin:.2em}
.box{background:#f4f4f4;padding:.8em;border-radius:.3em}button{font:inherit;padding:.5em 1em}
"""

SHEET_JS = r"""
const data = JSON.parse(document.getElementById('fristad-data').textContent);
const ph = s => (s.match(/\{[a-z_]+\}|%(?:\d+\$)?[sdui]/g) || []).sort().join(' ');
document.querySelectorAll('textarea.fix').forEach(t => t.addEventListener('input', () =>
  t.closest('tr').classList.toggle('changed', t.value !== t.dataset.current)));
document.getElementById('save').addEventListener('click', () => {
  const corrections = [], problems = [];
  document.querySelectorAll('tr[data-id]').forEach(tr => {
    const t = tr.querySelector('textarea.fix'), note = tr.querySelector('textarea.note').value.trim();
    const row = data.rows[+tr.dataset.index];
    if (t.value === row.text && !note) return;
    if (ph(t.value) !== ph(row.english)) problems.push(row.id);
    corrections.push({id: row.id, old: row.text, new: t.value, note: note});
  });
  const out = {format: data.format, language: data.language, made: data.made,
    reviewer: document.getElementById('reviewer').value.trim(),
    date: document.getElementById('date').value.trim(),
    complete: document.getElementById('complete').checked, corrections: corrections};
  if (problems.length && !confirm('These rows lost or gained a {…} or %… mark that must stay as in ' +
      'the English: ' + problems.join(', ') + '. Save anyway?')) return;
  if (out.complete && (!out.reviewer || !/^\d{4}-\d{2}-\d{2}$/.test(out.date))) {
    alert('Please write your name and the date (YYYY-MM-DD) before marking the review complete.'); return; }
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([JSON.stringify(out, null, 1)], {type: 'application/json'}));
  a.download = 'fristad-review-' + data.language + '.json';
  document.body.appendChild(a); a.click(); a.remove();
  document.getElementById('saved').textContent = corrections.length + ' row(s) saved to ' + a.download;
});
"""


def sheet(args):
    lang, content, po = args.lang, args.content, args.po
    rows = collect(lang, content, po)
    values, _ = ini_parse(os.path.join(content, lang, "language.ini"))
    name = values.get(("language", "name"), (0, lang))[1]
    english_name = values.get(("language", "english-name"), (0, lang))[1]
    direction = values.get(("language", "direction"), (0, "ltr"))[1]
    made = datetime.date.today().isoformat() if not os.environ.get("SOURCE_DATE_EPOCH") else \
        datetime.datetime.utcfromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"])).date().isoformat()
    data = {"format": FORMAT, "language": lang, "made": made, "rows": rows}
    esc = html.escape
    out = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           f"<title>Fristad review: {esc(english_name)} ({esc(lang)})</title><style>{SHEET_CSS}</style></head><body>",
           f"<h1>Fristad kiosk — review of {esc(english_name)} / <span dir=\"{direction}\">{esc(name)}</span></h1>",
           f"<p>Status now: <b>{esc(review_status(lang, content))}</b>. {len(rows)} texts.</p>",
           "<div class=\"box\"><p><b>How to review.</b> The kiosk helps people who may be exploited. "
           "They may read little and may be watched. Read each text as such a person would. The middle "
           "column is the English; the right column is the text now on the kiosk: change it where it is "
           "wrong, unclear or not how people speak. Keep marks like <code>{site}</code> or <code>%s</code> "
           "exactly. For a yes/no question, check that 'No' has one meaning (the note says what yes and no "
           "mean). Write a question or remark for the developers in the small box under a text.</p>"
           "<p>When you are done, write your name (and organisation) and the date, tick the box if you read "
           "<i>every</i> text, and press <b>Save my corrections</b>. Your browser saves a file "
           f"<code>fristad-review-{esc(lang)}.json</code>: send that file back. Nothing is sent by this page."
           "</p><p class=\"who\">Name (organisation): <input id=\"reviewer\" size=\"40\"> Date: "
           f"<input id=\"date\" size=\"12\" placeholder=\"YYYY-MM-DD\" value=\"{made}\"> "
           "<label><input type=\"checkbox\" id=\"complete\"> I have read every text and I am a native "
           "speaker</label></p><p><button id=\"save\">Save my corrections</button> <span id=\"saved\"></span>"
           "</p></div>"]
    section = None
    for i, r in enumerate(rows):
        if r["section"] != section:
            if section is not None:
                out.append("</table>")
            section = r["section"]
            out.append(f"<h2>{esc(section)}</h2><table><tr><th>Where and what</th><th>English</th>"
                       f"<th>{esc(english_name)}: correct it here</th></tr>")
        out.append(f"<tr data-id=\"{esc(r['id'])}\" data-index=\"{i}\"><td class=\"ctx\">{esc(r['context'])}"
                   f"<br><small>{esc(r['id'])}</small></td><td class=\"en\" dir=\"ltr\">"
                   f"{esc(r['english']).replace(chr(10), '<br>')}</td><td dir=\"{direction}\" lang=\"{esc(lang.replace('_', '-'))}\">"
                   f"<textarea class=\"fix\" data-current=\"{esc(r['text'])}\">{esc(r['text'])}</textarea>"
                   "<textarea class=\"note\" dir=\"auto\" placeholder=\"remark (optional)\" rows=\"1\"></textarea>"
                   "</td></tr>")
    if section is not None:
        out.append("</table>")
    blob = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    out.append(f"<script type=\"application/json\" id=\"fristad-data\">{blob}</script>")
    out.append(f"<script>{SHEET_JS}</script></body></html>\n")
    write(args.out, "\n".join(out))
    if args.depfile:
        deps = [os.path.join(content, "content.ini"), os.path.join(content, "form.json"),
                os.path.join(po, lang + ".po")]
        for d in (os.path.join(content, "en"), os.path.join(content, lang)):
            for root, _, files in os.walk(d):
                deps += [os.path.join(root, f) for f in sorted(files)]
        with open(args.depfile, "w", encoding="utf-8") as f:
            f.write(args.out.replace(" ", "\\ ") + ": " + " ".join(p.replace(" ", "\\ ") for p in deps) + "\n")


# ---------------------------------------------------------------- applying corrections

def status_lines(reviewer, date):
    return (f"reviewed {date} by {reviewer}, native speaker", f"reviewed {date}; {reviewer}")


def apply(args):
    try:
        doc = json.loads(read(args.file))
    except (OSError, ValueError) as e:
        fail(f"{args.file}: {e}")
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        fail(f"{args.file}: not a Fristad review file (format {FORMAT})")
    lang = doc.get("language", "")
    if not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", lang) or lang == "en":
        fail(f"{args.file}: language {lang!r} is not one to review")
    content, po = args.content, args.po
    if not os.path.isdir(os.path.join(content, lang)):
        fail(f"{content}/{lang}: no such content folder")
    reviewer = str(doc.get("reviewer", "")).strip()
    date = str(doc.get("date", "")).strip()
    complete = doc.get("complete") is True
    if complete and (not reviewer or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) or "\n" in reviewer):
        fail(f"{args.file}: a complete review needs a reviewer and a date YYYY-MM-DD")

    rows = {r["id"]: r for r in collect(lang, content, po)}
    files = {}       # path -> list of lines
    po_entries = None
    po_path = os.path.join(po, lang + ".po")
    skipped, applied, notes = [], 0, []

    def lines_of(path):
        if path not in files:
            files[path] = read(path).split("\n")
        return files[path]

    for c in doc.get("corrections", []):
        cid, old, new = c.get("id"), c.get("old"), c.get("new")
        if c.get("note"):
            notes.append(f"{cid}: {c['note']}")
        row = rows.get(cid)
        if row is None or not isinstance(new, str) or not isinstance(old, str):
            skipped.append(f"{cid}: unknown text id or malformed row")
            continue
        if new == old:
            continue
        if row["text"] != old:
            skipped.append(f"{cid}: the text changed since the sheet was made (now {row['text']!r}); skipped")
            continue
        if sorted(PLACEHOLDER.findall(new)) != sorted(PLACEHOLDER.findall(row["english"])) \
                and row["english"] != "(its own name)":
            skipped.append(f"{cid}: placeholders differ from the English; skipped")
            continue
        if not new.strip():
            skipped.append(f"{cid}: empty; skipped")
            continue
        if cid.startswith("po:"):
            if po_entries is None:
                po_entries = {}
                for e in po_parse(po_path):
                    for n in e["strs"]:
                        po_entries[po_key(e, n)] = (e, n)
            e, n = po_entries[cid]
            e["strs"][n] = new
            e["dirty"] = True
        else:
            if "\n" in new:
                skipped.append(f"{cid}: one paragraph is one line; skipped")
                continue
            kind, rest = cid.split(":", 1)
            if kind == "language":
                path = os.path.join(content, lang, "language.ini")
                values, _ = ini_parse(path)
                i, _ = values[("language", "name")]
                lines_of(path)[i] = "name=" + new
            elif kind == "form":
                group, key = rest.rsplit(":", 1)
                path = os.path.join(content, lang, "form.ini")
                values, _ = ini_parse(path)
                i, _ = values[(group, key)]
                lines_of(path)[i] = f"{key}={new}"
            else:
                if kind == "consent":
                    path, n = os.path.join(content, lang, "consent.txt"), int(rest)
                else:
                    tid, n = rest.rsplit(":", 1)
                    path, n = os.path.join(content, lang, "topics", tid + ".txt"), int(n)
                i, _ = doc_entries(path)[n]
                lines_of(path)[i] = new
        applied += 1

    # Review status: every file of the language when the review is complete.
    if complete:
        status, header = status_lines(reviewer, date)
        for root, _, names in os.walk(os.path.join(content, lang)):
            for name in names:
                path = os.path.join(root, name)
                ls = lines_of(path)
                if ls and ls[0].startswith("# Review: "):
                    ls[0] = "# Review: " + status
                for j, l in enumerate(ls):
                    if l.startswith("review=") and name == "language.ini":
                        ls[j] = "review=" + status
    for path, ls in files.items():
        write(path, "\n".join(ls))

    if po_entries is not None or complete:
        text = read(po_path).split("\n")
        dirty = {id(e): e for e, _ in (po_entries or {}).values() if e.get("dirty")}
        for e in sorted(dirty.values(), key=lambda e: e["start"], reverse=True):
            block = text[e["start"]:e["end"]]
            k = next(j for j, l in enumerate(block) if l.startswith("msgstr"))
            head = []
            for l in block[:k]:
                if l.startswith("#,"):
                    flags = [f.strip() for f in l[2:].split(",") if f.strip() != "fuzzy"]
                    if not flags:
                        continue
                    l = "#, " + ", ".join(flags)
                head.append(l)
            if e["plural"] is None:
                head += ("msgstr " + po_quote(e["strs"][0])).split("\n")
            else:
                for n in sorted(e["strs"]):
                    head += (f"msgstr[{n}] " + po_quote(e["strs"][n])).split("\n")
            text[e["start"]:e["end"]] = head
        if complete:
            status, header = status_lines(reviewer, date)
            for j, l in enumerate(text):
                if l.startswith("# Review status: "):
                    text[j] = "# Review status: " + status
                elif l.startswith('"X-Review-Status: '):
                    text[j] = f'"X-Review-Status: {header}\\n"'
                elif l.startswith('"Last-Translator: '):
                    text[j] = f'"Last-Translator: {reviewer}\\n"'
                elif l.startswith('"PO-Revision-Date: '):
                    text[j] = f'"PO-Revision-Date: {date} 00:00+0000\\n"'
        write(po_path, "\n".join(text))

    print(f"{lang}: {applied} correction(s) applied" + (f", review recorded: {reviewer} {date}" if complete else ""))
    for n in notes:
        print(f"remark: {n}")
    for s in skipped:
        print(f"skipped: {s}", file=sys.stderr)
    return 1 if skipped else 0


def main():
    p = argparse.ArgumentParser(prog="fristad-review.py")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sheet")
    s.add_argument("--lang", required=True)
    s.add_argument("--content", required=True)
    s.add_argument("--po", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--depfile")
    a = sub.add_parser("apply")
    a.add_argument("file")
    a.add_argument("--content", required=True)
    a.add_argument("--po", required=True)
    args = p.parse_args()
    if args.cmd == "sheet":
        if not os.path.isdir(os.path.join(args.content, args.lang)):
            fail(f"{args.content}/{args.lang}: no such content folder")
        sheet(args)
        return 0
    return apply(args)


if __name__ == "__main__":
    sys.exit(main())
