"""Read replicas: the read-only hot paths read from PostgreSQL streaming standbys.

One office server is enough for most installations; when it is not, `DATABASE_REPLICA_URLS`
names standbys that take the heaviest reads (feed, ICS, tree and detail pages, dashboards, API
lists) off the primary. The pieces, each small:

* `scope` — a context variable that says "this request may read from a replica"; only the views
  in `REPLICA_READ_VIEWS` (GET/HEAD) set it, so nothing else can read stale data by accident.
* `health` — whether a replica is up and within `REPLICA_MAX_LAG_SECONDS`, asked at most every
  `REPLICA_HEALTH_SECONDS` per process.
* `sticky` — read-your-own-writes: a person who wrote reads from the primary for
  `REPLICA_STICKY_SECONDS`, remembered in the shared cache so every web node knows.
* `router` — the database router: replica reads inside the scope, writes always on the primary.
* `middleware` — opens the scope for the named views, records writes, and answers from the
  primary when a replica fails in the middle of a request.

Without replicas every piece is a no-op and behaviour is exactly the single-database one.
"""
