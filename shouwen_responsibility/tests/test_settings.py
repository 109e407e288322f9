# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The thresholds: one accessor with the defaults of ``tools/thresholds.py``,
edited in Settings by its administrators and in the addon's *Thresholds*
list by the 配置管理 administrator, who has no Settings rights."""

import doctest

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..tools import thresholds
from .common import ShouwenCase


@tagged("post_install", "-at_install")
class TestSettings(ShouwenCase):
    def test_thresholds_doctests(self):
        result = doctest.testmod(thresholds)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_a_threshold_not_set_has_its_default(self):
        Params = self.env["ir.config_parameter"].sudo()
        Params.search([("key", "=", thresholds.key("repeat_window_days"))]).unlink()
        self.assertEqual(Params._shouwen_threshold("repeat_window_days"), 90)
        Params.set_param(thresholds.key("repeat_window_days"), "30")
        self.assertEqual(Params._shouwen_threshold("repeat_window_days"), 30)

    def test_settings_show_and_keep_every_threshold_even_zero(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.shouwen_urge_days, thresholds.DEFAULTS["urge_days"])
        settings.shouwen_supervise_repeat_complaints = 0
        settings.shouwen_callback_attempts = 5
        settings.execute()
        Params = self.env["ir.config_parameter"]
        # 0 switches the supervision off: it is kept, not turned into "unset"
        self.assertEqual(Params._shouwen_threshold("supervise_repeat_complaints"), 0)
        self.assertEqual(Params._shouwen_threshold("callback_attempts"), 5)
        again = self.env["res.config.settings"].create({})
        self.assertEqual(again.shouwen_supervise_repeat_complaints, 0)

    def test_the_addon_administrator_uses_the_thresholds_list_not_settings(self):
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.manager).create(
                {"shouwen_urge_days": 4}
            ).execute()
        param = (
            self.env["ir.config_parameter"]
            .with_user(self.manager)
            .search([("key", "=", thresholds.key("urge_days"))])
        )
        param.value = "4"
        self.assertEqual(
            self.env["ir.config_parameter"]._shouwen_threshold("urge_days"), 4
        )
