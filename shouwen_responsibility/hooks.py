# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).


def uninstall_hook(env):
    """The trigger function of the append-only tables goes with the addon
    (its triggers with it: the tables themselves are dropped next)."""
    env.cr.execute("DROP FUNCTION IF EXISTS shouwen_append_only_guard() CASCADE")
