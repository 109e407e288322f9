"""Guards read from the code itself (issue 8): every ``sudo()`` says why it
cannot widen what the user sees, and nobody is given the right to delete a
matter, its log, its handovers or the findings."""

import ast
import csv
import re
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "shouwen_responsibility"

#: how far above a ``sudo()`` its comment may stand (a statement over lines)
WINDOW = 6

#: records that are never deleted by anybody but the system
NEVER_DELETED = {
    "model_shouwen_matter",
    "model_shouwen_matter_log",
    "model_shouwen_finding",
    "model_shouwen_handover",
    "model_shouwen_followup",
    "model_shouwen_extension",
}


def _sources():
    for path in sorted(ADDON.rglob("*.py")):
        if "tests" not in path.relative_to(ADDON).parts:
            yield path


def test_every_sudo_says_why_it_cannot_widen_what_the_user_sees():
    missing = []
    count = 0
    for path in _sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            if not re.search(r"\.sudo\(|\bsudo\(\)", line.split("#")[0]):
                continue
            count += 1
            above = lines[max(0, index - WINDOW) : index + 1]
            if not any("#" in text for text in above):
                missing.append(f"{path.relative_to(ADDON)}:{index + 1}: {line.strip()}")
    assert count > 50, "the scan found no sudo(): is the addon where it should be?"
    assert not missing, "sudo() without a comment saying why:\n" + "\n".join(missing)


def test_no_group_may_delete_matters_logs_handovers_or_findings():
    with (ADDON / "security" / "ir.model.access.csv").open(encoding="utf-8") as rows:
        granted = [
            row["id"]
            for row in csv.DictReader(rows)
            if row["model_id:id"] in NEVER_DELETED and row["perm_unlink"] == "1"
        ]
    xml = "".join(
        path.read_text(encoding="utf-8") for path in (ADDON / "security").glob("*.xml")
    )
    unlink_in_xml = re.findall(
        r'model_id" ref="(model_shouwen_\w+)"[^<]*(?:<[^>]*>[^<]*){0,4}'
        r'<field name="perm_unlink" eval="(?:True|1)"',
        xml,
    )
    assert not granted, f"unlink granted by {granted}"
    assert not [m for m in unlink_in_xml if m in NEVER_DELETED]


def test_every_test_module_of_the_addon_is_imported_for_odoo_bin():
    """``odoo-bin --test-enable`` (how OCA's CI runs the tests) runs only the
    modules that ``tests/__init__.py`` imports."""
    tests = ADDON / "tests"
    imported = set(
        re.findall(
            r"^from \. import (test_\w+)$",
            (tests / "__init__.py").read_text(encoding="utf-8"),
            re.MULTILINE,
        )
    )
    present = {path.stem for path in tests.glob("test_*.py")}
    assert present, "no test module found: is the addon where it should be?"
    assert not present - imported, f"not imported: {sorted(present - imported)}"


def test_no_context_variable_outside_the_ambient_module():
    """The ambient state (security flags no client can set, batches) is
    declared in one module, ``tools/ambient.py``: nowhere else does the addon
    create a ``ContextVar``."""
    found = []
    for path in _sources():
        if path == ADDON / "tools" / "ambient.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and (
                getattr(node.func, "id", None) == "ContextVar"
                or getattr(node.func, "attr", None) == "ContextVar"
            ):
                found.append(f"{path.relative_to(ADDON)}:{node.lineno}")
    assert not found, "ContextVar outside tools/ambient.py: " + ", ".join(found)
    assert "ContextVar(" in (ADDON / "tools" / "ambient.py").read_text("utf-8")


def test_the_thresholds_data_carry_the_defaults_of_the_code():
    """The thresholds' defaults are written once, in ``tools/thresholds.py``;
    the parameters the data file creates at install carry the same values."""
    tree = ast.parse((ADDON / "tools" / "thresholds.py").read_text("utf-8"))
    defaults = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and getattr(node.targets[0], "id", None) == "DEFAULTS"
    )
    xml = (ADDON / "data" / "ir_config_parameter_data.xml").read_text("utf-8")
    records = re.findall(
        r'<field name="key">shouwen_responsibility\.(\w+)</field>\s*'
        r'<field name="value">([^<]*)</field>',
        xml,
    )
    assert records, "no threshold found in ir_config_parameter_data.xml"
    assert {name: int(value) for name, value in records} == {
        name: defaults[name] for name, _value in records
    }
