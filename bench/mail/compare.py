#!/usr/bin/env python3
"""Compare a copy with its source, per folder: message count, bytes (SHA-256 multiset), flags and keywords,
internal dates. usage: compare.py SRC_PORT SRC_USER TGT_PORT TGT_USER PASS   (prints one line, exit 1 on a difference)"""
import collections, hashlib, imaplib, re, sys
sp, su, tp, tu, pw = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]

def folders(M):
    out = {}
    for b in M.list()[1]:
        m = re.match(rb'\((.*?)\) "(.)" (.*)', b)
        sep, name = m.group(2).decode(), m.group(3).decode().strip('"')
        out[name.replace(sep, "/")] = name
    return out

def read(M, name):
    typ, d = M.select(f'"{name}"', readonly=True)
    msgs = []
    if int(d[0]) == 0: return msgs
    typ, data = M.fetch("1:*", "(FLAGS INTERNALDATE BODY.PEEK[])")
    for part in data:
        if not isinstance(part, tuple): continue
        head, body = part[0].decode(), part[1]
        flags = sorted(f for f in re.search(r"FLAGS \(([^)]*)\)", head).group(1).split() if f != "\\Recent")
        date = re.search(r'INTERNALDATE "([^"]+)"', head).group(1)
        # flags and dates are matched by the content without mbsync's added X-TUID header, bytes by the raw content
        key = hashlib.sha256(re.sub(rb"(?m)^X-TUID: [^\r\n]*\r\n", b"", body)).hexdigest()
        msgs.append((hashlib.sha256(body).hexdigest(), key, " ".join(flags), imaplib.Internaldate2tuple(f'INTERNALDATE "{date}"'.encode())))
    return msgs

S = imaplib.IMAP4("127.0.0.1", sp); S.login(su, pw)
T = imaplib.IMAP4("127.0.0.1", tp); T.login(tu, pw)
sf, tf = folders(S), folders(T)
ok = {"count": True, "bytes": True, "flags": True, "dates": True}
counts = []
for logical, name in sorted(sf.items()):
    src = read(S, name)
    if not src: continue
    tgt = read(T, tf[logical]) if logical in tf else []
    counts.append(f"{logical} {len(src)}/{len(tgt)}")
    ok["count"] &= len(src) == len(tgt)
    ok["bytes"] &= collections.Counter(h for h, _, _, _ in src) == collections.Counter(h for h, _, _, _ in tgt)
    ok["flags"] &= collections.Counter((k, f) for _, k, f, _ in src) == collections.Counter((k, f) for _, k, f, _ in tgt)
    ok["dates"] &= collections.Counter((k, d) for _, k, _, d in src) == collections.Counter((k, d) for _, k, _, d in tgt)
print("messages " + ", ".join(counts) + " | byte-identical: " + ("yes" if ok["bytes"] else "NO")
      + " | flags+keywords: " + ("yes" if ok["flags"] else "NO")
      + " | internal dates: " + ("yes" if ok["dates"] else "NO"))
sys.exit(0 if all(v for v in ok.values()) else 1)
