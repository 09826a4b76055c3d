#!/usr/bin/env python3
"""Seed the benchmark account: N messages of mixed sizes in INBOX, Sent and Archive/2023, with system flags,
keywords and internal dates (stdlib imaplib, APPEND). usage: seed.py PORT USER PASS N"""
import imaplib, random, sys, time, email.utils
port, user, pw, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
rnd = random.Random(42)
M = imaplib.IMAP4("127.0.0.1", port); M.login(user, pw)
for f in ("Sent", "Archive", "Archive/2023"):
    M.create(f); M.subscribe(f)
folders = ["INBOX", "Sent", "Archive/2023"]
flagsets = ["", r"(\Seen)", r"(\Seen \Flagged)", r"(\Answered \Seen)", r"($Label1)", r"(\Seen $Label2 Penting)"]
def size_of(i):  # 70 % ~2 KB, 25 % ~30 KB, 5 % ~300 KB, and three of 3 MB
    if i in (100, 1000, 1900): return 3_000_000
    r = rnd.random()
    return 2_000 if r < .70 else 30_000 if r < .95 else 300_000
t0, total = time.time(), 0
line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n"
for i in range(n):
    f = folders[i % 3]
    head = (f"From: Sender {i} <s{i}@example.org>\r\nTo: {user}@example.org\r\nSubject: bench {i} in {f}\r\n"
            f"Date: {email.utils.formatdate(1672531200 + i * 3600)}\r\n"
            + ("" if i % 97 == 5 else f"Message-ID: <bench-{i}@example.org>\r\n")
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
    body = line * max(1, (size_of(i) - len(head)) // len(line))
    msg = (head + body).encode()
    total += len(msg)
    typ, _ = M.append(f, flagsets[i % len(flagsets)] or None, imaplib.Time2Internaldate(1672531200 + i * 3600), msg)
    assert typ == "OK", typ
print(f"seeded {n} messages ({total / 1e6:.1f} MB) for {user}@127.0.0.1:{port} in {time.time() - t0:.1f} s")
M.logout()
