# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from functools import partial

from psycopg2.errors import InsufficientPrivilege

from odoo import SUPERUSER_ID, Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools import ambient
from .common import (
    ID_NUMBER,
    ID_NUMBER_MASKED,
    PHONE,
    PHONE_MASKED,
    ShouwenCase,
)

ALLOW = True
DENY = False
OPERATIONS = ("read", "write", "create", "unlink")

#: who may do what on a matter of county A1, first received by ``staff_a1``:
#: role -> (fixture user, (read, write, create in county A1, unlink))
# fmt: off
ACCESS_MATRIX = {
    "staff_own":               ("staff_a1",     (ALLOW, ALLOW, ALLOW, DENY)),
    "staff_same_unit":         ("staff_a1b",    (DENY,  DENY,  ALLOW, DENY)),
    "staff_sibling_unit":      ("staff_a2",     (DENY,  DENY,  DENY,  DENY)),
    "staff_other_city":        ("staff_b1",     (DENY,  DENY,  DENY,  DENY)),
    "supervisor_unit":         ("sup_a1",       (ALLOW, ALLOW, ALLOW, DENY)),
    "supervisor_sibling_unit": ("sup_a2",       (DENY,  DENY,  DENY,  DENY)),
    "supervisor_city":         ("sup_city_a",   (ALLOW, ALLOW, ALLOW, DENY)),
    "supervisor_other_city":   ("sup_city_b",   (DENY,  DENY,  DENY,  DENY)),
    "supervisor_province":     ("sup_province", (ALLOW, ALLOW, ALLOW, DENY)),
    "inspector":               ("inspector",    (ALLOW, DENY,  DENY,  DENY)),
}
# fmt: on


class _Allowed(Exception):
    """Raised to roll back an operation that was allowed."""


@tagged("post_install", "-at_install")
class TestAccess(ShouwenCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # handled by its first receiver, with a part given to a colleague of the
        # city branch (who is none of the roles of the matrix)
        cls.matter = cls.register(cls.staff_a1, subject="访问矩阵事项")
        cls.matter.action_handle()
        cls.part = cls.matter.coordinate(cls.staff_city_a, "核对保单信息")
        cls.matter = cls.matter.sudo()
        cls.part = cls.part.sudo()

    def _attempt(self, operation):
        """Whether ``operation`` is allowed: ``True`` when it runs, ``False``
        when it raises :class:`AccessError`; any other error fails the test.
        Always rolled back."""
        self.env.invalidate_all()
        try:
            with self.env.cr.savepoint():
                operation()
                self.env.flush_all()
                raise _Allowed
        except _Allowed:
            return True
        except AccessError:
            return False
        finally:
            self.env.invalidate_all()

    def _operations(self, user):
        matter = self.matter.with_user(user)
        Matter = self.env["shouwen.matter"].with_user(user)
        return {
            "read": lambda: matter.read(["subject"]),
            "write": lambda: matter.write({"description": "客户补充说明"}),
            "create": lambda: Matter.create(
                self._matter_values(unit_id=self.county_a1.id, subject="新登记")
            ),
            "unlink": matter.unlink,
        }

    def test_access_matrix_on_a_matter(self):
        mismatches = []
        for role, (login, expected) in ACCESS_MATRIX.items():
            user = getattr(self, login)
            operations = self._operations(user)
            for operation, allowed in zip(OPERATIONS, expected, strict=True):
                with mute_logger("odoo.models.unlink"):
                    actual = self._attempt(operations[operation])
                if actual != allowed:
                    mismatches.append(
                        f"{role} {operation}: expected "
                        f"{'allow' if allowed else 'deny'}, got "
                        f"{'allow' if actual else 'AccessError'}"
                    )
            found = (
                self.env["shouwen.matter"]
                .with_user(user)
                .search([("id", "=", self.matter.id)])
            )
            if bool(found) != expected[0]:
                mismatches.append(f"{role} search: found={bool(found)}")
        self.assertFalse(mismatches, "\n".join(mismatches))
        self.assertTrue(self.matter.exists())

    def test_nobody_deletes_a_matter(self):
        for user in (self.staff_a1, self.sup_province, self.manager):
            with self.subTest(user=user.name):
                with self.assertRaises(UserError):
                    self.matter.with_user(user).unlink()
                with self.assertRaises(UserError):
                    self.matter.with_user(user).sudo().unlink()
        self.assertTrue(self.matter.exists())

    def test_inspector_reads_everything_and_writes_nothing(self):
        matter = self.matter.with_user(self.inspector)
        self.assertEqual(matter.read(["subject"])[0]["subject"], "访问矩阵事项")
        with self.assertRaises(AccessError):
            matter.write({"description": "监督意见"})
        with self.assertRaises(AccessError):
            self.env["shouwen.matter"].with_user(self.inspector).create(
                self._matter_values(unit_id=self.county_a1.id)
            )
        inspected = self.register(self.staff_a1).with_user(self.inspector)
        with self.assertRaises(UserError):
            inspected.action_handle()
        with self.assertRaises(UserError):
            inspected.answer("监督代答", "phone")
        self.assertEqual(inspected.sudo().state, "registered")

    def test_log_lines_and_parts_follow_the_matters_visibility(self):
        lines = self.matter.log_ids
        self.assertEqual(len(lines), 3)
        mismatches = []
        for role, (login, expected) in ACCESS_MATRIX.items():
            user = getattr(self, login)
            readable = expected[0]
            for records in (lines, self.part):
                found = (
                    records.with_user(user)
                    .search([("matter_id", "=", self.matter.id)])
                    .sudo()
                )
                if found != (records if readable else records.browse()):
                    mismatches.append(f"{role} search {records._name}: {found}")
                read = partial(records.with_user(user).read, ["matter_id"])
                if self._attempt(read) != readable:
                    mismatches.append(f"{role} read {records._name}")
        self.assertFalse(mismatches, "\n".join(mismatches))

    def test_staff_cannot_create_write_or_delete_log_lines(self):
        line = self.matter.log_ids[:1]
        for user in (self.staff_a1, self.sup_province):
            Log = self.env["shouwen.matter.log"].with_user(user)
            with self.subTest(user=user.name):
                with self.assertRaises(UserError):
                    Log.create(
                        {
                            "matter_id": self.matter.id,
                            "action": "close",
                            "user_id": user.id,
                        }
                    )
                with self.assertRaises(UserError):
                    line.with_user(user).write({"reason": "改写历史"})
                with self.assertRaises(UserError):
                    line.with_user(user).unlink()
        self.assertEqual(len(self.matter.log_ids), 3)

    def test_only_the_superuser_changes_the_log_not_sudo(self):
        line = self.matter.log_ids[:1]
        as_staff_su = line.with_user(self.staff_a1).sudo()
        with self.assertRaises(UserError):
            as_staff_su.write({"reason": "改写历史"})
        with self.assertRaises(UserError):
            as_staff_su.unlink()
        self.assertTrue(line.exists())
        as_superuser = line.with_env(self.env(user=SUPERUSER_ID))
        # the ORM lets the superuser through, the database only a migration
        with (
            self.assertRaises(InsufficientPrivilege),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            as_superuser.write({"reason": "数据修复"})
            self.env.flush_all()
        line.invalidate_recordset()
        with as_superuser._maintenance():
            as_superuser.write({"reason": "数据修复"})
        self.assertEqual(line.reason, "数据修复")
        with as_superuser._maintenance():
            as_superuser.unlink()
        self.assertFalse(line.exists())

    def test_staff_cannot_create_or_delete_parts(self):
        with self.assertRaises(UserError):
            self.env["shouwen.matter.part"].with_user(self.staff_a1).create(
                {
                    "matter_id": self.matter.id,
                    "name": "自建协办",
                    "assignee_id": self.staff_a1b.id,
                }
            )
        with self.assertRaises(UserError):
            self.part.with_user(self.staff_a1).unlink()
        with self.assertRaises(UserError):
            self.part.with_user(self.staff_a1).sudo().unlink()
        self.assertTrue(self.part.exists())

    def test_guide_target_reads_the_guided_matter(self):
        matter = self.register(self.staff_a1, subject="引导可见")
        with self.assertRaises(AccessError):
            matter.with_user(self.staff_b1).read(["subject"])
        matter.guide(self.staff_b1)
        self.assertEqual(
            matter.with_user(self.staff_b1).read(["subject"])[0]["subject"], "引导可见"
        )
        # may write what the customer adds while deciding, and is told the data
        self.assertTrue(matter.with_user(self.staff_b1).can_see_personal)

    def test_follower_reads_but_does_not_write(self):
        matter = self.matter.with_user(self.staff_a1)
        with self.assertRaises(AccessError):
            matter.with_user(self.staff_b1).read(["subject"])
        matter.message_subscribe(partner_ids=self.staff_b1.partner_id.ids)
        follower = matter.with_user(self.staff_b1)
        self.assertEqual(follower.read(["subject"])[0]["subject"], "访问矩阵事项")
        self.assertEqual(
            follower.search([("id", "=", matter.id)]).ids,
            matter.ids,
        )
        with self.assertRaises(AccessError):
            follower.write({"description": "跟进人修改"})

    def test_only_a_supervisor_archives_a_matter(self):
        with self.assertRaises(AccessError):
            self.matter.with_user(self.staff_a1).write({"active": False})
        self.assertTrue(self.matter.active)
        self.matter.with_user(self.sup_a1).write({"active": False})
        self.assertFalse(self.matter.active)

    def test_staff_cannot_register_an_archived_matter(self):
        """Registering a matter archived hides it from every list as surely as
        archiving it: only a supervisor may do that."""
        Matter = self.env["shouwen.matter"].with_context(active_test=False)
        with self.assertRaises(UserError):
            Matter.with_user(self.staff_a1).create(
                self._matter_values(subject="登记即归档", active=False)
            )
        self.assertFalse(Matter.search([("subject", "=", "登记即归档")]))

    def test_staff_cannot_move_a_matter_to_another_unit(self):
        """The unit is where the matter was registered: it gives its number
        and the supervisors who see it.  Moving it to another city would take
        it out of its supervisors' sight."""
        with self.assertRaises(UserError):
            self.matter.with_user(self.staff_a1).write({"unit_id": self.county_b1.id})
        self.assertEqual(self.matter.unit_id, self.county_a1)


@tagged("post_install", "-at_install")
class TestPersonalData(ShouwenCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matter = cls.register(cls.staff_a1, subject="个人信息事项")
        cls.matter.message_subscribe(partner_ids=cls.staff_b1.partner_id.ids)
        cls.matter.guide(cls.staff_a2)
        cls.matter.with_user(cls.staff_a2).action_accept()
        cls.matter = cls.matter.sudo()
        cls.follower = cls.staff_b1
        cls.personal = ["customer_phone", "customer_id_number"]

    def _read_ways(self, user):
        matter = self.matter.with_user(user)
        yield "read", matter.read(self.personal)[0]
        yield (
            "search_read",
            matter.search_read([("id", "=", matter.id)], self.personal)[0],
        )
        yield "web_read", matter.web_read({f: {} for f in self.personal})[0]

    def test_personal_data_is_masked_for_inspector_and_follower(self):
        for user in (self.inspector, self.follower):
            for way, values in self._read_ways(user):
                with self.subTest(user=user.name, way=way):
                    self.assertEqual(values["customer_phone"], PHONE_MASKED)
                    self.assertEqual(values["customer_id_number"], ID_NUMBER_MASKED)
            self.assertFalse(self.matter.with_user(user).can_see_personal)

    def test_personal_data_is_clear_for_handler_receiver_and_supervisors(self):
        for user in (
            self.staff_a2,  # the handler, now first responsible
            self.staff_a1,  # the first receiver
            self.sup_a1,
            self.sup_city_a,
            self.sup_province,
        ):
            for way, values in self._read_ways(user):
                with self.subTest(user=user.name, way=way):
                    self.assertEqual(values["customer_phone"], PHONE)
                    self.assertEqual(values["customer_id_number"], ID_NUMBER)
            self.assertTrue(self.matter.with_user(user).can_see_personal)

    def test_searching_personal_data_finds_nothing_for_a_masked_user(self):
        for domain in (
            [("customer_phone", "=", PHONE)],
            [("customer_phone", "ilike", "5678")],
            [("customer_phone", "!=", False)],
            [("customer_id_number", "=", ID_NUMBER)],
            [("customer_id_number", "=like", "4101%")],
        ):
            domain = [("id", "=", self.matter.id), *domain]
            with self.subTest(domain=domain):
                for user in (self.inspector, self.follower):
                    Matter = self.env["shouwen.matter"].with_user(user)
                    self.assertFalse(Matter.search(domain))
                    self.assertEqual(Matter.search_count(domain), 0)
                self.assertEqual(
                    self.env["shouwen.matter"].with_user(self.staff_a2).search(domain),
                    self.matter.with_user(self.staff_a2),
                )

    def test_searching_personal_data_through_the_log_finds_nothing(self):
        domain = [
            ("matter_id", "=", self.matter.id),
            ("matter_id.customer_phone", "=", PHONE),
        ]
        Log = self.env["shouwen.matter.log"]
        self.assertFalse(Log.with_user(self.inspector).search(domain))
        self.assertEqual(
            Log.with_user(self.staff_a2).search(domain).ids, self.matter.log_ids.ids
        )

    def test_grouping_by_personal_data_is_refused(self):
        for user in (self.staff_a2, self.sup_province, self.inspector):
            Matter = self.env["shouwen.matter"].with_user(user)
            domain = [("id", "=", self.matter.id)]
            for field in self.personal:
                with self.subTest(user=user.name, field=field):
                    with self.assertRaises(AccessError):
                        Matter.read_group(domain, [field], [field])
                    with self.assertRaises(AccessError):
                        Matter._read_group(domain, [field])
                    with self.assertRaises(AccessError):
                        Matter._read_group(domain, [], [f"{field}:count_distinct"])
            self.assertEqual(
                Matter._read_group(domain, ["state"], ["__count"]),
                [("in_progress", 1)],
            )
        # the superuser may (data protection reports)
        groups = self.env["shouwen.matter"]._read_group(
            [("id", "=", self.matter.id)], ["customer_phone"], ["__count"]
        )
        self.assertEqual(groups, [(PHONE, 1)])

    def _allow_export(self, *users):
        export = self.env.ref("base.group_allow_export")
        export.users = [Command.link(user.id) for user in users]

    def test_exporting_personal_data_gives_what_reading_gives(self):
        """An export is a read: clear to those who handle the matter or
        supervise it, masked to the others (and recorded as a view when
        clear, see test_personal_data)."""
        self._allow_export(self.staff_a2, self.sup_province, self.inspector)
        for user, phone, id_number in (
            (self.staff_a2, PHONE, ID_NUMBER),
            (self.sup_province, PHONE, ID_NUMBER),
            (self.inspector, PHONE_MASKED, ID_NUMBER_MASKED),
        ):
            matter = self.matter.with_user(user)
            with self.subTest(user=user.name):
                self.assertEqual(
                    matter.export_data(["subject", *self.personal])["datas"],
                    [["个人信息事项", phone, id_number]],
                )

    def test_masked_user_cannot_write_personal_data(self):
        for user in (self.follower, self.inspector):
            for field, value in (
                ("customer_phone", "13900000000"),
                ("customer_id_number", "440304198506123455"),
            ):
                with self.subTest(user=user.name, field=field):
                    with self.assertRaises(AccessError):
                        self.matter.with_user(user).write({field: value})
        self.assertEqual(self.matter.customer_phone, PHONE)
        # the handler may correct them
        self.matter.with_user(self.staff_a2).write({"customer_phone": "139 0000 0000"})
        self.assertEqual(self.matter.customer_phone, "13900000000")

    # --- other ways out of the database -------------------------------

    def test_personal_data_does_not_leak_through_related_exports(self):
        """Exporting log lines or parts with ``matter_id/customer_phone`` is
        exporting the customer's phone: refused, or masked."""
        self._allow_export(self.inspector)
        self.matter.with_user(self.staff_a2).coordinate(self.staff_b1, "核对保单")
        for model in ("shouwen.matter.log", "shouwen.matter.part"):
            records = (
                self.env[model]
                .with_user(self.inspector)
                .search([("matter_id", "=", self.matter.id)], limit=1)
            )
            self.assertTrue(records)
            with self.subTest(model=model):
                try:
                    rows = records.export_data(
                        ["matter_id/customer_phone", "matter_id/customer_id_number"]
                    )["datas"]
                except AccessError:
                    continue
                self.assertNotIn(PHONE, rows[0])
                self.assertNotIn(ID_NUMBER, rows[0])

    def test_personal_data_does_not_leak_through_onchange(self):
        spec = {"customer_phone": {}, "customer_id_number": {}, "subject": {}}
        matter = self.matter.with_user(self.inspector)
        for values, names in (
            ({"subject": "个人信息事项"}, []),
            ({"subject": "改"}, ["subject"]),
            ({"customer_phone": PHONE_MASKED}, ["customer_phone"]),
        ):
            with self.subTest(names=names):
                result = matter.onchange(values, names, spec).get("value", {})
                self.assertNotIn(PHONE, result.values())
                self.assertNotIn(ID_NUMBER, result.values())

    def test_ordering_by_personal_data_reveals_nothing(self):
        other = self.register(
            self.staff_a1, subject="个人信息事项二", customer_phone="13000000000"
        )
        other.message_subscribe(partner_ids=self.follower.partner_id.ids)
        ids = [self.matter.id, other.id]
        Matter = self.env["shouwen.matter"].with_user(self.follower)
        try:
            ascending = Matter.search([("id", "in", ids)], order="customer_phone asc")
            descending = Matter.search([("id", "in", ids)], order="customer_phone desc")
        except AccessError:
            return
        self.assertEqual(ascending.ids, descending.ids)

    def _capped_counts(self, user, domain, limits):
        """``[(count with the cap, what the user's search finds, capped)]``."""
        Matter = self.env["shouwen.matter"].with_user(user)
        found = len(Matter.search(domain))
        return [
            (Matter.search_count(domain, limit=limit), min(found, limit))
            for limit in limits
        ]

    def test_who_takes_part_is_searched_as_the_staff_rule_reads(self):
        """The staff's rule reads ``party_user_ids``, a union of indexed
        queries: for every member of staff it finds exactly the matters the
        conditions of taking part name (received, responsible, handling,
        guided to, proposed, approving, deciding, overseeing, given a part,
        following, or of their unit while a complaint assigned there waits),
        and agrees with the field's value on each matter."""
        Matter = self.env["shouwen.matter"].with_context(active_test=False)
        staff = self.env.ref("shouwen_responsibility.group_shouwen_staff")
        users = self.env["res.users"].search([("groups_id", "in", staff.ids)])
        matters = Matter.search([], order="id")
        # one of the staff named on other matters in each way the demo may
        # not have: overseeing, deciding a dispute, approving, following
        named = users.sorted("id")[-1]
        for matter, table in zip(
            matters[:3],
            (
                "shouwen_matter_overseer_rel",
                "shouwen_matter_dispute_decider_rel",
                "shouwen_matter_approver_rel",
            ),
            strict=True,
        ):
            self.env.cr.execute(
                f"INSERT INTO {table} (matter_id, user_id) VALUES (%s, %s) "
                "ON CONFLICT DO NOTHING",
                [matter.id, named.id],
            )
        matters[3].message_subscribe(partner_ids=named.partner_id.ids)
        self.env.invalidate_all()
        parties = {matter.id: matter.party_user_ids for matter in matters}
        self.assertLessEqual(
            matters[:4], Matter.search([("party_user_ids", "in", named.ids)])
        )
        self.assertGreater(len(users), 5)
        self.assertTrue(self.env["shouwen.matter.part"].search_count([]))
        for user in users:
            # the staff's rule as it was written, one OR of conditions
            # fmt: off
            taking_part = [
                "|", "|", "|", "|", "|", "|", "|", "|", "|", "|",
                ("first_receiver_id", "=", user.id),
                ("first_responsible_id", "=", user.id),
                ("handler_id", "=", user.id),
                ("guide_to_id", "=", user.id),
                ("assign_user_id", "=", user.id),
                ("assignment_approver_ids", "in", [user.id]),
                ("dispute_decider_ids", "in", [user.id]),
                ("overseer_ids", "in", [user.id]),
                ("part_ids.assignee_id", "=", user.id),
                ("message_partner_ids", "in", user.partner_id.ids),
                "&", "&", ("state", "=", "assigned"), ("assign_user_id", "=", False),
                ("assign_unit_id", "=", user.shouwen_unit_id.id),
            ]
            # fmt: on
            expected = Matter.search(taking_part)
            found = Matter.search([("party_user_ids", "in", [user.id])])
            self.assertEqual(found, expected, user.login)
            self.assertEqual(
                matters.filtered(lambda m, u=user: u in parties[m.id]),
                expected,
                user.login,
            )
        # the branches beyond the matter's own columns are reached too
        Part = self.env["shouwen.matter.part"]
        for part in Part.search([]):
            found = Matter.search([("party_user_ids", "in", part.assignee_id.ids)])
            self.assertIn(part.matter_id, found)
        with self.assertRaises(UserError):
            Matter.search([("party_user_ids", "ilike", "张")])

    def test_who_takes_part_in_a_matter_one_may_not_read_is_not_told(self):
        """``party_user_ids`` is computed, and ``mapped`` reaches a computed
        field without Odoo's record access check: on a matter the user may
        not read it holds nobody."""
        matter = self.register(self.staff_a1, subject="参与人员不外泄")
        # read first by those who may: nothing of it is served to the other
        self.assertIn(self.staff_a1, matter.sudo().party_user_ids)
        self.assertIn(self.staff_a1, matter.with_user(self.staff_a1).party_user_ids)
        outsider = matter.with_user(self.staff_a2).browse(matter.id)
        with self.assertRaises(AccessError):
            outsider.check_access("read")
        self.assertFalse(outsider.mapped("party_user_ids"))
        own = matter.with_user(self.staff_a1).browse(matter.id)
        self.assertIn(self.staff_a1, own.mapped("party_user_ids"))

    def test_a_list_page_read_as_found_lets_nothing_else_through(self):
        """A list's page is read without asking the rules again (the search
        has just applied them): that holds for the page's own matters, for
        its user, in its transaction, while the page is read — a matter
        outside the page, another user, a later read are checked as ever."""
        own = self.register(self.staff_a1, subject="列表已查")
        other = self.register(self.staff_b1, subject="他人事项")
        page = own.with_user(self.staff_a1).browse(own.id)
        with ambient.found_readable(page):
            self.assertTrue(ambient.found(page))
            stranger = other.with_user(self.staff_a1).browse(other.id)
            with self.assertRaises(AccessError):
                stranger.check_access("read")
            with self.assertRaises(AccessError):
                (page | stranger).check_access("read")
            # the same matter in another user's hands is checked for them
            with self.assertRaises(AccessError):
                own.with_user(self.staff_b1).browse(own.id).check_access("read")
        self.assertFalse(ambient.found(page))
        # a list of matters the user may not read, whatever it asks, is empty
        listed = (
            self.env["shouwen.matter"]
            .with_user(self.staff_a1)
            .web_search_read([("id", "in", other.ids)], {"subject": {}}, limit=80)
        )
        self.assertEqual(listed["records"], [])

    def test_who_takes_part_is_read_with_the_changes_not_yet_written(self):
        """The staff's rules are asked of PostgreSQL: a change of who takes
        part still pending in the transaction is written first — a matter
        just handed to someone is theirs to find, a contact just made a
        customer's is hidden from the others at once."""
        matter = self.register(self.staff_a1, subject="待写入").sudo()
        self.env.flush_all()
        Matter = self.env["shouwen.matter"].with_user(self.staff_b1)
        self.assertFalse(Matter.search([("id", "=", matter.id)]))
        matter.handler_id = self.staff_b1  # pending, not yet written
        self.assertEqual(Matter.search([("id", "=", matter.id)]).ids, matter.ids)
        contact = self.env["res.partner"].create({"name": "新客户"})
        self.env.flush_all()
        self.assertTrue(contact.with_user(self.staff_a2).has_access("read"))
        matter.partner_id = contact  # pending, not yet written
        self.assertFalse(contact.with_user(self.staff_a2).has_access("read"))
        self.assertTrue(contact.with_user(self.staff_b1).has_access("read"))

    def test_a_matter_read_as_found_only_once_fetched_for_its_reader(self):
        """A read checks the matters once, when it fetches them; the fields
        computed while they are read do not ask again, and what they asked
        (who may see the customer's data) serves that read only: a matter
        among them the user may not read still fails the whole read, the
        answers are not another user's, nor kept after the read."""
        own = self.register(self.staff_a1, subject="本人读取")
        other = self.register(self.staff_b1, subject="他人读取")
        Matter = self.env["shouwen.matter"].with_user(self.staff_a1)
        for ids in (other.ids, (own | other).ids):
            with self.subTest(ids=ids), self.assertRaises(AccessError):
                Matter.browse(ids).read(["subject", "customer_phone"])
        (row,) = Matter.browse(own.id).read(["customer_phone", "can_see_personal"])
        self.assertEqual(
            (row["customer_phone"], row["can_see_personal"]), (PHONE, True)
        )
        self.assertIsNone(ambient.FOUND.get())
        # the province reads the same matter in clear, staff of another unit
        # who follows it reads it masked: each read asks for its own reader
        self.assertEqual(
            own.with_user(self.sup_province).read(["customer_phone"])[0][
                "customer_phone"
            ],
            PHONE,
        )
        own.sudo().message_subscribe(partner_ids=self.staff_b1.partner_id.ids)
        self.assertEqual(
            own.with_user(self.staff_b1).read(["customer_phone"])[0]["customer_phone"],
            PHONE_MASKED,
        )
        page = Matter.browse(own.id)
        with ambient.found_readable(page):
            self.assertEqual(ambient.found_answers(page), {})
            self.assertIsNone(ambient.found_answers(own.with_user(self.staff_b1)))
            self.assertIsNone(ambient.found_answers(Matter.browse(other.id)))
        self.assertIsNone(ambient.found_answers(page))

    def test_the_pagers_capped_count_is_what_each_level_reads(self):
        """The pager's "1000+" counts a supervisor's own units first: the count
        is still exactly what the user's search finds, up to the cap — for a
        unit supervisor (never the siblings' matters), a city supervisor
        (their subtree, and a matter of another city they were guided), the
        province, and staff (no units of their own)."""
        for user, unit in (
            (self.staff_a1, self.county_a1),
            (self.staff_a2, self.county_a2),
            (self.staff_b1, self.county_b1),
        ):
            for index in range(3):
                self.register(user, subject=f"计数{unit.code}{index}", unit_id=unit.id)
        elsewhere = self.register(self.staff_b1, subject="外市引导计数")
        elsewhere.guide(self.sup_city_a)
        users = (self.sup_a1, self.sup_city_a, self.sup_province, self.staff_a1)
        for user in users:
            Matter = self.env["shouwen.matter"].with_user(user)
            visible = len(Matter.search([]))
            limits = (1, 2, visible - 1, visible, visible + 1, 10**6)
            for domain in (
                [],
                [("state", "=", "registered")],
                [("unit_id", "=", self.county_b1.id)],
                [("customer_phone", "=", PHONE)],
                [("first_responsible_id.name", "ilike", "Staff")],
            ):
                with self.subTest(user=user.login, domain=domain):
                    for counted, expected in self._capped_counts(
                        user, domain, [limit for limit in limits if limit > 0]
                    ):
                        self.assertEqual(counted, expected)
        # the city supervisor reads the guided matter of the other city, which
        # their units do not hold: the count up to a cap above their units'
        # matters includes it
        Matter = self.env["shouwen.matter"].with_user(self.sup_city_a)
        self.assertIn(elsewhere, Matter.search([]))
        self.assertEqual(Matter.search_count([], limit=10**6), len(Matter.search([])))
        # the unit supervisor's count never reaches into the sibling unit,
        # although the city's subtree would
        Matter = self.env["shouwen.matter"].with_user(self.sup_a1)
        visible = len(Matter.search([]))
        self.assertEqual(Matter.search_count([], limit=visible + 1), visible)
