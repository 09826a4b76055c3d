#!/bin/bash
# Memory check: 4 accounts, each with a 50 MB message and 5 small ones, migrated in parallel with -Xmx256m
# (Dovecot -> Dovecot, .ci/dovecot.sh), then each copy compared with its source. Usage: bench/mail-memory.sh
set -e
cd "$(dirname "$0")/.."
W=${WORK:-/tmp/hubbench-mail-memory}; mkdir -p "$W"
"$(dirname "$0")/../.ci/dovecot.sh" start >/dev/null
> $W/accounts.csv
for i in 1 2 3 4; do
  u=mem$i; rm -rf /tmp/hub-dovecot/src/mail/$u /tmp/hub-dovecot/tgt/mail/$u
  .ci/dovecot.sh adduser $u mempw
  echo "$u,$u,env:MEMPW,env:MEMPW" >> $W/accounts.csv
  python3 - $u <<'PY'
import imaplib, sys
u = sys.argv[1]
M = imaplib.IMAP4("127.0.0.1", 14143); M.login(u, "mempw")
line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n"
big = b"From: a@b\r\nSubject: 50 MB\r\nMessage-ID: <big-" + u.encode() + b"@x>\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + line * (50_000_000 // len(line))
print(M.append("INBOX", r"(\Seen $Label1)", None, big)[0])
for i in range(5):
    M.append("INBOX", None, None, f"Subject: small {i}\r\nMessage-ID: <s{i}-{u}@x>\r\n\r\nbody\r\n".encode())
M.logout()
PY
done
cat > $W/route.yaml <<R
- route:
    id: mem-mail
    from:
      uri: migration:mail
      parameters:
        application: memcheck
        source: "imap://127.0.0.1:14143?plain=true"
        target: "imap://127.0.0.1:14144?plain=true"
        accounts: $W/accounts.csv
        parallelism: 4
      steps:
        - log: "\${body}"
R
rm -rf $W/data
MEMPW=mempw JAVA_OPTS="-Xmx256m" /usr/bin/time -v ./hub --data-dir $W/data run --once $W/route.yaml > $W/hub.log 2>&1; echo "hub exit $?"
grep -E "SUCCEEDED|FAILED|Maximum resident|OutOfMemory" $W/hub.log | cut -c1-250
for i in 1 2 3 4; do python3 bench/mail/compare.py 14143 mem$i 14144 mem$i mempw; done
