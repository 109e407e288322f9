"""The production-mode workload of ``make bench`` (issue 22).

The real server in production mode — ``python3 -m odoo --workers=2
--max-cron-threads=1``, Odoo's default memory and time limits, 127.0.0.1
only — on a throw-away copy of the bench database (``<db>_http``, made with
``createdb -T``, dropped afterwards: the load commits, the bench database
stays as it was), driven over HTTP/JSON-RPC by simulated clerks, each a
thread with its own session, logged in as a different member of staff of a
different unit.  Each clerk, with think time between requests, does what the
web client does:

* ``new``: opens an empty registration form (``onchange``, the defaults);
* ``register``: saves it (``web_save``, re-reading the form's fields);
* ``list``: opens its list (``web_search_read``, the list view's fields,
  80 rows, the pager's count up to 10,000);
* ``form``: opens the matter it registered (``web_read``, the form's fields);
* ``answer`` or ``guide`` in turn: answers the customer (``answer``), or
  guides the customer to a colleague of its unit (``guide``).

The peer (OCA helpdesk_mgmt with SLAs) gets the same load from as many
helpdesk agents: a new ticket form, its save, the list, the form, then a
note in the chatter (``message_post``) or an assignment to a colleague
(``write``).  Then the capacity: the same clerks register back to back (no
think time) for a fixed time, ours and the peer's, for the registrations per
second each server can take, and as many calls that do nothing (a count
of no record): what any request costs the machine, the most a
registration's throughput can be.  During our load, the cron worker is woken to
run the follow-up sweep (Odoo's own ``ir.cron._trigger``), and the
registrations made while it ran are reported apart.

The client is bounded: a fixed number of clerks, a fixed duration, a timeout
on every request.  The server's log is read afterwards: ERROR lines, and
Odoo's "retrying with a read/write cursor" warnings (a read-only request that
tried to write), whose target is 0.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

#: the password the clerks get, on the throw-away copy only
PASSWORD = "bench-clerk-2026"
TZ = "Asia/Shanghai"
TIMEOUT = 60
ANSWER = "已电话答复客户，客户无异议。"
#: non-complaint kinds: a complaint's first step is an approval, not an answer
KINDS = (("consult", 40), ("query", 25), ("business", 25), ("coordinate", 10))


def log(msg):
    print(f"[bench] {dt.datetime.now():%H:%M:%S} {msg}", flush=True)


class RpcError(Exception):
    pass


class Client:
    """One logged-in web session (``requests.Session``) of one user.

    ``gate``: the proxy's limit of requests in flight to the server.  Odoo's
    prefork server listens with a backlog of 8 per worker; connections
    beyond it overflow the kernel's queue, and TCP retries them 1 to 3 s
    later (or the worker finds them empty and closes them): a proxy in front
    of Odoo (nginx's ``max_conns``) queues them instead, as this does."""

    gate = threading.BoundedSemaphore(16)

    def __init__(self, base, db, login):
        import requests

        self.base = base
        self.db = db
        self.login = login
        self.http = requests.Session()
        # one request per connection, as a proxy in front of Odoo sends them
        # (nginx speaks HTTP/1.0 to its upstream): a prefork worker waits up
        # to 2 s for a kept-alive connection's next request, serving nobody
        self.http.headers["Connection"] = "close"
        self.context = {}
        self.uid = None
        self.ids = 0

    def _post(self, path, params):
        self.ids += 1
        with self.gate:
            response = self.http.post(
                self.base + path,
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": self.ids,
                    "params": params,
                },
                timeout=TIMEOUT,
            )
        response.raise_for_status()
        data = response.json()
        if "error" in data:
            error = data["error"]
            raise RpcError(
                (error.get("data") or {}).get("message") or error.get("message")
            )
        return data["result"]

    def authenticate(self):
        result = self._post(
            "/web/session/authenticate",
            {"db": self.db, "login": self.login, "password": PASSWORD},
        )
        self.uid = result["uid"]
        self.context = {
            "lang": "zh_CN",
            "tz": TZ,
            "uid": self.uid,
            "allowed_company_ids": [
                result["user_companies"]["current_company"]
                if result.get("user_companies")
                else 1
            ],
        }

    def call(self, model, method, *args, **kwargs):
        kwargs["context"] = {**self.context, **kwargs.get("context", {})}
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def specifications(self, model):
        """The fields the web client reads for the list and the form views,
        as this user gets them (``get_views``: their groups apply)."""
        from lxml import etree

        views = self.call(
            model, "get_views", views=[[False, "list"], [False, "form"]], options={}
        )
        fields = views["models"][model]["fields"]
        specs = {}
        for kind in ("list", "form"):
            arch = etree.fromstring(views["views"][kind]["arch"])
            spec = {}
            for node in arch.iter("field"):
                if any(a.tag == "field" for a in node.iterancestors()):
                    continue  # a sub-view's field
                name = node.get("name")
                ftype = fields.get(name, {}).get("type")
                if ftype in ("many2one", "one2many", "many2many"):
                    spec[name] = {"fields": {"display_name": {}}}
                else:
                    spec[name] = {}
            specs[kind] = spec
        return specs


class Recorder:
    """The samples of one load: (kind, start (epoch), seconds, error)."""

    def __init__(self):
        self.samples = []
        self.errors = []
        self.lock = threading.Lock()

    @contextmanager
    def timed(self, kind):
        start = time.time()
        t0 = time.perf_counter()
        error = None
        try:
            yield
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        elapsed = time.perf_counter() - t0
        with self.lock:
            self.samples.append((kind, start, elapsed, error))
            if error:
                self.errors.append((kind, error))
        if error:
            raise RpcError(error)


def percentiles(values):
    values = sorted(values)
    if len(values) < 2:
        value = values[0] if values else 0.0
        return value, value, value
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def summarise(recorder, duration, windows=()):
    """Per request kind: count, p50/p95/p99 (ms), errors; requests/s; the
    registrations made while the sweep ran (``windows``) apart."""
    kinds = {}
    for kind in sorted({s[0] for s in recorder.samples}):
        times = [s[2] for s in recorder.samples if s[0] == kind and not s[3]]
        errors = sum(1 for s in recorder.samples if s[0] == kind and s[3])
        p50, p95, p99 = percentiles(times) if times else (0, 0, 0)
        kinds[kind] = {
            "count": len(times),
            "errors": errors,
            "p50_ms": 1000 * p50,
            "p95_ms": 1000 * p95,
            "p99_ms": 1000 * p99,
        }
    ok = [s for s in recorder.samples if not s[3]]
    result = {
        "duration": duration,
        "requests": len(recorder.samples),
        "requests_per_s": len(ok) / duration,
        "errors": len(recorder.errors),
        "first_errors": recorder.errors[:5],
        "kinds": kinds,
        "registrations_per_s": kinds.get("register", {}).get("count", 0) / duration,
    }
    if windows:

        def swept(sample):
            start, end = sample[1], sample[1] + sample[2]
            return any(start < w_end and end > w_start for w_start, w_end in windows)

        during = [s[2] for s in ok if s[0] == "register" and swept(s)]
        p50, p95, p99 = percentiles(during) if during else (0, 0, 0)
        result["during_sweep"] = {
            "windows": windows,
            "count": len(during),
            "p50_ms": 1000 * p50,
            "p95_ms": 1000 * p95,
            "p99_ms": 1000 * p99,
        }
    return result


# --------------------------------------------------------------- the clerks
def think(rng, bounds):
    if bounds[1] > 0:
        time.sleep(rng.uniform(*bounds))


class System:
    """What a clerk does on one system: its model, and its two last steps."""

    def __init__(self, name, model, answer, guide):
        self.name, self.model = name, model
        self.answer, self.guide = answer, guide


OURS = System(
    "ours",
    "shouwen.matter",
    lambda c, rid, _col: c.call("shouwen.matter", "answer", [rid], ANSWER, "phone"),
    lambda c, rid, col: c.call("shouwen.matter", "guide", [rid], col, "请协助办理"),
)
PEER = System(
    "peer",
    "helpdesk.ticket",
    lambda c, rid, _col: c.call(
        "helpdesk.ticket",
        "message_post",
        [rid],
        body=ANSWER,
        message_type="comment",
        subtype_xmlid="mail.mt_note",
    ),
    lambda c, rid, col: c.call("helpdesk.ticket", "write", [rid], {"user_id": col}),
)


def cycle(system, client, rng, recorder, bounds, deadline, n, colleague, values):
    """One clerk's cycle (``n``: its number): new form, save, list, form,
    then answer or guide in turn."""
    model, specs, holder = system.model, client.specs, {}

    def new():
        client.call(model, "onchange", [], {}, [], specs["form"])

    def register():
        saved = client.call(model, "web_save", [], values, specification=specs["form"])
        holder["id"] = saved[0]["id"]

    def open_list():
        client.call(
            model,
            "web_search_read",
            domain=[],
            specification=specs["list"],
            offset=0,
            limit=80,
            count_limit=10001,
        )

    def open_form():
        client.call(model, "web_read", [holder["id"]], specification=specs["form"])

    last = "answer" if n % 2 else "guide"
    steps = [
        ("new", new),
        ("register", register),
        ("list", open_list),
        ("form", open_form),
        (last, lambda: getattr(system, last)(client, holder["id"], colleague)),
    ]
    run_steps(steps, rng, recorder, bounds, deadline)


def run_steps(steps, rng, recorder, bounds, deadline):
    for kind, func in steps:
        think(rng, bounds)
        if time.time() >= deadline:
            return
        try:
            with recorder.timed(kind):
                func()
        except RpcError:
            return  # the rest of the cycle needs what failed


def load(system, clerks, make_values, duration, bounds, seed, register_only=False,
         empty_only=False):  # fmt: skip
    """``clerks`` run their cycle on ``system`` for ``duration`` seconds;
    returns the recorder.  ``register_only``: back-to-back registrations;
    ``empty_only``: back-to-back calls that do nothing (a count of no
    record), what any request costs the machine (the server's dispatch and
    session, the client)."""
    recorder = Recorder()
    deadline = time.time() + duration

    def clerk_loop(index, client, colleague):
        rng = random.Random(seed * 1000 + index)
        n = 0
        while time.time() < deadline:
            n += 1
            if empty_only:
                try:
                    with recorder.timed("empty"):
                        client.call("res.partner", "search_count", [("id", "=", 0)])
                except RpcError:
                    time.sleep(0.1)
                continue
            values = make_values(rng, client)
            if register_only:
                try:
                    with recorder.timed("register"):
                        client.call(
                            system.model, "web_save", [], values,
                            specification=client.specs["form"],
                        )  # fmt: skip
                except RpcError:
                    time.sleep(0.1)
                continue
            cycle(system, client, rng, recorder, bounds, deadline, n, colleague, values)

    threads = [
        threading.Thread(target=clerk_loop, args=(i, c, col), daemon=True)
        for i, (c, col) in enumerate(clerks)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + TIMEOUT + 10)
    return recorder


# --------------------------------------------------------------- the server
class Server:
    """``python3 -m odoo`` in prefork mode on ``db``, 127.0.0.1 only."""

    def __init__(self, config, db, logfile, port, gevent_port):
        self.config, self.db, self.logfile = config, db, Path(logfile)
        self.port, self.gevent_port = port, gevent_port
        self.proc = None
        self.base = f"http://127.0.0.1:{port}"

    def start(self):
        import requests

        # prefork spawns its websocket (gevent) process as ``sys.argv[0]
        # gevent``: that needs a script, not ``-m odoo``'s __main__.py
        self.logfile.parent.mkdir(parents=True, exist_ok=True)
        launcher = self.logfile.with_name("odoo-server.py")
        launcher.write_text(
            "import sys\nfrom odoo.cli.command import main\n\nsys.exit(main())\n"
        )
        cmd = [
            sys.executable,
            str(launcher),
            "-c",
            self.config,
            "-d",
            self.db,
            f"--db-filter=^{self.db}$",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={self.gevent_port}",
            "--workers=2",
            "--max-cron-threads=1",
            f"--logfile={self.logfile}",
            "--log-level=info",
        ]
        self.logfile.write_text("")
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server stopped; see {self.logfile}")
            try:
                if requests.get(self.base + "/web/login", timeout=10).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise SystemExit(f"the server did not answer in 120 s; see {self.logfile}")

    def worker_rss_mb(self):
        """The resident memory of the server's processes (workers, cron)."""
        import psutil

        try:
            parent = psutil.Process(self.proc.pid)
            procs = [parent, *parent.children()]
            return [p.memory_info().rss / 2**20 for p in procs]
        except psutil.Error:
            return []

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def read_log(self, cron_id):
        """ERROR lines, read-only retries, and the windows (epoch) in which
        the cron job ``cron_id`` ran."""
        text = self.logfile.read_text(errors="replace")
        stamp = r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) \d+ (\w+) "
        errors, retries, windows, started = [], 0, [], None
        for line in text.splitlines():
            match = re.match(stamp, line)
            if not match:
                continue
            when = (
                dt.datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f")
                .replace(tzinfo=dt.timezone.utc)
                .timestamp()
            )
            if match.group(2) in ("ERROR", "CRITICAL"):
                errors.append(line[:300])
            if "retrying with a read/write cursor" in line:
                retries += 1
            if f"({cron_id}) starting" in line:
                started = when
            elif f"({cron_id}) done in" in line and started:
                windows.append((started, when))
                started = None
        if started:
            windows.append((started, time.time()))
        return {"errors": errors, "ro_retries": retries, "sweep_windows": windows}


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------ the workload
def choose_clerks(env, org, peer, count):
    """``count`` staff of as many different units, each with a colleague of
    the same unit (whom a matter can be guided to); and ``count`` helpdesk
    agents of the peer's team (made once)."""
    env.cr.execute(
        """SELECT u.shouwen_unit_id, array_agg(u.id ORDER BY u.id)
             FROM res_users u
            WHERE u.id = ANY(%s) AND u.active
            GROUP BY u.shouwen_unit_id HAVING count(*) >= 2
            ORDER BY u.shouwen_unit_id""",
        [org["users"]["staff"]],
    )
    rows = env.cr.fetchall()
    step = max(len(rows) // count, 1)
    ours = [(ids[0], ids[1]) for _unit, ids in rows[::step][:count]]
    Users = env["res.users"].with_context(no_reset_password=True)
    group = env.ref("helpdesk_mgmt.group_helpdesk_user")
    agents = Users.search([("login", "=like", "bench_helpdesk_agent_%")], order="id")
    for i in range(len(agents), count + 1):
        agents |= Users.create(
            {
                "name": f"帮助台坐席{i:02d}",
                "login": f"bench_helpdesk_agent_{i:02d}",
                "email": f"bench_helpdesk_agent_{i:02d}@example.com",
                "lang": "zh_CN",
                "tz": TZ,
                "groups_id": [(6, 0, group.ids)],
            }
        )
    team = env["helpdesk.ticket.team"].browse(peer["team"])
    team.user_ids = [(4, uid) for uid in agents.ids]
    # a customer per agent: tickets of one customer, registered at once by
    # forty agents, would fight over that partner's row
    partners = env["res.partner"].search(
        [("ref", "=like", "bench_customer_%")], order="id"
    )
    for i in range(len(partners), count):
        partners |= partners.create(
            {"name": f"客户{i:02d}", "ref": f"bench_customer_{i:02d}"}
        )
    theirs = [(agents[i].id, agents[i + 1].id, partners[i].id) for i in range(count)]
    users = env["res.users"].browse([u for pair in ours for u in pair] + agents.ids)
    env.cr.execute(
        "UPDATE res_users SET password = %s WHERE id = ANY(%s)",
        [users._crypt_context().hash(PASSWORD), users.ids],
    )
    env.cr.execute("SELECT id, login FROM res_users WHERE id = ANY(%s)", [users.ids])
    logins = dict(env.cr.fetchall())
    return (
        [(logins[a], b, None) for a, b in ours],
        [(logins[a], b, partner) for a, b, partner in theirs],
    )


def copy_database(odoo, source, target, data_dir):
    """``createdb -T``: the copy the load may change; its filestore too."""
    import shutil

    odoo.sql_db.close_db(source)
    conn = odoo.sql_db.db_connect("postgres")
    with conn.cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    store = Path(data_dir) / "filestore"
    shutil.rmtree(store / target, ignore_errors=True)
    if (store / source).exists():
        shutil.copytree(store / source, store / target)


def drop_copy(odoo, target, data_dir):
    import shutil

    odoo.sql_db.close_db(target)
    conn = odoo.sql_db.db_connect("postgres")
    with conn.cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
    shutil.rmtree(Path(data_dir) / "filestore" / target, ignore_errors=True)


def run(bench, out_dir):
    """The production-mode workload; its results go to ``bench.results``."""
    from bench import SUBJECTS, environment, matter_values

    import odoo
    from odoo.modules.registry import Registry

    args = bench.args
    source, copy = args.database, f"{args.database}_http"
    with bench.env() as env:
        ours, theirs = choose_clerks(env, bench.org, bench.peer, args.clerks)
    log(f"production mode: copying {source} to {copy}")
    data_dir = odoo.tools.config["data_dir"]
    copy_database(odoo, source, copy, data_dir)
    registry = Registry(copy)
    with environment(registry) as env:
        sweep_cron = env.ref("shouwen_responsibility.ir_cron_shouwen_followup_sweep")
        # the sweep runs when this workload wakes it, not at start
        sweep_cron.nextcall = dt.datetime.now() + dt.timedelta(days=1)
        cron_id = sweep_cron.id
        env.cr.execute(
            "SELECT count(*) FROM shouwen_matter WHERE next_followup_date <= "
            "now() AT TIME ZONE 'UTC'"
        )
        due = env.cr.fetchone()[0]
    server = Server(
        args.config,
        copy,
        out_dir / "production-server.log",
        free_port(),
        free_port(),
    )
    bounds = tuple(float(x) for x in args.think.split(","))
    results = {}
    try:
        server.start()
        log(f"server up (2 workers, 1 cron worker) on {server.base}; logging in")
        clients = {}
        for name, pairs, model in (
            ("ours", ours, "shouwen.matter"),
            ("peer", theirs, "helpdesk.ticket"),
        ):
            clients[name] = []
            for login, colleague, partner in pairs:
                client = Client(server.base, copy, login)
                client.partner = partner
                client.authenticate()
                client.specs = client.specifications(model)
                clients[name].append((client, colleague))
        peer_team = bench.peer["team"]

        def ours_values(rng, _client):
            values = matter_values(0, rng)
            kind = rng.choices(*zip(*KINDS, strict=True))[0]
            values.update(kind=kind)
            if values["business_domain"] == "complaint":
                values["business_domain"] = "other"
            return values

        def peer_values(rng, client):
            return {
                "name": rng.choice(SUBJECTS),
                "description": "<p>客户来询，详见记录。</p>",
                "team_id": peer_team,
                "partner_id": client.partner,
            }

        rss = []
        sampling = threading.Event()

        def sample_memory():
            while not sampling.wait(2):
                rss.append(max(server.worker_rss_mb() or [0]))

        sampler = threading.Thread(target=sample_memory, daemon=True)
        sampler.start()
        log(
            f"peer load: {len(theirs)} agents, {args.http_duration}s, think "
            f"{bounds[0]:g}-{bounds[1]:g}s"
        )
        recorder = load(
            PEER, clients["peer"], peer_values, args.http_duration, bounds, 2
        )
        results["http_peer"] = summarise(recorder, args.http_duration)
        for system, make in ((PEER, peer_values), (OURS, ours_values)):
            name = system.name
            log(f"capacity ({name}): registrations back to back, {args.capacity}s")
            recorder = load(
                system, clients[name], make, args.capacity, (0, 0), 3,
                register_only=True,
            )  # fmt: skip
            results[f"http_capacity_{name}"] = summarise(recorder, args.capacity)
        log(
            "capacity (any request): calls that do nothing back to back, "
            f"{args.capacity}s"
        )
        recorder = load(
            OURS, clients["ours"], ours_values, args.capacity, (0, 0), 4,
            empty_only=True,
        )  # fmt: skip
        results["http_capacity_empty"] = summarise(recorder, args.capacity)
        log(
            f"our load: {len(ours)} clerks, {args.http_duration}s; the cron "
            f"worker sweeps {due:,} due matters from a quarter of it"
        )
        waker = threading.Timer(args.http_duration / 4, wake, (registry, cron_id))
        waker.start()
        recorder = load(
            OURS, clients["ours"], ours_values, args.http_duration, bounds, 1
        )
        waker.join()
        sampling.set()
        server_log = server.read_log(cron_id)
        results["http_ours"] = summarise(
            recorder, args.http_duration, server_log["sweep_windows"]
        )
        results["http_server"] = {
            "workers": 2,
            "cron_workers": 1,
            "clerks": len(ours),
            "think": bounds,
            "due": due,
            "ro_retries": server_log["ro_retries"],
            "log_errors": server_log["errors"][:10],
            "log_error_count": len(server_log["errors"]),
            "max_process_rss_mb": max(rss or [0]),
        }
    finally:
        server.stop()
        Registry.delete(copy)
        drop_copy(odoo, copy, data_dir)
    bench.results.update(results)
    for key in ("http_peer", "http_ours"):
        kinds = results[key]["kinds"]
        log(
            f"  {key}: {results[key]['requests_per_s']:.1f} req/s, "
            f"{results[key]['errors']} errors; "
            + ", ".join(f"{k} p95 {v['p95_ms']:.0f} ms" for k, v in kinds.items())
        )


def wake(registry, cron_id):
    """Wake the cron worker for the sweep, as Odoo does (``_trigger``)."""
    from bench import environment

    with environment(registry) as env:
        env["ir.cron"].browse(cron_id)._trigger()
    log("  the follow-up sweep triggered")
