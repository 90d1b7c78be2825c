"""A real SMTP server on loopback for the tests of the e-mails: Django's SMTP backend
talks to it over a socket, as it talks to the relay in production."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class Mailbox:
    """What the server received, as parsed messages."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        # Messages to turn away with a temporary error before accepting any (a relay
        # that is busy), and how many were.
        self.busy_for = 0
        self.turned_away = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.turned_away < self.busy_for:
            self.turned_away += 1
            return "451 4.3.2 Service temporairement indisponible"
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def bodies_to(self, address: str) -> list[str]:
        return [
            message.get_body(preferencelist=("plain",)).get_content()
            for message in self.messages
            if address in message["To"]
        ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_mailbox(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    try:
        yield mailbox
    finally:
        controller.stop()
