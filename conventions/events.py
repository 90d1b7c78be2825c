"""The events of a convention's life, told to its parties' webhooks (config.core.events)."""

from config.core.events import publish


def announce(convention, kind: str, **data) -> None:
    """``kind``: "convention.signed", "convention.renewed" or "convention.terminated"."""
    publish(
        kind,
        concerned=convention.concerned_organisation_ids,
        data={"convention": convention.reference, **data},
    )
