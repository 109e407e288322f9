#!/usr/bin/env python3
"""Performance benchmark of shouwen_responsibility at provincial scale, side by
side with OCA helpdesk_mgmt + helpdesk_mgmt_sla (issue 7).

Run it through ``make bench`` (``scripts/devenv.py bench``), which finds Odoo
and PostgreSQL like the other targets, installs the peer addons from
``requirements-bench.txt`` and writes the configuration; or directly::

    python3 scripts/bench.py -c <odoo.conf> --matters 100000

What it does, in-process (``odoo.modules.registry.Registry`` and
``api.Environment``, no cron thread, no outbound call) but for its last step:

1. drops and recreates its own database (``shouwen_bench`` by default; the
   name must start with ``shouwen_bench``), installs the addon WITHOUT demo
   data, zh_CN, and the peer ``helpdesk_mgmt_sla``;
2. builds the Henan tree (a province, 18 cities, ~150 county units) and ~2,000
   staff, then the matters of three years with bulk SQL (INSERT ... SELECT
   over ``generate_series``: the ORM is not what is measured there; their
   clocks come from the addon's ``tools/clock.py``, computed once per kind
   and registration slot), first
   ``--small-matters`` of them for the sweep at the small size, then the rest;
3. measures each workload ``--runs`` times (median and spread) and prints one
   markdown table; the raw numbers go to ``.local/bench/bench-<date>.json``;
4. last, the production mode (``bench_http.py``): the real server in prefork
   mode on a throw-away copy of the database, under the HTTP load of simulated
   clerks, side by side with the peer (issue 22).

Registration runs commit (as a request would); the sweep runs are rolled back
after being timed, so that every run finds the same due matters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / ".local" / "bench"
ADDON = "shouwen_responsibility"
PEER = "helpdesk_mgmt_sla"
DB_PREFIX = "shouwen_bench"

# The Henan tree: the 18 city branches with their number of county units
# (支公司 / 营销服务部), 150 in all.
CITIES = [
    ("郑州", 14),
    ("开封", 7),
    ("洛阳", 13),
    ("平顶山", 9),
    ("安阳", 8),
    ("鹤壁", 4),
    ("新乡", 10),
    ("焦作", 8),
    ("濮阳", 6),
    ("许昌", 7),
    ("漯河", 4),
    ("三门峡", 6),
    ("南阳", 13),
    ("商丘", 9),
    ("信阳", 10),
    ("周口", 10),
    ("驻马店", 10),
    ("济源", 2),
]
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
    "程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜"
    "范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤"
    "尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉"
    "建国志文斌宇浩凯婷雪琳晨欣怡佳俊峰"
)

# (value, weight) — plausible proportions for a provincial P&C insurer
CHANNEL_WEIGHTS = [
    ("counter", 35),
    ("phone", 35),
    ("online", 10),
    ("visit", 8),
    ("in_person", 7),
    ("letter", 5),
]
KIND_WEIGHTS = [
    ("consult", 45),
    ("query", 25),
    ("business", 20),
    ("complaint", 7),
    ("coordinate", 3),
]
DOMAIN_WEIGHTS = [
    ("claims", 30),
    ("underwriting", 15),
    ("product", 10),
    ("survey", 10),
    ("endorsement", 8),
    ("payment", 8),
    ("claim_report", 8),
    ("dispatch", 3),
    ("complaint", 3),
    ("other", 3),
    ("rescue", 2),
]
#: the kinds of matters generated (their policies give their clocks)
KINDS = ("consult", "query", "business", "complaint", "coordinate")
#: registrations fall in 15-minute slots from 00:30 UTC (08:30 in Henan), so
#: that the clocks are computed once per kind, day and slot
SLOTS = 36
#: states of the matters registered in the last 30 days (older ones are closed
#: but for a few answered, withdrawn or forgotten ones)
RECENT_STATES = [
    ("closed", 55),
    ("answered", 10),
    ("in_progress", 14),
    ("registered", 9),
    ("guiding", 4),
    ("coordinating", 3),
    ("returned", 2),
    ("reopened", 1),
    ("withdrawn", 2),
]
RUNNING = (
    "registered",
    "returned",
    "guiding",
    "in_progress",
    "reopened",
    "coordinating",
)
SUBJECTS = [
    "咨询理赔进度",
    "车险保单批改",
    "查询保单状态",
    "理赔材料补交",
    "投诉理赔时效",
    "咨询续保优惠",
    "查勘定损预约",
    "退保手续办理",
    "发票补开",
    "道路救援费用",
    "咨询保险责任范围",
    "报案后无人联系",
]


def weighted_sql(weights, rnd):
    """A SQL CASE picking a value of ``weights`` from the uniform ``rnd``."""
    total = sum(w for _v, w in weights)
    parts, acc = [], 0
    for value, weight in weights[:-1]:
        acc += weight
        parts.append(f"WHEN {rnd} < {acc / total:.6f} THEN '{value}'")
    return f"(CASE {' '.join(parts)} ELSE '{weights[-1][0]}' END)"


# --------------------------------------------------------------------- helpers
def log(msg):
    print(f"[bench] {time.strftime('%H:%M:%S')} {msg}", flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Benchmark shouwen_responsibility against OCA helpdesk_mgmt "
        "(issue 7).  Data generator knobs: --matters, --small-matters, --due-pct, "
        "--staff, --years, --seed.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration")
    parser.add_argument(
        "-d", "--database", default=DB_PREFIX, help="database (dropped, recreated)"
    )
    gen = parser.add_argument_group("data generator")
    gen.add_argument(
        "--matters", type=int, default=1_000_000, help="matters at full size"
    )
    gen.add_argument(
        "--small-matters",
        type=int,
        default=100_000,
        help="the smaller size the sweep is also measured at (0: skip)",
    )
    gen.add_argument(
        "--due-pct",
        type=float,
        default=1.0,
        help="percentage of the matters due for follow-up now",
    )
    gen.add_argument("--staff", type=int, default=2000, help="staff members")
    gen.add_argument("--years", type=float, default=3.0, help="years of history")
    gen.add_argument("--seed", type=float, default=0.42, help="random seed")
    meas = parser.add_argument_group("measurement")
    meas.add_argument("--runs", type=int, default=5, help="runs per workload")
    meas.add_argument(
        "--sweep-runs",
        type=int,
        default=5,
        help="runs of one sweep run (the cron's batch); sweeping the whole "
        "backlog is measured once",
    )
    meas.add_argument(
        "--batch", type=int, default=2000, help="records in the batch create"
    )
    meas.add_argument(
        "--single", type=int, default=300, help="creates one by one per run"
    )
    prod = parser.add_argument_group("production mode (HTTP load, issue 22)")
    prod.add_argument("--clerks", type=int, default=40, help="simulated clerks")
    prod.add_argument(
        "--http-duration", type=int, default=120, help="seconds of load per system"
    )
    prod.add_argument(
        "--capacity",
        type=int,
        default=30,
        help="seconds of back-to-back registrations per system",
    )
    prod.add_argument(
        "--think", default="1,4", help="think time between requests: min,max seconds"
    )
    meas.add_argument(
        "--reuse",
        action="store_true",
        help="keep the existing database and its data (measure only)",
    )
    meas.add_argument(
        "--only",
        choices=("registration", "reading", "sweep", "production"),
        action="append",
        help="measure only these workloads (repeatable; default: all)",
    )
    meas.add_argument(
        "--profile",
        metavar="DIR",
        help="also write a cProfile of one run of each workload into DIR",
    )
    return parser.parse_args(argv)


def timed_runs(func, runs):
    samples = []
    for _i in range(runs):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return samples


def summary(samples):
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "runs": len(samples),
        "samples": samples,
    }


# ------------------------------------------------------------------ database
def drop_database(odoo, db):
    if not db.startswith(DB_PREFIX):
        sys.exit(f"refusing to drop {db!r}: the name must start with {DB_PREFIX}")
    odoo.sql_db.close_db(db)
    conn = odoo.sql_db.db_connect("postgres")
    with conn.cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(f'DROP DATABASE IF EXISTS "{db}"')


def install(args):
    """Fresh database with the addon (no demo data, zh_CN) and the peer."""
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "-c",
        args.config,
        "-d",
        args.database,
        "-i",
        f"{ADDON},{PEER}",
        "--without-demo=all",
        "--load-language=zh_CN",
        "--max-cron-threads=0",
        "--no-http",
        "--stop-after-init",
        "--log-level=warn",
    ]
    log("installing " + " ".join(cmd[5:]))
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=tempfile.gettempdir())
    if proc.returncode:
        sys.exit(f"install failed ({proc.returncode})")
    log(f"installed in {time.monotonic() - started:.0f}s")


@contextmanager
def environment(registry, uid=None, commit=True):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, uid or SUPERUSER_ID, {"lang": "zh_CN", "tz": TZ})
        yield env
        if commit:
            env.flush_all()
        else:
            cr.rollback()


TZ = "Asia/Shanghai"


# --------------------------------------------------------------- organisation
def build_organisation(env, args, rng):
    """Units by the ORM (170 records: their sequences, parent paths), staff
    by SQL copies of one ORM-made user per role."""
    Unit = env["shouwen.unit"]
    province = Unit.create(
        {"name": "河南省分公司", "code": "HA", "level": "province", "phone": "95518"}
    )
    cities = Unit.create(
        [
            {
                "name": f"{name}市分公司",
                "code": f"HA{i:02d}",
                "level": "city",
                "parent_id": province.id,
            }
            for i, (name, _n) in enumerate(CITIES, start=1)
        ]
    )
    county_vals = []
    for city, (name, count) in zip(cities, CITIES, strict=True):
        for j in range(1, count + 1):
            suffix = "营销服务部" if j % 3 == 0 else "支公司"
            county_vals.append(
                {
                    "name": f"{name}第{j}{suffix}",
                    "code": f"{city.code}{j:02d}",
                    "level": "county",
                    "parent_id": city.id,
                }
            )
    counties = Unit.create(county_vals)
    env.flush_all()

    def person():
        return rng.choice(SURNAMES) + "".join(
            rng.choice(GIVEN) for _i in range(rng.choice((1, 2)))
        )

    ref = env.ref
    groups = {
        "staff": ref(f"{ADDON}.group_shouwen_staff"),
        "unit": ref(f"{ADDON}.group_shouwen_unit_supervisor"),
        "city": ref(f"{ADDON}.group_shouwen_city_supervisor"),
        "province": ref(f"{ADDON}.group_shouwen_province_supervisor"),
    }
    templates = {
        role: env["res.users"]
        .with_context(no_reset_password=True, mail_create_nolog=True)
        .create(
            {
                "name": person(),
                "login": f"bench_{role}_template",
                "email": f"bench_{role}_template@example.com",
                "lang": "zh_CN",
                "tz": TZ,
                "groups_id": [(6, 0, group.ids)],
                "shouwen_unit_id": province.id,
            }
        )
        for role, group in groups.items()
    }
    # who: (role, unit) — supervisors first, then staff spread by level
    people = [("province", province)]
    people += [("city", city) for city in cities]
    people += [("unit", county) for county in counties]
    people += [("unit", city) for city in cities]
    remaining = max(args.staff - len(people) - len(templates), 0)
    at_province = remaining * 3 // 100
    at_city = remaining * 27 // 100
    people += [("staff", province)] * at_province
    people += [("staff", cities[i % len(cities)]) for i in range(at_city)]
    people += [
        ("staff", counties[i % len(counties)])
        for i in range(remaining - at_province - at_city)
    ]
    cr = env.cr
    user_cols = table_columns(cr, "res_users") - {
        "id",
        "login",
        "partner_id",
        "shouwen_unit_id",
    }
    partner_cols = table_columns(cr, "res_partner") - {
        "id",
        "name",
        "complete_name",
        "email",
        "commercial_partner_id",
    }
    new_ids = {}
    for role in templates:
        rows = [(i, unit) for i, (r, unit) in enumerate(people) if r == role]
        if not rows:
            continue
        names = [person() for _row in rows]
        logins = [f"bench_{role}_{i}" for i, _unit in rows]
        pcols = ", ".join(sorted(partner_cols))
        pvals = ", ".join(f"p.{c}" for c in sorted(partner_cols))
        cr.execute(
            f"""INSERT INTO res_partner ({pcols}, name, complete_name, email)
                SELECT {pvals}, x.name, x.name, x.login || '@example.com'
                  FROM res_partner p,
                       unnest(%s::text[], %s::text[]) WITH ORDINALITY x(name, login, n)
                 WHERE p.id = %s ORDER BY x.n RETURNING id, email""",
            [names, logins, templates[role].partner_id.id],
        )
        partner_of = {email.split("@")[0]: pid for pid, email in cr.fetchall()}
        ucols = ", ".join(sorted(user_cols))
        uvals = ", ".join(f"u.{c}" for c in sorted(user_cols))
        cr.execute(
            f"""INSERT INTO res_users ({ucols}, login, partner_id, shouwen_unit_id)
                SELECT {uvals}, x.login, x.partner_id, x.unit_id
                  FROM res_users u,
                       unnest(%s::text[], %s::int[], %s::int[]) x(login, partner_id,
                                                                unit_id)
                 WHERE u.id = %s RETURNING id, shouwen_unit_id""",
            [
                logins,
                [partner_of[login] for login in logins],
                [unit.id for _i, unit in rows],
                templates[role].id,
            ],
        )
        new_ids[role] = cr.fetchall()
        ids = [uid for uid, _unit in new_ids[role]]
        cr.execute(
            """INSERT INTO res_groups_users_rel (gid, uid)
               SELECT r.gid, u FROM res_groups_users_rel r, unnest(%s::int[]) u
                WHERE r.uid = %s""",
            [ids, templates[role].id],
        )
        cr.execute(
            """INSERT INTO res_company_users_rel (cid, user_id)
               SELECT r.cid, u FROM res_company_users_rel r, unnest(%s::int[]) u
                WHERE r.user_id = %s""",
            [ids, templates[role].id],
        )
        if role != "staff":
            cr.execute(
                """INSERT INTO shouwen_unit_supervisor_rel (unit_id, user_id)
                   SELECT unit, u FROM unnest(%s::int[], %s::int[]) x(u, unit)""",
                [ids, [unit for _uid, unit in new_ids[role]]],
            )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id "
        "WHERE commercial_partner_id IS NULL"
    )
    # the templates are not staff of the province: take them out of the figures
    env["res.users"].browse([t.id for t in templates.values()]).write({"active": False})
    env.invalidate_all()
    log(
        f"organisation: 1 province, {len(cities)} cities, {len(counties)} county "
        f"units, {len(people)} staff"
    )
    return {
        "province": province.id,
        "cities": cities.ids,
        "counties": counties.ids,
        "users": {role: [uid for uid, _unit in rows] for role, rows in new_ids.items()},
    }


def table_columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
        [table],
    )
    return {row[0] for row in cr.fetchall()}


# -------------------------------------------------------------------- matters
def clock_table(env, policies, days, now):
    """``bench_clock``: the clock of a matter of each kind registered in each
    slot of the last ``days`` days, from its policy by ``tools/clock.py`` (the
    addon's own arithmetic): its deadlines, and the follow-up moments still to
    come at ``now`` (those passed were done by the sweep)."""
    from psycopg2.extras import execute_values

    cr = env.cr
    cr.execute(
        """CREATE TEMP TABLE IF NOT EXISTS bench_clock (
               kind varchar, day_off int, slot int, response_deadline timestamp,
               closure_deadline timestamp, response_reminder timestamp,
               first_reminder timestamp, second_reminder timestamp,
               escalation timestamp, urge timestamp, next timestamp,
               PRIMARY KEY (kind, day_off, slot))"""
    )
    cr.execute("SELECT count(*) FROM bench_clock")
    if cr.fetchone()[0]:
        return  # filled for the first part of the matters
    key = (tuple(p.id for p in policies.values()), days, now)
    rows = _CLOCKS.get(key)
    if rows is None:
        rows = _CLOCKS[key] = clock_rows(env, policies, days, now)
    execute_values(cr, "INSERT INTO bench_clock VALUES %s", rows, page_size=5000)


#: the rows of ``bench_clock`` computed in this process, by policies and day
_CLOCKS = {}


def clock_rows(env, policies, days, now):
    """The rows of ``bench_clock`` (see :func:`clock_table`)."""
    from odoo.addons.shouwen_responsibility.tools import clock

    calendar = env["shouwen.work.calendar"]._calendar()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    rows = []
    for kind, policy in policies.items():
        terms = policy._terms()
        for day_off in range(1, days + 1):
            for slot in range(SLOTS):
                registered = midnight - dt.timedelta(
                    days=day_off, minutes=-30 - 15 * slot
                )
                deadlines = clock.deadlines(calendar, terms, registered, registered)
                moments = clock.followup_moments(
                    calendar,
                    terms,
                    dict(
                        deadlines,
                        id=False,
                        registered_date=registered,
                        responded_date=registered,
                        clock_start=registered,
                        escalation_step=0,
                    ),
                    set(),
                )
                later = {
                    fname: moment
                    for fname, moment in moments.items()
                    if moment and moment > now
                }
                rows.append(
                    (
                        kind,
                        day_off,
                        slot,
                        deadlines["response_deadline"] or None,
                        deadlines["closure_deadline"],
                        later.get("response_reminder_date"),
                        later.get("first_reminder_date"),
                        later.get("second_reminder_date"),
                        later.get("next_escalation_date"),
                        later.get("auto_urge_date"),
                        min(later.values(), default=None),
                    )
                )
    log(f"  clocks of {len(rows):,} registration slots computed (tools/clock.py)")
    return rows


def generate_matters(env, args, first, count, now):
    """Insert ``count`` matters numbered from ``first`` (1-based) by SQL.

    Every ``1 / due_pct``-th matter is recent, running and due for a follow-up
    step now (a closure reminder, the response reminder, or the urge and the
    first escalation rung of an overdue matter).  The others are spread over
    ``--years`` years: old ones closed (a few answered, withdrawn or left
    open and overdue), the last 30 days in the states of :data:`RECENT_STATES`;
    running ones have their next follow-up in the future."""
    cr = env.cr
    cr.execute(
        """CREATE TEMP TABLE IF NOT EXISTS bench_staff AS
           SELECT row_number() OVER (ORDER BY u.id) AS rn, u.id AS user_id,
                  u.shouwen_unit_id AS unit_id, un.code
             FROM res_users u JOIN shouwen_unit un ON un.id = u.shouwen_unit_id
            WHERE u.active AND u.login LIKE 'bench\\_%%'"""
    )
    cr.execute("SELECT count(*) FROM bench_staff")
    (n_staff,) = cr.fetchone()
    policies = {}
    for kind in KINDS:
        policies[kind] = env["shouwen.time.policy"]._match_all(
            [
                {
                    "kind": kind,
                    "channel": "counter",
                    "business_domain": "other",
                    "unit_level": "county",
                    "priority": "0",
                }
            ]
        )[0]
    every = max(round(100 / args.due_pct), 1) if args.due_pct else 0
    days = max(int(args.years * 365), 1)
    clock_table(env, policies, days, now)
    policy_case = "(CASE b.kind " + " ".join(
        f"WHEN '{kind}' THEN {policy.id or 'NULL'}" for kind, policy in policies.items()
    )
    policy_case += " END)"
    subjects = "ARRAY[" + ",".join(f"'{s}'" for s in SUBJECTS) + "]"
    surnames = "ARRAY[" + ",".join(f"'{s}'" for s in SURNAMES) + "]"
    given = "ARRAY[" + ",".join(f"'{s}'" for s in GIVEN) + "]"
    recent_state = weighted_sql(RECENT_STATES, "b.r_state")
    old_state = (
        "(CASE WHEN b.r_state < 0.97 THEN 'closed' WHEN b.r_state < 0.985 "
        "THEN 'answered' WHEN b.r_state < 0.995 AND b.kind = 'complaint' "
        "THEN 'withdrawn' WHEN b.r_state < 0.995 THEN 'closed' ELSE 'in_progress' END)"
    )
    # due matters: 0-5 a closure reminder, 6-7 the response reminder, 8-9 overdue
    sql = f"""
    INSERT INTO shouwen_matter (
        name, active, subject, description, channel, kind, business_domain,
        priority, customer_type, customer_name, customer_phone_clear, unit_id,
        first_receiver_id, first_responsible_id, handler_id, state, is_open,
        registered_date, accepted_date, answered_date, closed_date,
        told_method, told_date, result, transfer_count, return_count,
        reopen_count, version, policy_id, clock_start, response_deadline,
        closure_deadline, responded_date, is_overdue, escalation_step,
        response_reminder_date, first_reminder_date, second_reminder_date,
        next_escalation_date, auto_urge_date, next_followup_date, handling_hours,
        create_uid, create_date, write_uid, write_date)
    SELECT c.code || '-' || to_char(c.registered, 'YYYY') || '-'
               || lpad(c.g::text, 7, '0'),
           true, c.subject, c.subject || '：客户来询，详见记录。', c.channel, c.kind,
           c.domain, CASE WHEN c.r_prio < 0.03 THEN '1' ELSE '0' END, 'external',
           c.customer, c.phone, c.unit_id, c.user_id, c.user_id,
           CASE WHEN c.state IN ('registered', 'guiding') THEN NULL ELSE c.user_id END,
           c.state, c.state NOT IN ('closed', 'withdrawn'),
           c.registered,
           CASE WHEN c.state NOT IN ('registered', 'guiding') THEN c.registered END,
           CASE WHEN c.state IN ('answered', 'closed') THEN c.done END,
           CASE WHEN c.state = 'closed' THEN c.done END,
           CASE WHEN c.state IN ('answered', 'closed') THEN 'phone' END,
           CASE WHEN c.state IN ('answered', 'closed') THEN c.done END,
           CASE WHEN c.state IN ('answered', 'closed') THEN '已按政策答复客户。' END,
           0, CASE WHEN c.state = 'returned' THEN 1 ELSE 0 END,
           CASE WHEN c.state = 'reopened' THEN 1 ELSE 0 END, 1,
           c.policy_id, c.registered,
           CASE WHEN c.due_step >= 0 THEN c.registered + interval '1 hour'
                ELSE c.response_deadline END,
           c.deadline,
           CASE WHEN c.due_step BETWEEN 6 AND 7 THEN NULL
                ELSE c.registered + interval '20 minutes' END,
           c.state NOT IN ('closed', 'withdrawn', 'answered') AND c.deadline < %(now)s
               AND c.due_step < 0,
           CASE WHEN c.state IN ('closed', 'withdrawn', 'answered')
                  OR c.due_step >= 0 THEN 0
                WHEN c.deadline < %(now)s THEN 2 ELSE 0 END,
           CASE WHEN c.due_step BETWEEN 6 AND 7 THEN c.due_at
                WHEN c.due_step < 0 AND c.running THEN c.k_response_reminder END,
           CASE WHEN c.due_step BETWEEN 0 AND 5 THEN c.due_at
                WHEN c.due_step < 0 AND c.running THEN c.k_first_reminder END,
           CASE WHEN c.due_step < 0 AND c.running THEN c.k_second_reminder END,
           CASE WHEN c.due_step >= 8 THEN c.due_at
                WHEN c.due_step < 0 AND c.running THEN c.k_escalation END,
           CASE WHEN c.due_step >= 8 THEN c.due_at
                WHEN c.due_step < 0 AND c.running THEN c.k_urge END,
           CASE WHEN c.due_step >= 0 THEN c.due_at
                WHEN c.running THEN c.k_next END,
           CASE WHEN c.state = 'closed'
                THEN round((extract(epoch FROM c.done - c.registered) / 3600 / 3)
                           ::numeric, 2) ELSE 0 END,
           1, c.registered, 1, coalesce(c.done, c.registered)
      FROM (
        SELECT d.*,
               d.due_step < 0 AND d.state IN {RUNNING} AND d.deadline > %(now)s
                   AS running
          FROM (
        SELECT b.*, s.user_id, s.unit_id, s.code,
               CASE WHEN b.due_step >= 8
                    THEN %(now)s - interval '1 day' * (1 + b.r_age * 3)
                    WHEN b.due_step >= 0
                    THEN %(now)s + interval '1 hour' * (2 + b.r_age * 40)
                    ELSE k.closure_deadline
               END AS deadline,
               k.response_deadline,
               k.response_reminder AS k_response_reminder,
               k.first_reminder AS k_first_reminder,
               k.second_reminder AS k_second_reminder,
               k.escalation AS k_escalation, k.urge AS k_urge, k.next AS k_next,
               {policy_case} AS policy_id,
               CASE WHEN b.due_step >= 0 THEN b.due_state
                    WHEN b.registered > %(now)s - interval '30 days'
                    THEN {recent_state} ELSE {old_state} END AS state,
               least(b.registered + (k.closure_deadline - b.registered)
                     * (0.1 + b.r_done * 1.0), %(now)s - interval '1 minute') AS done
          FROM (
            SELECT a.*,
                   CASE WHEN a.due_step >= 8
                        THEN %(now)s - interval '1 day' * (4 + a.r_age * 10)
                        WHEN a.due_step >= 0
                        THEN %(now)s - interval '1 hour' * (2 + a.r_age * 60)
                        ELSE date_trunc('day', %(now)s) - interval '1 day' * a.day_off
                             + interval '30 minutes'
                             + interval '15 minutes' * a.slot
                   END AS registered,
                   %(now)s - interval '1 minute' * (1 + a.r_time * 120) AS due_at,
                   (ARRAY['in_progress', 'in_progress', 'registered', 'guiding',
                          'coordinating', 'returned', 'reopened'])[1 + (a.g / 7) %% 7]
                       AS due_state
              FROM (
                SELECT r.*,
                       {weighted_sql(CHANNEL_WEIGHTS, "r.r_channel")} AS channel,
                       {weighted_sql(KIND_WEIGHTS, "r.r_kind")} AS kind,
                       {weighted_sql(DOMAIN_WEIGHTS, "r.r_domain")} AS domain
                  FROM (
                    SELECT g,
                           CASE WHEN {every} > 0 AND g %% {every or 1} = 0
                                THEN (g / {every or 1}) %% 10 ELSE -1 END AS due_step,
                           random() AS r_age, random() AS r_time, random() AS r_state,
                           1 + floor(random() * {days})::int AS day_off,
                           floor(random() * {SLOTS})::int AS slot,
                           random() AS r_done, random() AS r_prio,
                           random() AS r_channel, random() AS r_kind,
                           random() AS r_domain,
                           1 + floor(random() * {n_staff})::int AS staff_rn,
                           ({subjects})[1 + floor(random() * {len(SUBJECTS)})::int]
                               AS subject,
                           ({surnames})[1 + floor(random() * {len(SURNAMES)})::int]
                           || ({given})[1 + floor(random() * {len(GIVEN)})::int]
                               AS customer,
                           '13' || lpad(floor(random() * 1e9)::bigint::text, 9, '0')
                               AS phone
                      FROM generate_series(%(first)s, %(last)s) g
                  ) r
              ) a
          ) b
          JOIN bench_staff s ON s.rn = b.staff_rn
          LEFT JOIN bench_clock k
                 ON b.due_step < 0 AND k.kind = b.kind AND k.day_off = b.day_off
                    AND k.slot = b.slot
          ) d
      ) c
    """
    chunk = 100_000
    done = 0
    while done < count:
        size = min(chunk, count - done)
        start = first + done
        cr.execute("SELECT coalesce(max(id), 0) FROM shouwen_matter")
        (before,) = cr.fetchone()
        cr.execute(sql, {"now": now, "first": start, "last": start + size - 1})
        # the responsibility log: who registered, and who closed
        cr.execute(
            """INSERT INTO shouwen_matter_log
                   (matter_id, action, date, user_id, to_user_id, state_to,
                    create_uid, create_date, write_uid, write_date)
               SELECT id, 'register', registered_date, first_receiver_id,
                      first_receiver_id, 'registered', 1, registered_date, 1,
                      registered_date
                 FROM shouwen_matter WHERE id > %(before)s
               UNION ALL
               SELECT id, 'close', closed_date, first_responsible_id,
                      first_responsible_id, 'closed', 1, closed_date, 1, closed_date
                 FROM shouwen_matter WHERE id > %(before)s AND state = 'closed'""",
            {"before": before},
        )
        cr.commit()
        done += size
        log(f"  matters {start + size - 1:>9,} inserted")
    # years of registrations leave the table in the order the matters came
    # in: the rows of one month lie together, as in a real database
    cr.execute("CLUSTER shouwen_matter USING shouwen_matter_list_order_index")
    cr.commit()
    cr._cnx.autocommit = True
    # every table, as autovacuum would have by now: the generated ones, and
    # what the sweep measured at the smaller size left (its runs roll back)
    cr.execute("VACUUM ANALYZE")
    cr._cnx.autocommit = False


# ------------------------------------------------------------------ workloads
def matter_values(i, rng):
    kind = rng.choices(*zip(*KIND_WEIGHTS, strict=True))[0]
    return {
        "subject": rng.choice(SUBJECTS),
        "description": "客户来询，详见记录。",
        "channel": rng.choices(*zip(*CHANNEL_WEIGHTS, strict=True))[0],
        "kind": kind,
        "business_domain": "complaint"
        if kind == "complaint"
        else rng.choices(*zip(*DOMAIN_WEIGHTS[:-3], strict=True))[0],
        "customer_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "customer_phone": f"13{rng.randrange(10**9):09d}",
    }


def ticket_values(i, rng, team_id, partner_id):
    return {
        "name": rng.choice(SUBJECTS),
        "description": "<p>客户来询，详见记录。</p>",
        "team_id": team_id,
        "partner_id": partner_id,
    }


def set_up_peer(env):
    """An SLA team of the peer, its member and one SLA of one day."""
    user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "帮助台坐席",
                "login": "bench_helpdesk_agent",
                "email": "bench_helpdesk_agent@example.com",
                "lang": "zh_CN",
                "tz": TZ,
                "groups_id": [
                    (6, 0, env.ref("helpdesk_mgmt.group_helpdesk_user").ids),
                ],
            }
        )
    )
    team = env["helpdesk.ticket.team"].create(
        {"name": "客服热线", "use_sla": True, "user_ids": [(6, 0, user.ids)]}
    )
    env["helpdesk.sla"].create(
        {"name": "一个工作日内处理", "team_ids": [(6, 0, team.ids)], "days": 1}
    )
    partner = env["res.partner"].create({"name": "张三", "phone": "13812345678"})
    return {"user": user.id, "team": team.id, "partner": partner.id}


def list_specification(env):
    """What the web client asks for the matters' list view: the fields, and
    how far the pager counts (the web client's default: 10,000)."""
    from lxml import etree

    views = env["shouwen.matter"].get_views([(False, "list")])
    arch = etree.fromstring(views["views"]["list"]["arch"])
    count_limit = int(arch.get("count_limit") or 10000) + 1
    fields = env["shouwen.matter"]._fields
    spec = {}
    for node in arch.iterchildren("field"):
        name = node.get("name")
        field = fields[name]
        if field.type == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field.type in ("one2many", "many2many"):
            spec[name] = {}
        else:
            spec[name] = {}
    return spec, count_limit


class Bench:
    def __init__(self, registry, args, org, peer):
        self.registry = registry
        self.args = args
        self.org = org
        self.peer = peer
        self.rng = random.Random(args.seed)
        self.results = {}
        self.profiles = {}

    def env(self, uid=None, commit=True):
        return environment(self.registry, uid, commit)

    def measure(self, key, func, runs, warmup=None):
        if warmup:
            warmup()
        samples = timed_runs(func, runs)
        self.results[key] = summary(samples)
        if self.args.profile:
            self.profile(key, func)
        return self.results[key]

    def profile(self, key, func):
        import cProfile
        import pstats

        out = Path(self.args.profile)
        out.mkdir(parents=True, exist_ok=True)
        prof = cProfile.Profile()
        prof.runcall(func)
        path = out / f"{key}.prof"
        prof.dump_stats(path)
        stats = pstats.Stats(str(path))
        stats.sort_stats("cumulative")
        log(f"profile of {key}: {path}")
        stats.print_stats(25)
        stats.sort_stats("tottime")
        stats.print_stats(15)

    # registration ----------------------------------------------------
    def staff_uid(self):
        cr_ids = self.org["users"]["staff"]
        return cr_ids[len(cr_ids) // 2]

    def create_batch(self, model, uid, make, count):
        def run():
            with self.env(uid) as env:
                env[model].create([make(i) for i in range(count)])

        return run

    def create_single(self, model, uid, make, count):
        def run():
            for i in range(count):
                with self.env(uid) as env:
                    env[model].create([make(i)])

        return run

    def registration(self):
        args, rng = self.args, self.rng
        peer = self.peer

        def ours(i):
            return matter_values(i, rng)

        def theirs(i):
            return ticket_values(i, rng, peer["team"], peer["partner"])

        uid = self.staff_uid()
        for name, model, who, make in (
            ("ours", "shouwen.matter", uid, ours),
            ("peer", "helpdesk.ticket", peer["user"], theirs),
        ):
            log(f"batch registration ({name}): {args.runs} x {args.batch}")
            self.measure(
                f"batch_{name}",
                self.create_batch(model, who, make, args.batch),
                args.runs,
                warmup=self.create_batch(model, who, make, 20),
            )
            log(f"single registration ({name}): {args.runs} x {args.single}")
            self.measure(
                f"single_{name}",
                self.create_single(model, who, make, args.single),
                args.runs,
                warmup=self.create_single(model, who, make, 5),
            )

    # the sweep -------------------------------------------------------
    def due_count(self):
        with self.env(commit=False) as env:
            env.cr.execute(
                "SELECT count(*) FILTER (WHERE next_followup_date <= now() "
                "AT TIME ZONE 'UTC'), count(*) FROM shouwen_matter"
            )
            return env.cr.fetchone()

    def sweep(self, key):
        """Two measures of the follow-up sweep at this size.

        ``key``: one sweep run, the cron's unit of work — one call of
        ``_cron_followup_sweep`` as the cron runner makes it (one batch of
        the most overdue matters; the runner commits and calls again while
        it reports work left); ``--sweep-runs`` runs.  ``key_drain``: the
        calls until nothing is due, once (how long the whole backlog takes,
        and the cost per due matter)."""
        due, total = self.due_count()
        log(f"sweep at {total:,} matters, {due:,} due: {self.args.sweep_runs} runs")
        info = {}

        def sweep_calls(limit):
            def run():
                from odoo import SUPERUSER_ID, api

                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    matter = env["shouwen.matter"]
                    calls = done = 0
                    while calls < limit:
                        calls += 1
                        handled = matter._cron_followup_sweep()
                        done += handled
                        if not handled:
                            break
                    env.flush_all()
                    cr.precommit.run()
                    cr.execute(
                        "SELECT count(*) FROM shouwen_matter "
                        "WHERE next_followup_date <= now() AT TIME ZONE 'UTC'"
                    )
                    info.update(calls=calls, handled=done, left_due=cr.fetchone()[0])
                    cr.rollback()  # every run finds the same due matters

            return run

        result = self.measure(key, sweep_calls(1), self.args.sweep_runs)
        result.update(matters=total, due=due, **info)
        log(f"  one run: median {result['median']:.2f}s, {info['handled']} handled")
        drain = self.measure(f"{key}_drain", sweep_calls(due // 10 + 10), 1)
        drain.update(matters=total, due=due, **info)
        log(
            f"  all due: {drain['median']:.2f}s, {info['calls']} calls, "
            f"{info['left_due']} still due"
        )

    def automation_cron(self, key):
        """Odoo's own cron "Automation rules: check and execute" at this size:
        one call of ``base.automation._check`` as the cron makes it, its
        rules last run four hours ago (the cron's interval), timed up to its
        flush and rolled back (``--sweep-runs`` runs); then once more with
        Python's allocations traced, for the peak memory of a run."""
        import tracemalloc

        due, total = self.due_count()
        log(f"automation cron at {total:,} matters, {due:,} due")
        info = {}

        def run(trace=False):
            from odoo import SUPERUSER_ID, api

            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                cr.execute(
                    "UPDATE base_automation SET last_run = now() AT TIME ZONE "
                    "'UTC' - interval '4 hours'"
                )
                cr.execute("SELECT count(*) FROM shouwen_followup")
                claims = cr.fetchone()[0]
                if trace:
                    tracemalloc.start()
                env["base.automation"]._check(automatic=True)
                env.flush_all()
                if trace:
                    info["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
                    tracemalloc.stop()
                cr.execute("SELECT count(*) FROM shouwen_followup")
                info["steps"] = cr.fetchone()[0] - claims
                cr.rollback()

        result = self.measure(key, run, self.args.sweep_runs)
        run(trace=True)
        result.update(matters=total, due=due, **info)
        log(
            f"  median {result['median']:.2f}s, {info['steps']} steps done, "
            f"peak {info['peak_mb']:.0f} MB"
        )

    # reading ---------------------------------------------------------
    def city_supervisor(self):
        with self.env(commit=False) as env:
            zhengzhou = self.org["cities"][0]
            return (
                env["res.users"]
                .search(
                    [
                        ("shouwen_unit_id", "=", zhengzhou),
                        ("login", "=like", "bench_city_%"),
                    ],
                    limit=1,
                )
                .id
            )

    def list_pages(self, suffix=""):
        """The first list page as the city supervisor and as the admin;
        ``suffix`` names a second measure of the same pages."""
        city_uid = self.city_supervisor()
        with self.env() as env:
            admin = env.ref("base.user_admin")
            manager = env.ref(f"{ADDON}.group_shouwen_manager")
            if manager not in admin.groups_id:
                admin.groups_id = [(4, manager.id)]
            admin_uid = admin.id
            spec, count_limit = list_specification(env)
            city_path = env["res.users"].browse(city_uid).shouwen_unit_id.parent_path
        # the supervisor's own units, the admin's filter for the same rows
        city_units = [("unit_id.parent_path", "=like", f"{city_path}%")]

        def page(uid, domain=()):
            def run():
                with self.env(uid, commit=False) as env:
                    result = env["shouwen.matter"].web_search_read(
                        list(domain), spec, limit=80, count_limit=count_limit
                    )
                    assert len(result["records"]) == 80, "not a full page"

            return run

        runs = self.args.runs
        log(f"list page{suffix}: {runs} runs as city supervisor, staff and admin")
        for key, uid, domain in (
            ("list_city", city_uid, ()),
            ("list_staff", self.staff_uid(), ()),
            ("list_admin", admin_uid, ()),
            ("list_admin_city", admin_uid, city_units),
        ):
            self.measure(
                key + suffix, page(uid, domain), runs, warmup=page(uid, domain)
            )
        return city_uid

    def reading(self):
        city_uid = self.list_pages()
        runs = self.args.runs
        today = dt.date.today()
        month = today.replace(day=1)
        next_month = (month + dt.timedelta(days=32)).replace(day=1)

        def figures(domain):
            def run():
                with self.env(city_uid, commit=False) as env:
                    env["shouwen.matter.report"]._figures(domain, "unit_id")

            return run

        log(f"unit figures: {runs} runs as city supervisor")
        this_month = [
            ("registered_date", ">=", month.isoformat()),
            ("registered_date", "<", next_month.isoformat()),
        ]
        self.measure(
            "figures_month", figures(this_month), runs, warmup=figures(this_month)
        )
        log("unit figures over the whole history: 3 runs")
        self.measure("figures_all", figures([]), 3)


# --------------------------------------------------------------------- report
def verdict(ok):
    return "PASS" if ok else "**FAIL**"


def spread(result, scale=1.0, unit="s", rate=None):
    if rate:
        values = [rate / x for x in (result["median"], result["max"], result["min"])]
        return f"{values[0]:,.0f}/s ({values[1]:,.0f}–{values[2]:,.0f})"
    med, low, high = (result[k] * scale for k in ("median", "min", "max"))
    fmt = "{:,.0f}" if scale > 1 else "{:,.2f}"
    return f"{fmt.format(med)} {unit} ({fmt.format(low)}–{fmt.format(high)})"


def table(results, args):
    r = results
    rows = []
    if "batch_ours" in r:
        ours = args.batch / r["batch_ours"]["median"]
        peer = args.batch / r["batch_peer"]["median"]
        rows.append(
            (
                f"batch registration, {args.batch:,} matters in one create",
                spread(r["batch_ours"], rate=args.batch),
                f"helpdesk_mgmt_sla: {spread(r['batch_peer'], rate=args.batch)}",
                f"{ours / peer:.2f}×",
                "≥ 10×",
                verdict(ours / peer >= 10),
            )
        )
        ours = args.single / r["single_ours"]["median"]
        peer = args.single / r["single_peer"]["median"]
        rows.append(
            (
                f"single registration, {args.single} creates one by one",
                spread(r["single_ours"], rate=args.single),
                f"helpdesk_mgmt_sla: {spread(r['single_peer'], rate=args.single)}",
                f"{ours / peer:.2f}×",
                "≥ 2×",
                verdict(ours / peer >= 2),
            )
        )
    full = r.get("sweep_full")
    small = r.get("sweep_small")
    if full:
        rows.append(
            (
                f"follow-up sweep (one run: {full['handled']:,} due matters, the "
                f"cron's batch), {full['matters']:,} matters, {full['due']:,} due",
                spread(full),
                "—",
                "—",
                "≤ 2 s",
                verdict(full["median"] <= 2),
            )
        )
    if small:
        ratio = full["median"] / small["median"] if full else None
        rows.append(
            (
                f"the same sweep run at {small['matters']:,} matters, "
                f"{small['due']:,} due",
                spread(small),
                "—",
                f"{ratio:.2f}× (full/small)" if ratio else "—",
                "time(full)/time(small) ≤ 1.5",
                verdict(ratio is not None and ratio <= 1.5),
            )
        )
    cron = r.get("automation_cron")
    if cron:
        rows.append(
            (
                'Odoo\'s cron "Automation rules: check and execute" (one run, '
                f"{cron['steps']} steps done), {cron['matters']:,} matters, "
                f"{cron['due']:,} due",
                f"{spread(cron)}, peak {cron['peak_mb']:.0f} MB",
                "—",
                "—",
                "≤ 5 s and ≤ 200 MB",
                verdict(cron["median"] <= 5 and cron["peak_mb"] <= 200),
            )
        )
    for drain in (r.get("sweep_full_drain"), r.get("sweep_small_drain")):
        if drain:
            rows.append(
                (
                    f"all {drain['due']:,} due matters swept ({drain['calls']} runs), "
                    f"{drain['matters']:,} matters",
                    f"{drain['median']:.1f} s, "
                    f"{1000 * drain['median'] / max(drain['due'], 1):.1f} ms "
                    "per due matter",
                    "—",
                    "—",
                    "(no target)",
                    "",
                )
            )
    if "list_city" in r:
        city, admin = r["list_city"]["median"], r["list_admin"]["median"]
        rows.append(
            (
                "city supervisor's first list page (80 rows)",
                spread(r["list_city"], 1000, "ms"),
                f"admin: {spread(r['list_admin'], 1000, 'ms')}",
                f"{city / admin:.2f}×",
                "≤ 150 ms and ≤ 1.5× admin",
                verdict(city <= 0.150 and city <= 1.5 * admin),
            )
        )
    if "list_staff" in r:
        staff, admin = r["list_staff"]["median"], r["list_admin"]["median"]
        rows.append(
            (
                "front-line staff's first list page (80 rows of the matters they "
                "take part in)",
                spread(r["list_staff"], 1000, "ms"),
                f"admin: {spread(r['list_admin'], 1000, 'ms')}",
                f"{staff / admin:.2f}×",
                "≤ 150 ms",
                verdict(staff <= 0.150),
            )
        )
    if "list_city_after" in r:
        city, admin = r["list_city_after"]["median"], r["list_admin_after"]["median"]
        rows.append(
            (
                "the same page after the registration runs (their thousands of "
                "new matters, all of one county unit, top every list)",
                spread(r["list_city_after"], 1000, "ms"),
                f"admin: {spread(r['list_admin_after'], 1000, 'ms')}",
                f"{city / admin:.2f}×",
                "≤ 150 ms and ≤ 1.5× admin",
                verdict(city <= 0.150 and city <= 1.5 * admin),
            )
        )
    for suffix, when in (("", "first page"), ("_after", "page after the runs")):
        if f"list_admin_city{suffix}" in r:
            city = r[f"list_city{suffix}"]["median"]
            same = r[f"list_admin_city{suffix}"]["median"]
            rows.append(
                (
                    f"  the city supervisor's {when} against the admin's page of "
                    "the same 80 rows (the admin filtering the city's units): "
                    "what the rules cost",
                    spread(r[f"list_city{suffix}"], 1000, "ms"),
                    f"admin: {spread(r[f'list_admin_city{suffix}'], 1000, 'ms')}",
                    f"{city / same:.2f}×",
                    "(no target)",
                    "",
                )
            )
    if "figures_month" in r:
        month = r["figures_month"]["median"]
        rows.append(
            (
                "unit figures (read_group by unit) as city supervisor, this month",
                spread(r["figures_month"], 1000, "ms"),
                "—",
                "—",
                "≤ 1 s",
                verdict(month <= 1),
            )
        )
        rows.append(
            (
                "the same figures over the whole history",
                spread(r["figures_all"], 1000, "ms"),
                "—",
                "—",
                "≤ 1 s",
                verdict(r["figures_all"]["median"] <= 1),
            )
        )
    rows += production_rows(r)
    head = ("workload", "ours", "peer in the same run", "ratio", "target", "result")
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def production_rows(r):
    """The rows of the production-mode workload (``bench_http``)."""
    ours, peer, server = r.get("http_ours"), r.get("http_peer"), r.get("http_server")
    if not (ours and peer and server):
        return []

    def pct(kind):
        values = (kind[k] for k in ("p50_ms", "p95_ms", "p99_ms"))
        return " / ".join(f"{v:,.0f}" for v in values) + " ms"

    where = (
        f"{server['clerks']} clerks over HTTP, think time "
        f"{server['think'][0]:g}–{server['think'][1]:g} s, {ours['duration']} s, "
        f"--workers=2 --max-cron-threads=1"
    )
    rows = []
    reg, peer_reg = ours["kinds"]["register"], peer["kinds"]["register"]
    rows.append(
        (
            f"production mode ({where}): registration (web_save), p50 / p95 / p99",
            pct(reg),
            f"helpdesk_mgmt_sla: {pct(peer_reg)}",
            f"{peer_reg['p95_ms'] / max(reg['p95_ms'], 0.001):.2f}× (peer p95 / ours)",
            "p95 ≤ 300 ms",
            verdict(reg["p95_ms"] <= 300),
        )
    )
    for kind, label in (
        ("new", "an empty registration form (onchange)"),
        ("list", "the list (80 rows)"),
        ("form", "the form of the matter registered"),
        ("answer", "answer the customer (peer: a note in the chatter)"),
        ("guide", "guide to a colleague (peer: assign to a colleague)"),
    ):
        if kind in ours["kinds"] and kind in peer["kinds"]:
            rows.append(
                (
                    f"  the same load: {label}",
                    pct(ours["kinds"][kind]),
                    f"helpdesk_mgmt_sla: {pct(peer['kinds'][kind])}",
                    "",
                    "(no target)",
                    "",
                )
            )
    sweep = ours.get("during_sweep") or {}
    rows.append(
        (
            f"  the same load: registrations while the cron worker swept "
            f"({sweep.get('count', 0)} of them; {server['due']:,} matters due)",
            pct(sweep) if sweep.get("count") else "no sweep ran",
            "—",
            "",
            "p95 ≤ 300 ms",
            verdict(bool(sweep.get("count")) and sweep["p95_ms"] <= 300),
        )
    )
    rows.append(
        (
            "  the same load: requests/s, errors",
            f"{ours['requests_per_s']:.1f}/s, {ours['errors']} errors; "
            f"{server['log_error_count']} ERROR lines in the server's log",
            f"helpdesk_mgmt_sla: {peer['requests_per_s']:.1f}/s, "
            f"{peer['errors']} errors",
            "",
            "0 errors",
            verdict(ours["errors"] == 0 and server["log_error_count"] == 0),
        )
    )
    rows.append(
        (
            "  the same load: read-only requests retried read/write (server log); "
            "largest server process",
            f"{server['ro_retries']} retries; {server['max_process_rss_mb']:,.0f} MB",
            "—",
            "",
            "0 retries",
            verdict(server["ro_retries"] == 0),
        )
    )
    cap, peer_cap = r.get("http_capacity_ours"), r.get("http_capacity_peer")
    if cap and peer_cap:
        ratio = cap["registrations_per_s"] / max(peer_cap["registrations_per_s"], 1e-9)
        rows.append(
            (
                f"registration throughput over HTTP, {server['clerks']} clerks back "
                f"to back, {cap['duration']} s (p95)",
                f"{cap['registrations_per_s']:.1f}/s "
                f"({cap['kinds']['register']['p95_ms']:,.0f} ms), "
                f"{cap['errors']} errors",
                f"helpdesk_mgmt_sla: {peer_cap['registrations_per_s']:.1f}/s "
                f"({peer_cap['kinds']['register']['p95_ms']:,.0f} ms), "
                f"{peer_cap['errors']} errors",
                f"{ratio:.2f}×",
                "≥ 3×, 0 errors",
                verdict(ratio >= 3 and cap["errors"] == 0),
            )
        )
        empty = r.get("http_capacity_empty")
        if empty:
            ceiling = empty["requests_per_s"] / max(
                peer_cap["registrations_per_s"], 1e-9
            )
            rows.append(
                (
                    "  the same clerks' calls that do nothing (a count of no record), "
                    "back to back: the most any request's throughput can be here; "
                    "the ratio is the most the registrations' ratio could be",
                    f"{empty['requests_per_s']:.1f}/s "
                    f"({empty['kinds']['empty']['p95_ms']:,.0f} ms), "
                    f"{empty['errors']} errors",
                    f"helpdesk_mgmt_sla's registrations: "
                    f"{peer_cap['registrations_per_s']:.1f}/s",
                    f"{ceiling:.2f}×",
                    "(no target)",
                    "",
                )
            )
    return rows


# ----------------------------------------------------------------------- main
def main(argv):
    args = parse_args(argv)
    args.config = str(Path(args.config).resolve())
    only = set(args.only or ("registration", "reading", "sweep", "production"))
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "--max-cron-threads=0"])
    odoo.tools.config["max_cron_threads"] = 0
    if not args.database.startswith(DB_PREFIX):
        sys.exit(f"the database name must start with {DB_PREFIX}")
    rng = random.Random(args.seed)
    now = dt.datetime.utcnow().replace(microsecond=0)
    started = time.monotonic()
    if not args.reuse:
        drop_database(odoo, args.database)
        install(args)
    registry = Registry(args.database)
    state_file = "bench_state"
    if args.reuse:
        with environment(registry) as env:
            org = json.loads(env["ir.config_parameter"].get_param(state_file))
            peer = org.pop("peer")
    else:
        with environment(registry) as env:
            env.cr.execute("SELECT setseed(%s)", [args.seed % 1])
            org = build_organisation(env, args, rng)
            peer = set_up_peer(env)
            env["ir.config_parameter"].set_param(
                state_file, json.dumps(dict(org, peer=peer))
            )
    bench = Bench(registry, args, org, peer)
    generated = 0
    if not args.reuse:
        small = args.small_matters if 0 < args.small_matters < args.matters else 0
        with environment(registry) as env:
            log(f"generating {small or args.matters:,} matters")
            generate_matters(env, args, 1, small or args.matters, now)
        generated = small or args.matters
        if small:
            if "sweep" in only:
                bench.sweep("sweep_small")
            with environment(registry) as env:
                log(f"generating {args.matters - small:,} more matters")
                generate_matters(env, args, small + 1, args.matters - small, now)
            generated = args.matters
    log(f"data ready after {time.monotonic() - started:.0f}s")
    # reading first, on the generated history: the registration runs put
    # thousands of matters of one county unit on top of every list
    if "reading" in only:
        bench.reading()
    if "registration" in only:
        bench.registration()
        if "reading" in only:
            bench.list_pages("_after")
    if "sweep" in only:
        bench.sweep("sweep_full")
        bench.automation_cron("automation_cron")
    if "production" in only:
        import bench_http

        bench_http.run(bench, OUT_DIR)
    markdown = table(bench.results, args)
    print()
    print(markdown)
    print()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / f"bench-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    with environment(registry, commit=False) as env:
        env.cr.execute("SHOW server_version")
        pg_version = env.cr.fetchone()[0]
    out.write_text(
        json.dumps(
            {
                "date": dt.datetime.now().isoformat(timespec="seconds"),
                "machine": {
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    "python": platform.python_version(),
                    "postgresql": pg_version,
                    "odoo": odoo.release.version,
                },
                "arguments": vars(args),
                "generated_matters": generated,
                "results": bench.results,
                "table": markdown,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    log(f"results: {out.relative_to(ROOT)} (total {time.monotonic() - started:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
