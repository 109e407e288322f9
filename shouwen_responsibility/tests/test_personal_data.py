# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Customers' personal data (PIPL): masked whatever the read path, and every
clear view on record (查询留痕).

The matter of these tests is registered by ``staff_a1`` in county A1 and
guided to ``staff_a2``, who accepted it: the inspector and a follower
(``staff_b1``) may read it, but not its customer's phone and ID number."""

from markupsafe import Markup

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.sql_db import Savepoint
from odoo.tests import new_test_user, tagged

from .common import ID_NUMBER, ID_NUMBER_MASKED, PHONE, PHONE_MASKED, ShouwenCase

REP_PHONE = "13911112222"
REP_PHONE_MASKED = "139****2222"


@tagged("post_install", "-at_install")
class TestPersonalDataPaths(ShouwenCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        matter = cls.register(
            cls.staff_a1,
            subject="个人信息路径",
            kind="complaint",
            business_domain="complaint",
            representative_ids=[Command.create({"name": "代表甲", "phone": REP_PHONE})],
        )
        matter.message_subscribe(partner_ids=cls.staff_b1.partner_id.ids)
        cls.matter = matter.sudo()
        cls.masked_users = (cls.inspector, cls.staff_b1)
        cls.clear_users = (cls.staff_a1, cls.sup_a1, cls.sup_city_a, cls.sup_province)

    def _matter(self, user):
        return self.matter.with_user(user)

    def test_every_orm_read_path_masks_what_read_masks(self):
        """read, search_read, web_read, mapped, filtered_domain, export_data,
        copy_data, onchange and related paths from the log all give the value
        ``read`` gives: masked to those who may not see it, clear to those who
        may."""
        self.env.ref("base.group_allow_export").users = [
            Command.link(u.id) for u in (*self.masked_users, *self.clear_users)
        ]
        for users, phone, id_number in (
            (self.masked_users, PHONE_MASKED, ID_NUMBER_MASKED),
            (self.clear_users, PHONE, ID_NUMBER),
        ):
            for user in users:
                matter = self._matter(user)
                log = matter.log_ids[:1]
                paths = {
                    "read": matter.read(["customer_phone"])[0]["customer_phone"],
                    "search_read": matter.search_read(
                        [("id", "=", matter.id)], ["customer_phone"]
                    )[0]["customer_phone"],
                    "web_read": matter.web_read({"customer_phone": {}})[0][
                        "customer_phone"
                    ],
                    "mapped": matter.mapped("customer_phone")[0],
                    "export_data": matter.export_data(["customer_phone"])["datas"][0][
                        0
                    ],
                    "log web_read": log.web_read(
                        {"matter_id": {"fields": {"customer_phone": {}}}}
                    )[0]["matter_id"]["customer_phone"],
                    "log mapped": log.mapped("matter_id.customer_phone")[0],
                    "log export": log.export_data(["matter_id/customer_phone"])[
                        "datas"
                    ][0][0],
                    "onchange": matter.onchange(
                        {"subject": "改"}, ["subject"], {"customer_phone": {}}
                    )
                    .get("value", {})
                    .get("customer_phone", phone),
                }
                for path, value in paths.items():
                    with self.subTest(user=user.login, path=path):
                        self.assertEqual(value, phone)
                self.assertEqual(matter.mapped("customer_id_number"), [id_number])
                self.assertNotIn("customer_phone", matter.copy_data()[0])
                self.assertNotIn("customer_phone_clear", matter.copy_data()[0])

    def test_the_stored_clear_values_are_refused_to_every_user(self):
        """The clear columns are the system's: ``mapped``, ``read``,
        ``filtered_domain``, search, grouping, sorting and writing them are
        refused to everybody, the first responsible and the province
        included — even after the shown field was computed in the same
        transaction (the clear values never enter the cache)."""
        for user in (*self.masked_users, *self.clear_users, self.manager):
            matter = self._matter(user)
            Matter = matter.browse()
            matter.mapped("customer_phone")  # computed first: nothing cached
            attempts = {
                "mapped": lambda m=matter: m.mapped("customer_phone_clear"),
                "read": lambda m=matter: m.read(["customer_id_number_clear"]),
                "filtered_domain": lambda m=matter: m.filtered_domain(
                    [
                        ("customer_phone", "!=", False),
                        ("customer_phone_clear", "=", PHONE),
                    ]
                ),
                "search": lambda M=Matter: M.search(
                    [("customer_phone_clear", "=", PHONE)]
                ),
                "group": lambda M=Matter: M._read_group(
                    [], ["customer_phone_clear"], ["__count"]
                ),
                "order": lambda M=Matter: M.search([], order="customer_phone_clear"),
                "web_read of the log": lambda m=matter: m.log_ids[:1].web_read(
                    {"matter_id": {"fields": {"customer_phone_clear": {}}}}
                ),
            }
            for name, attempt in attempts.items():
                with self.subTest(user=user.login, attempt=name):
                    with self.assertRaises(AccessError):
                        attempt()
            with self.subTest(user=user.login, attempt="write"):
                with self.assertRaises(UserError):
                    matter.write({"customer_phone_clear": "13900000000"})
        self.assertEqual(self.matter.customer_phone, PHONE)
        self.assertNotIn(
            "customer_phone_clear",
            self.env["shouwen.matter"].with_user(self.sup_province).fields_get(),
        )

    def test_filtered_domain_is_no_oracle(self):
        for user in self.masked_users:
            matter = self._matter(user)
            with self.subTest(user=user.login):
                self.assertFalse(
                    matter.filtered_domain([("customer_phone", "=", PHONE)])
                )
                self.assertFalse(
                    matter.filtered_domain([("customer_phone", "like", "1234")])
                )
        self.assertEqual(
            self._matter(self.staff_a1).filtered_domain(
                [("customer_phone", "=", PHONE)]
            ),
            self._matter(self.staff_a1),
        )

    def test_representatives_phones_are_masked_and_not_searchable(self):
        Rep = self.env["shouwen.complaint.representative"]
        for user, phone, found in (
            (self.inspector, REP_PHONE_MASKED, False),
            (self.staff_b1, REP_PHONE_MASKED, False),
            (self.staff_a1, REP_PHONE, True),
            (self.sup_city_a, REP_PHONE, True),
        ):
            reps = self._matter(user).representative_ids
            with self.subTest(user=user.login):
                self.assertEqual(reps.mapped("phone"), [phone])
                self.assertEqual(reps.read(["phone"])[0]["phone"], phone)
                self.assertEqual(
                    bool(Rep.with_user(user).search([("phone", "=", REP_PHONE)])),
                    found,
                )
                with self.assertRaises(AccessError):
                    reps.mapped("phone_clear")

    def test_a_representative_changed_is_noted_and_makes_the_form_stale(self):
        matter = self._matter(self.staff_a1)
        version = matter.version
        notes = len(matter.message_ids)
        matter.representative_ids.write({"phone": "139 0000 1111"})
        self.assertEqual(matter.representative_ids.phone, "13900001111")
        self.assertGreater(matter.version, version)
        self.assertEqual(len(matter.message_ids), notes + 1)
        self.assertIn("139****1111", matter.message_ids[0].body)
        self.assertNotIn("13900001111", matter.message_ids[0].body)
        with self.assertRaises(AccessError):
            matter.with_user(self.inspector).representative_ids.write(
                {"phone": "13900002222"}
            )
        matter.representative_ids.unlink()
        self.assertFalse(matter.representative_ids)
        self.assertIn("Representative removed", matter.message_ids[0].body)

    def test_the_customers_contact_is_read_by_those_who_handle_the_matter(self):
        customer = self.env["res.partner"].create(
            {"name": "客户联系人", "phone": "13977778888", "email": "c@example.com"}
        )
        self.matter.partner_id = customer
        for user in self.masked_users:
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._matter(user).partner_id.phone  # noqa: B018
                with self.assertRaises(AccessError):
                    self._matter(user).mapped("partner_id.email")
                self.assertFalse(
                    self.env["res.partner"]
                    .with_user(user)
                    .search([("phone", "=", "13977778888")])
                )
                # the contact's name is still shown on the matter
                self.assertEqual(
                    self._matter(user).web_read(
                        {"partner_id": {"fields": {"display_name": {}}}}
                    )[0]["partner_id"]["display_name"],
                    "客户联系人",
                )
        for user in self.clear_users:
            with self.subTest(user=user.login):
                self.assertEqual(self._matter(user).partner_id.phone, "13977778888")
        # colleagues stay readable, customer or not
        self.assertTrue(self.staff_a1.partner_id.with_user(self.inspector).email)

    def test_a_replaced_customer_contact_stays_the_customers(self):
        """When the handler changes a matter's customer contact, the former
        contact does not become nobody's customer, open to all staff: its
        phone stays with those who may read the matter's customer data."""
        Partner = self.env["res.partner"]
        former, current = Partner.create(
            [
                {"name": "原联系人", "phone": "13966660001"},
                {"name": "新联系人", "phone": "13966660002"},
            ]
        )
        self.matter.partner_id = former
        # tracked from here (Odoo tracks a transaction's changes when it ends)
        self.env.cr.precommit.run()
        self._matter(self.staff_a1).write({"partner_id": current.id})
        self.assertEqual(self.matter.partner_id, current)
        self.assertEqual(self.matter.customer_partner_ids, former | current)
        # the change is in the matter's history: who, when, from which to which
        self.env.cr.precommit.run()
        tracked = self.matter.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "partner_id"
        )
        self.assertEqual(
            [(t.old_value_char, t.new_value_char) for t in tracked],
            [("原联系人", "新联系人")],
        )
        self.assertEqual(tracked.mail_message_id.author_id, self.staff_a1.partner_id)
        # a change refused keeps nothing
        stranger = Partner.create({"name": "他人", "phone": "13855550000"})
        with self.assertRaises(AccessError):
            self._matter(self.staff_b1).write({"partner_id": stranger.id})
        self.matter.invalidate_recordset()
        self.assertEqual(self.matter.partner_id, current)
        self.assertEqual(self.matter.customer_partner_ids, former | current)
        self.assertChecked(self.staff_b1, stranger, stranger)
        # changed back and away again: each contact it had, once
        self._matter(self.staff_a1).write({"partner_id": former.id})
        self._matter(self.staff_a1).write({"partner_id": current.id})
        self.assertEqual(self.matter.customer_partner_ids, former | current)
        self.assertReadByTheCustomersStaffOnly(former | current, former, "1396666")
        # the supervisors' rule reads the units of the matters it was replaced
        # on, as the superuser would and under the reader's own rules
        self.assertEqual(
            former.with_user(self.sup_a1).shouwen_customer_unit_ids,
            self.matter.unit_id,
        )
        # only the matter's own write keeps them: not the staff, not the form
        admin = self.env.ref("base.user_admin")
        for user in (self.staff_a1, admin):
            with self.assertRaises(UserError):
                self._matter(user).write({"customer_partner_ids": [Command.clear()]})
        self.assertEqual(self.matter.customer_partner_ids, former | current)
        # a contact given at registration is the customer's from the start
        registered = Partner.create({"name": "登记联系人", "phone": "13966660004"})
        self.register(self.staff_a2, subject="登记时的联系人", partner_id=registered.id)
        self.assertChecked(self.staff_a2, registered, registered)
        self.assertChecked(self.staff_b1, registered, Partner)
        # a contact that was never anyone's customer stays open to all staff
        nobody = Partner.create({"name": "散客", "phone": "13966660003"})
        self.assertChecked(self.staff_b1, nobody, nobody)

    def test_a_company_customers_people_are_the_customers(self):
        """When a company is a matter's customer, its people (the contacts
        under it, and theirs) hold that customer's personal data: they are
        read by those who may read the matter's customer data, not by every
        member of staff as contacts of nobody's."""
        Partner = self.env["res.partner"]
        company = Partner.create(
            {"name": "中原物流有限公司", "is_company": True, "phone": "037166660000"}
        )
        person, assistant = Partner.create(
            [
                {"name": "物流联系人", "parent_id": company.id, "phone": "13977770001"},
                {"name": "物流经办人", "parent_id": company.id, "phone": "13977770002"},
            ]
        )
        deputy = Partner.create(
            {"name": "经办人助理", "parent_id": assistant.id, "phone": "13977770003"}
        )
        people = company | person | assistant | deputy
        # before the company is anyone's customer its people are nobody's
        self.assertChecked(self.staff_b1, people, people)
        self._matter(self.staff_a1).write({"partner_id": company.id})
        self.assertReadByTheCustomersStaffOnly(people, deputy, "1397777")
        # the supervisors' rule reads the company's units for its people
        self.assertEqual(
            deputy.with_user(self.sup_a1).shouwen_customer_unit_ids,
            self.matter.unit_id,
        )
        self.assertFalse(
            deputy.with_user(self.sup_city_b).mapped("shouwen_customer_unit_ids")
        )
        # a person of another company stays open
        other = Partner.create({"name": "他司", "is_company": True})
        outsider = Partner.create({"name": "他司职员", "parent_id": other.id})
        self.assertChecked(self.staff_b1, other | outsider, other | outsider)

    def assertReadByTheCustomersStaffOnly(self, contacts, probe, phones):
        """``contacts`` (their phones starting with ``phones``) are read by
        the matter's handler and its supervisors, and by nobody else: not
        checked, not found by their phone, ``probe``'s phone not read."""
        Partner = self.env["res.partner"]
        for user in (*self.masked_users, self.sup_city_b):
            with self.subTest(user=user.login):
                self.assertChecked(user, contacts, Partner)
                self.assertFalse(
                    Partner.with_user(user).search([("phone", "=like", phones + "%")])
                )
                with self.assertRaises(AccessError):
                    probe.with_user(user).read(["phone"])
        for user in self.clear_users:
            with self.subTest(user=user.login):
                self.assertChecked(user, contacts, contacts)
                self.assertEqual(probe.with_user(user).phone, probe.sudo().phone)

    def assertChecked(self, user, contacts, expected):
        """Each of ``contacts`` is readable by ``user`` when checked on its
        own exactly when it is among ``expected``."""
        for contact in contacts:
            self.assertEqual(
                contact.with_user(user).has_access("read"),
                contact in expected,
                contact.name,
            )

    def test_the_staff_rule_on_contacts_is_the_domain_on_their_matters(self):
        """The staff's rule on contacts answers each contact from its own
        matters' indexes; it reads for every member of staff exactly the
        contacts the domain on the contact's matters gave: nobody's
        customer, their own, colleagues', and the customers of the matters
        they receive, are responsible for, handle, were guided or have a part
        of — in a search, in a check of the contacts at hand and in Python."""
        Partner = self.env["res.partner"]
        nobody, received, guided, parted, other = Partner.create(
            [{"name": f"联系人{index}"} for index in range(5)]
        )
        self.matter.partner_id = received
        elsewhere = self.register(self.staff_b1, subject="引导客户").sudo()
        elsewhere.partner_id = guided
        elsewhere.guide(self.staff_a2)
        parted_matter = self.register(self.staff_b1, subject="协办客户").sudo()
        parted_matter.partner_id = parted
        self.env["shouwen.matter.part"].create(
            {
                "matter_id": parted_matter.id,
                "name": "协办",
                "assignee_id": self.staff_city_a.id,
            }
        )
        self.register(self.sup_city_b, subject="他人客户").sudo().partner_id = other
        colleague = self.staff_a1b.partner_id
        (
            self.register(self.staff_b1, subject="同事亦客户").sudo()
        ).partner_id = colleague
        contacts = nobody | received | guided | parted | other | colleague

        def domain_on_matters(user):
            """The rule as it was written: a domain on the contact's matters."""
            return [
                "|",
                "|",
                "|",
                ("shouwen_matter_ids", "=", False),
                ("id", "=", user.partner_id.id),
                ("user_ids", "any", [("share", "=", False)]),
                (
                    "shouwen_matter_ids",
                    "any",
                    [
                        "|",
                        "|",
                        "|",
                        "|",
                        ("first_receiver_id", "=", user.id),
                        ("first_responsible_id", "=", user.id),
                        ("handler_id", "=", user.id),
                        ("guide_to_id", "=", user.id),
                        ("part_ids.assignee_id", "=", user.id),
                    ],
                ),
            ]

        staff = (
            self.staff_a1,
            self.staff_a1b,
            self.staff_a2,
            self.staff_b1,
            self.staff_city_a,
            self.inspector,
            self.outsider,
        )
        expected_open = {
            self.staff_a1: nobody | received | colleague,
            self.staff_a2: nobody | guided | colleague,
            self.staff_b1: nobody | guided | parted | colleague,
            self.staff_city_a: nobody | parted | colleague,
        }
        for user in staff:
            with self.subTest(user=user.login):
                expected = Partner.search(
                    [
                        ("id", "in", (contacts | user.partner_id).ids),
                        *domain_on_matters(user),
                    ]
                )
                mine = Partner.with_user(user)
                found = mine.search([("id", "in", (contacts | user.partner_id).ids)])
                if user in expected_open:
                    self.assertEqual(expected - user.partner_id, expected_open[user])
                self.assertEqual(found, expected.with_user(user))
                self.assertChecked(user, contacts, expected)
                self.assertEqual(
                    contacts.with_user(user).filtered_domain(
                        [("shouwen_contact_open", "=", True)]
                    ),
                    (contacts & expected).with_user(user),
                )
        with self.assertRaises(UserError):
            Partner.with_user(self.staff_a1).search([("shouwen_contact_open", "=", 1)])
        # the supervisors' rules: the customers of their units' matters, each
        # contact answered from its own matters, as the domain on them gave
        for user in (self.sup_a1, self.sup_a2, self.sup_city_a, self.sup_city_b):
            with self.subTest(user=user.login):
                rules = [domain_on_matters(user)]
                unit = user.shouwen_unit_id
                if user.has_group(
                    "shouwen_responsibility.group_shouwen_unit_supervisor"
                ):
                    rules.append([("shouwen_matter_ids.unit_id", "=", unit.id)])
                if user.has_group(
                    "shouwen_responsibility.group_shouwen_city_supervisor"
                ):
                    rules.append(
                        [
                            (
                                "shouwen_matter_ids.unit_id.parent_path",
                                "=like",
                                unit.parent_path + "%",
                            )
                        ]
                    )
                expected = Partner.search(
                    [("id", "in", contacts.ids), *expression.OR(rules)]
                )
                found = Partner.with_user(user).search([("id", "in", contacts.ids)])
                self.assertEqual(found, expected.with_user(user))
                self.assertChecked(user, contacts, expected)
        # the city supervisor of A reads the customer of a matter of their
        # county A1 and not that of city B's matter; city B's the reverse
        self.assertTrue(received.with_user(self.sup_city_a).has_access("read"))
        self.assertFalse(other.with_user(self.sup_city_a).has_access("read"))
        self.assertTrue(other.with_user(self.sup_city_b).has_access("read"))
        self.assertEqual(
            other.sudo().shouwen_customer_unit_ids,
            self.env["shouwen.matter"].search([("partner_id", "=", other.id)]).unit_id,
        )
        # reached over RPC by ``mapped`` (no check of the contact), the units
        # are those of the matters the caller may read: none for city A's
        # supervisor on city B's customer, even after the superuser read them
        self.assertTrue(other.shouwen_customer_unit_ids)
        self.assertFalse(
            other.with_user(self.sup_city_a).mapped("shouwen_customer_unit_ids")
        )
        self.assertFalse(
            other.with_user(self.staff_a1).filtered_domain(
                [("shouwen_customer_unit_ids", "!=", False)]
            )
        )
        self.assertEqual(
            other.with_user(self.sup_city_b).mapped("shouwen_customer_unit_ids"),
            other.shouwen_customer_unit_ids.with_user(self.sup_city_b),
        )
        with self.assertRaises(UserError):
            Partner.search([("shouwen_customer_unit_ids", "in", "A1")])


@tagged("post_install", "-at_install")
class TestPersonalDataViews(ShouwenCase):
    """查询留痕: who was shown which clear value, when and how."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the views are written after the read, by a transaction of their
        # own: in tests, a cursor on the test's transaction
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.matter = cls.register(cls.staff_a1, subject="查询留痕").sudo()
        cls.View = cls.env["shouwen.personal.view"]

    def _views(self, user=None):
        self.env.cr.postcommit.run()
        domain = [("matter_id", "=", self.matter.id)]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.View.sudo().search(domain)

    def test_a_clear_view_is_recorded_once_a_masked_one_never(self):
        self.matter.with_user(self.sup_a1).read(
            ["customer_phone", "customer_id_number"]
        )
        self.matter.with_user(self.inspector).read(
            ["customer_phone", "customer_id_number"]
        )
        views = self._views()
        self.assertEqual(views.user_id, self.sup_a1)
        self.assertEqual(
            sorted(views.mapped("field")), ["customer_id_number", "customer_phone"]
        )
        self.assertEqual(set(views.mapped("channel")), {"other"})
        # the phone read twice in a new transaction: one view, and none of
        # the ID number, which was not read
        matter = self.matter.with_user(self.sup_a1)
        matter.read(["customer_phone"])
        matter.invalidate_recordset()
        matter.read(["customer_phone"])
        views = self._views(self.sup_a1)
        self.assertEqual(
            sorted(views.mapped("field")),
            ["customer_id_number", "customer_phone", "customer_phone"],
        )
        # the system reading for itself is nobody viewing
        self.matter.invalidate_recordset()
        self.matter.read(["customer_phone"])
        self.assertEqual(len(self._views()), 3)

    def test_nothing_is_recorded_before_the_read_ends(self):
        """The read itself writes nothing: the views wait for the end of its
        transaction, and a read that fails records nothing."""
        self.matter.with_user(self.sup_a1).read(["customer_phone"])
        self.assertFalse(self.View.sudo().search([("matter_id", "=", self.matter.id)]))
        self.env.cr.postcommit.clear()
        self.assertFalse(self._views())

    def test_a_read_on_a_read_only_transaction_works_and_is_recorded(self):
        """Odoo 18 serves reads on a read-only cursor (or a replica): the
        clear value is shown — nothing is written in the read's transaction,
        which would fail — and its view is recorded afterwards in a
        transaction of its own."""
        self.env.flush_all()
        savepoint = Savepoint(self.env.cr)
        try:
            self.env.cr.execute("SET TRANSACTION READ ONLY")
            matter = self.matter.with_user(self.sup_a1)
            values = matter.read(["customer_phone", "customer_id_number"])
            self.assertEqual(values[0]["customer_phone"], PHONE)
            self.assertEqual(
                matter.web_read({"customer_id_number": {}})[0]["customer_id_number"],
                ID_NUMBER,
            )
            self.env.flush_all()
        finally:
            savepoint.close(rollback=True)
        self.assertEqual(
            sorted(self._views(self.sup_a1).mapped("field")),
            ["customer_id_number", "customer_phone"],
        )

    def test_the_record_is_append_only(self):
        self.matter.with_user(self.sup_a1).read(["customer_phone"])
        view = self._views()
        for user in (self.sup_province, self.inspector, self.manager):
            with self.subTest(user=user.login):
                record = view.with_user(user)
                self.assertEqual(
                    record.read(["user_id"])[0]["user_id"][0], self.sup_a1.id
                )
                with self.assertRaises(UserError):
                    record.write({"user_id": user.id})
                with self.assertRaises(UserError):
                    record.unlink()
                with self.assertRaises(UserError):
                    self.View.with_user(user).create(
                        {
                            "user_id": user.id,
                            "matter_id": self.matter.id,
                            "field": "customer_phone",
                            "channel": "web",
                            "date": "2026-01-01 00:00:00",
                        }
                    )
        self.assertEqual(view.user_id, self.sup_a1)

    def test_supervisors_in_scope_and_inspectors_read_the_record_staff_do_not(self):
        self.matter.with_user(self.sup_a1).read(["customer_phone"])
        self.matter.with_user(self.staff_a1).read(["customer_phone"])
        self._views()
        for user, count in (
            (self.sup_a1, 2),
            (self.sup_city_a, 2),
            (self.sup_province, 2),
            (self.inspector, 2),
            (self.sup_a2, 0),
            (self.sup_city_b, 0),
        ):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self.View.with_user(user).search_count(
                        [("matter_id", "=", self.matter.id)]
                    ),
                    count,
                )
        for user in (self.staff_a1, self.staff_b1):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.View.with_user(user).search([])
        # on the matter: the supervisors' tab, not the staff's
        self.assertEqual(len(self.matter.with_user(self.sup_a1).personal_view_ids), 2)
        with self.assertRaises(AccessError):
            self.matter.with_user(self.staff_a1).read(["personal_view_ids"])


@tagged("post_install", "-at_install")
class TestWhatACustomerAndARegistrarLearn(ShouwenCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = new_test_user(
            cls.env, login="sw_portal_pd", groups="base.group_portal", name="客户"
        )
        cls.matter = cls.register(
            cls.staff_a1, subject="客户的事项", partner_id=cls.customer.partner_id.id
        ).sudo()

    def test_a_customer_reads_no_internal_message_of_their_matter_by_its_id(self):
        matter = self.matter.with_user(self.sup_a1)
        # an urging as the addon writes its notes, a note, an activity's
        # feedback, and what was sent to the customer
        matter._log_notes([(matter, Markup("<p>先拖着，不要告诉他原因</p>"), False)])
        note = matter.message_post(body="内部备注", subtype_xmlid="mail.mt_note")
        activity = matter.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.sup_a1.id, summary="催办"
        )
        activity.action_feedback(feedback="已催办")
        sent = matter.message_post(
            body="您的事项正在办理",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        messages = self.env["mail.message"].search(
            [("model", "=", "shouwen.matter"), ("res_id", "=", self.matter.id)]
        )
        internal = messages - sent
        self.assertGreaterEqual(len(internal), 3)
        self.assertIn(note, internal)
        as_customer = self.env["mail.message"].with_user(self.customer)
        for message in internal:
            with self.subTest(body=message.body), self.assertRaises(AccessError):
                as_customer.browse(message.id).read(["body"])
        self.assertEqual(as_customer.browse(sent.id).read(["body"])[0]["id"], sent.id)
        self.assertEqual(
            as_customer.search(
                [("res_id", "=", self.matter.id), ("model", "=", "shouwen.matter")]
            ),
            as_customer.browse(sent.id),
        )
        # staff read them all
        self.assertEqual(
            len(internal.with_user(self.sup_a1).read(["body"])), len(internal)
        )

    def test_a_repeat_complaint_names_only_the_earlier_ones_the_registrar_reads(self):
        complaint = {"kind": "complaint", "business_domain": "complaint"}
        theirs = self.register(
            self.staff_b1,
            subject="乙市的投诉",
            customer_phone="17722220001",
            **complaint,
        )
        mine = self.register(
            self.staff_a1,
            subject="甲一的投诉",
            customer_phone="17722220001",
            **complaint,
        )
        probe = self.register(
            self.staff_a1, subject="探测", customer_phone="17722220001", **complaint
        )
        note = probe.sudo().message_ids.filtered(lambda m: "Repeat" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn(mine.name, note.body)
        self.assertNotIn(theirs.sudo().name, note.body)
        self.assertIn("1 other earlier complaints", note.body)
        # the link is kept; each reads the earlier complaints they may
        self.assertEqual(probe.sudo().repeat_of_ids, theirs.sudo() | mine.sudo())
        self.env.invalidate_all()
        self.assertEqual(probe.read(["repeat_of_ids"])[0]["repeat_of_ids"], mine.ids)
        self.env.invalidate_all()
        self.assertEqual(
            sorted(
                probe.with_user(self.sup_province).read(["repeat_of_ids"])[0][
                    "repeat_of_ids"
                ]
            ),
            sorted((theirs | mine).ids),
        )
