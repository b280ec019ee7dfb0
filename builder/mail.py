"""E-mail: the clinic's mail server settings, the message that carries a handout, sending it.

The message says only that a handout is attached: no name, no condition, no handout title,
since e-mail bodies and subjects are stored unencrypted in mailboxes along the way.
"""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

from .errors import display_path
from .fields import Field
from .labels import Labels
from .model import Brand
from .schema import INVALID, Checker
from .source import Source, load

SETTINGS_FILE = "email.yaml"
ENV_PREFIX = "HANDOUT_SMTP_"
SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
TIMEOUT = 30  # seconds to wait for the mail server
ATTACHMENT_NAME = "handout.pdf"  # never the patient's name or the condition
_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


class MailError(Exception):
    """The message could not be sent; the text says why and what to check."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str
    user: str | None = None
    sender: str | None = None
    password: str | None = None
    cafile: Path | None = None  # a clinic's own certificate authority, if it has one

    def __repr__(self) -> str:  # the password never appears in a log line
        return f"MailSettings({self.host}:{self.port}, {self.security}, user={self.user!r})"


def _settings_spec() -> Field:
    return Field("map", "How to reach the clinic's mail server.", fields={
        "host": Field("line", "The mail server's name, e.g. smtp.example.org.", True),
        "port": Field("line", "Its port: 587 (STARTTLS), 465 (SSL) or 25."),
        "security": Field("choice", "starttls, ssl or none (none only for this computer).",
                          choices=SECURITY),
        "user": Field("line", "The account to log in with; its password comes from the "
                              "environment variable HANDOUT_SMTP_PASSWORD."),
        "from": Field("email", "The sender's address; default: the brand's e-mail."),
        "cafile": Field("path", "A certificate file for a server with its own certificate."),
    })


def load_settings(root: Path, env: Mapping[str, str] | None = None
                  ) -> tuple[MailSettings | None, list[str]]:
    """Settings from <root>/email.yaml, each overridden by HANDOUT_SMTP_<NAME> in the
    environment; the password only from HANDOUT_SMTP_PASSWORD. Problems come back as lines
    that name where the value was set: `email.yaml:3:7: port: …` or `HANDOUT_SMTP_PORT: …`."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    source: Source | None = None
    path = root / SETTINGS_FILE
    if path.is_file():
        source, problems = load(path)
        if source is not None and not problems:
            checker = Checker(source, root)
            data = checker.check(source.data, _settings_spec())
            problems = checker.problems
            if isinstance(data, dict):
                values = {k: v for k, v in data.items() if v is not INVALID}
        if problems:
            return None, [str(p) for p in problems]
    from_env: set[str] = set()
    for key in ("host", "port", "security", "user", "from", "cafile"):
        if env.get(ENV_PREFIX + key.upper()):
            values[key] = env[ENV_PREFIX + key.upper()]
            from_env.add(key)

    def wrong(key: str, message: str) -> tuple[None, list[str]]:
        if key in from_env:
            return None, [f"{ENV_PREFIX}{key.upper()}: {message}"]
        if source is not None and key in values:
            return None, [str(source.problem((key,), message))]
        return None, [f"{display_path(path)}: {key}: {message}"]

    if not values.get("host"):
        return wrong("host", f"no mail server: set 'host' in {SETTINGS_FILE} or "
                             f"{ENV_PREFIX}HOST")
    security = str(values.get("security") or "starttls")
    if security not in SECURITY:
        return wrong("security", f"'{security}' is not one of {', '.join(SECURITY)}")
    port_text = str(values.get("port") or DEFAULT_PORTS[security])
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return wrong("port", f"'{port_text}' is not a port number")
    host = str(values["host"])
    if security == "none" and not _is_loopback(host):
        return wrong("security", "'none' would send health data across the network "
                                 "unprotected; it is allowed only for a mail server on this "
                                 "computer (localhost). Use starttls or ssl")
    sender = values.get("from")
    if sender is not None and not _ADDRESS.match(str(sender)):
        return wrong("from", f"'{sender}' is not an e-mail address")
    cafile = values.get("cafile")
    return MailSettings(
        host=host, port=int(port_text), security=security,
        user=str(values["user"]) if values.get("user") else None,
        sender=str(sender) if sender else None,
        password=env.get(ENV_PREFIX + "PASSWORD") or None,
        cafile=Path(str(cafile)) if cafile else None,
    ), []


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def valid_address(address: str) -> bool:
    return bool(_ADDRESS.match(address))


def compose(*, to: list[str], brand: Brand, brand_name: str, labels: Labels, pdf: bytes,
            sender: str | None, protected: bool, date: float | None = None) -> EmailMessage:
    """The message: a short text in the handout's language and the PDF attached."""
    from_address = sender or brand.email
    if not from_address:
        raise MailError(f"no sender address: give 'from' in {SETTINGS_FILE} (or "
                        f"{ENV_PREFIX}FROM), or an e-mail address in the brand")
    message = EmailMessage()
    message["From"] = formataddr((brand_name, from_address))
    message["To"] = ", ".join(to)
    if brand.email and brand.email != from_address:
        message["Reply-To"] = formataddr((brand_name, brand.email))
    message["Subject"] = labels.text("email_subject", brand=brand_name)
    message["Date"] = formatdate(date, localtime=date is None)
    message["Message-ID"] = make_msgid(domain=from_address.rsplit("@", 1)[-1])
    contact = labels.text("email_contact", phone=brand.phone) if brand.phone else \
        labels.text("email_contact_no_phone")
    lines = [labels.text("email_greeting"), "", labels.text("email_body", brand=brand_name)]
    if protected:
        lines += ["", labels.text("email_password")]
    lines += ["", contact, "", brand_name]
    message.set_content("\n".join(lines) + "\n", charset="utf-8")
    message["Content-Language"] = labels.lang  # (moves with the text when the PDF is added)
    message.add_attachment(pdf, maintype="application", subtype="pdf",
                           filename=ATTACHMENT_NAME)
    return message


def send(message: EmailMessage, settings: MailSettings) -> None:
    """Hand the message to the mail server; MailError says what went wrong."""
    where = f"{settings.host}:{settings.port}"
    context = ssl.create_default_context(cafile=str(settings.cafile) if settings.cafile
                                         else None)
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port,
                                                    timeout=TIMEOUT, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
        with client:
            client.ehlo()
            if settings.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if settings.user:
                _login(client, settings, where)
            client.send_message(message)
    except MailError:
        raise
    except smtplib.SMTPNotSupportedError:
        raise MailError(f"{where} does not offer STARTTLS; use security: ssl, or ask the "
                        "mail provider for the right port") from None
    except smtplib.SMTPRecipientsRefused:
        raise MailError(f"{where} refused the recipient address") from None
    except smtplib.SMTPException as exc:
        raise MailError(f"{where} did not accept the message: {type(exc).__name__}") from None
    except ssl.SSLError as exc:
        raise MailError(f"the secure connection to {where} failed ({exc.reason}); check "
                        "security and port, or cafile for a server with its own "
                        "certificate") from None
    except TimeoutError:
        raise MailError(f"{where} did not answer within {TIMEOUT} s") from None
    except OSError as exc:
        raise MailError(f"cannot reach {where}: {exc.strerror or exc}") from None


def _login(client: smtplib.SMTP, settings: MailSettings, where: str) -> None:
    if not settings.password:
        raise MailError(f"the mail server account {settings.user} needs a password: set "
                        f"{ENV_PREFIX}PASSWORD")
    try:
        client.login(settings.user or "", settings.password)
    except smtplib.SMTPNotSupportedError:
        raise MailError(f"{where} does not offer a login; leave out user") from None
    except smtplib.SMTPException:
        # A server may also hang up after a refused login: either way the login failed.
        raise MailError(f"{where} refused the user name or password") from None
