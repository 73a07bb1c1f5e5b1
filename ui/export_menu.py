"""The export menus: one entry per document kind of :mod:`exporters.registry`.

:func:`fill_menu` adds the entries to a menu and :func:`start` is what an entry does. It
lives apart from :mod:`ui.export` because two kinds open windows of their own (the news
editor, the certificates window), and those windows export through :mod:`ui.export`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QMenu, QWidget

from exporters import registry
from ui.context import AppContext
from ui.export import PeriodDialog, choose_report_for_letter, export_options


def start(parent: QWidget | None, ctx: AppContext, kind: str, *,
          activity_id: str | None = None) -> Any:
    """What the menu entry of ``kind`` does: ask for what the kind needs (a period, a
    report to enclose), then export. The news report opens its text editor first and
    the certificates their own window (the people, the design, a preview)."""
    from ui.forms.form_base import run_modal

    declared = registry.get(kind)
    if kind == "news":
        from ui.forms.news_editor import NewsEditorDialog

        return run_modal(NewsEditorDialog(ctx, activity_id, parent)) if activity_id else None
    if kind == "certificates":
        from ui.certificates.dialog import CertificatesDialog

        return (run_modal(CertificatesDialog(ctx, activity_id, parent))
                if activity_id else None)
    if registry.REPORT in declared.needs:
        return choose_report_for_letter(parent, ctx)
    values: dict[str, Any] = {}
    if registry.ACTIVITY in declared.needs:
        if not activity_id:
            return None
        values["activity_id"] = activity_id
    if registry.PERIOD in declared.needs:
        dialog = PeriodDialog(ctx, parent, kind=kind)
        period = dialog.period() if run_modal(dialog) else None
        if not period:
            return None
        values.update(date_from=period[0], date_to=period[1], **dialog.options())
    return export_options(parent, ctx, kind, registry.make_options(kind, **values))


def fill_menu(menu: QMenu, parent: QWidget, ctx: AppContext,
              current_activity: Callable[[], str | None]) -> list[Any]:
    """Add an entry for every kind of the registry to ``menu``: first the kinds of one
    activity (of ``current_activity()``), then, after a separator, the others. Returns
    the activity entries (to be enabled while an activity is chosen)."""
    activity_kinds = registry.kinds_needing(registry.ACTIVITY)
    others = [k for k in registry.general_menu_kinds() if k not in activity_kinds]
    entries = []
    for group in (activity_kinds, others):
        if entries and group:
            menu.addSeparator()
        for declared in group:
            action = menu.addAction(declared.menu)
            action.setObjectName(f"export_{declared.key}")
            action.triggered.connect(
                lambda _c=False, k=declared.key: start(parent, ctx, k,
                                                       activity_id=current_activity()))
            entries.append(action)
    return entries[:len(activity_kinds)]
