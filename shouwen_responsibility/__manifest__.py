# Copyright 2026 shouwen_responsibility contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "首问责任制 First-Inquiry Responsibility",
    "summary": "First-inquiry responsibility (首问责任制) for insurers: "
    "the first staff member reached owns the matter until it is closed",
    "version": "18.0.1.0.0",
    "category": "Services",
    "license": "LGPL-3",
    "author": "shouwen_responsibility contributors",
    "website": "https://github.com/shouwen-responsibility/shouwen_responsibility",
    "depends": ["mail", "resource", "base_automation", "base_tier_validation"],
    "external_dependencies": {"python": ["chinese_calendar"]},
    "data": [
        "security/shouwen_responsibility_security.xml",
        "security/ir.model.access.csv",
        "security/shouwen_finding_security.xml",
        "security/shouwen_finding_access.xml",
        "data/mail_activity_type_data.xml",
        "data/resource_calendar_data.xml",
        "data/shouwen_time_policy_data.xml",
        "data/mail_template_data.xml",
        "data/base_automation_data.xml",
        "data/tier_definition_data.xml",
        "data/shouwen_finding_data.xml",
        "wizards/shouwen_matter_wizard_views.xml",
        "views/shouwen_unit_views.xml",
        "views/shouwen_post_views.xml",
        "views/shouwen_matter_views.xml",
        "views/shouwen_matter_part_views.xml",
        "views/shouwen_matter_log_views.xml",
        "views/res_users_views.xml",
        "views/shouwen_time_policy_views.xml",
        "views/shouwen_notice_template_views.xml",
        "views/shouwen_menus.xml",
        "views/shouwen_finding_views.xml",
    ],
    "demo": [
        "demo/shouwen_unit_demo.xml",
        "demo/res_users_demo.xml",
        "demo/shouwen_matter_demo.xml",
        "demo/shouwen_notice_template_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "shouwen_responsibility/static/src/js/*.esm.js",
        ],
        "web.assets_tests": [
            "shouwen_responsibility/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
