"""Exit 0 when the PostgreSQL server of the given URL accepts a connection (to its maintenance
database), 1 otherwise. Used by scripts/test.sh and .ci/run."""

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg

url = sys.argv[1]
parts = urlsplit(url)
maintenance = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))
try:
    psycopg.connect(maintenance, connect_timeout=3).close()
except psycopg.Error as exc:
    print(f"PostgreSQL not reachable: {exc}".strip(), file=sys.stderr)
    sys.exit(1)
