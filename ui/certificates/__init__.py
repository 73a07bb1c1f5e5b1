"""Certificates of participation in the app: the window that makes an activity's
certificates (:class:`~ui.certificates.dialog.CertificatesDialog`), with its attendee
chooser and style editor."""

from __future__ import annotations

__all__ = ["CertificatesDialog"]


def __getattr__(name: str):
    # Imported on first use: the dialog pulls in the printing and painting modules, which
    # the activities page should not pay for at start-up.
    if name == "CertificatesDialog":
        from ui.certificates.dialog import CertificatesDialog

        return CertificatesDialog
    raise AttributeError(name)
