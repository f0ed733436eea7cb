"""Migrations are linear per app (one leaf each) and none is auto-named (Zulip's rule)."""

from django.db.migrations.loader import MigrationLoader


def test_one_leaf_per_app_and_descriptive_names():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves: dict[str, list[str]] = {}
    for app, name in loader.graph.leaf_nodes():
        leaves.setdefault(app, []).append(name)
    branched = {app: names for app, names in leaves.items() if len(names) > 1}
    assert branched == {}
    ours = [key for key in loader.disk_migrations if loader.disk_migrations[key].__module__.startswith("egov.")]
    auto_named = [f"{app}.{name}" for app, name in ours if "_auto_" in name]
    assert auto_named == []
