# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The matter is written in layers (README, Layout): each file that extends
``shouwen.matter`` calls only what is defined in itself, in a file loaded
before it (``models/__init__.py``'s order) or in the models it inherits
(mail.thread, the mixins), and reads no field that a later file adds.  A
later layer takes part in an earlier one's step through a hook: a method
declared (and documented) in the earlier file, overridden in the later
one."""

import ast
import re
from pathlib import Path

from odoo.tests import TransactionCase, tagged

MODELS = Path(__file__).resolve().parent.parent / "models"
PACKAGE = "odoo.addons.shouwen_responsibility.models."


def _extends_matter(cls):
    for node in cls.body:
        if not isinstance(node, ast.Assign):
            continue
        names = {t.id for t in node.targets if isinstance(t, ast.Name)}
        if not names & {"_name", "_inherit"}:
            continue
        value = ast.literal_eval(node.value)
        if value == "shouwen.matter" or (
            isinstance(value, list) and "shouwen.matter" in value
        ):
            return True
    return False


def matter_layers():
    """``[(module name, class node), …]`` of the files extending the matter,
    in load order."""
    order = re.findall(
        r"^from \. import (\w+)$",
        (MODELS / "__init__.py").read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    layers = []
    for name in order:
        tree = ast.parse((MODELS / f"{name}.py").read_text(encoding="utf-8"))
        layers += [
            (name, node)
            for node in tree.body
            if isinstance(node, ast.ClassDef) and _extends_matter(node)
        ]
    return layers


@tagged("post_install", "-at_install")
class TestLayers(TransactionCase):
    def _first_definitions(self, layers):
        """``{method: index of the layer that first defines it}``; methods
        the matter inherits from elsewhere (mail.thread, the mixins, Odoo's
        models) are not in it."""
        index = {name: i for i, (name, _cls) in enumerate(layers)}
        first = {}
        for klass in reversed(type(self.env["shouwen.matter"]).__mro__):
            module = klass.__module__.removeprefix(PACKAGE)
            for attr, value in vars(klass).items():
                if attr in first or not callable(value):
                    continue
                first[attr] = index.get(module, -1)
        return {attr: i for attr, i in first.items() if i >= 0}

    def test_no_layer_reads_a_field_of_a_later_layer(self):
        layers = matter_layers()
        first = {}
        for i, (_name, cls) in enumerate(layers):
            for node in cls.body:
                if (
                    isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Call)
                    and isinstance(node.value.func, ast.Attribute)
                    and getattr(node.value.func.value, "id", None) == "fields"
                ):
                    for target in node.targets:
                        first.setdefault(target.id, i)
        self.assertIn("closure_deadline", first)
        upward = [
            f"{name}.py:{node.lineno} reads {node.attr}, "
            f"a field of {layers[first[node.attr]][0]}.py"
            for i, (name, cls) in enumerate(layers)
            for node in ast.walk(cls)
            if isinstance(node, ast.Attribute) and first.get(node.attr, -1) > i
        ]
        self.assertFalse(upward, "\n".join(upward))

    def test_no_layer_calls_a_later_layer(self):
        layers = matter_layers()
        self.assertGreater(len(layers), 5, "the matter's files were not found")
        first = self._first_definitions(layers)
        self.assertIn("_transition", first)
        upward = []
        for i, (name, cls) in enumerate(layers):
            for node in ast.walk(cls):
                if not (
                    isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                ):
                    continue
                later = first.get(node.func.attr, -1)
                if later > i:
                    upward.append(
                        f"{name}.py:{node.lineno} calls {node.func.attr}, "
                        f"defined later in {layers[later][0]}.py"
                    )
        self.assertFalse(upward, "\n".join(upward))
