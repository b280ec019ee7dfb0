"""`handout email`: a real SMTP server on 127.0.0.1 receives the message; the test reads it."""

from __future__ import annotations

import email
import email.policy
import io
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pypdf
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.conftest import fold, invoke, write
from tests.test_personal import HANAKO


@dataclass
class Inbox:
    """What the server received: one (envelope recipients, message) per e-mail."""

    port: int
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and \
        (auth_data.login, auth_data.password) == (b"desk", b"mail-secret")
    return AuthResult(success=ok)


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """An SMTP server on 127.0.0.1 that wants a login, and settings pointing at it."""
    box = Inbox(_free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port,
                            authenticator=_authenticate, auth_require_tls=False)
    controller.start()
    monkeypatch.setenv("HANDOUT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HANDOUT_SMTP_PORT", str(box.port))
    monkeypatch.setenv("HANDOUT_SMTP_SECURITY", "none")
    monkeypatch.setenv("HANDOUT_SMTP_USER", "desk")
    monkeypatch.setenv("HANDOUT_SMTP_PASSWORD", "mail-secret")
    try:
        yield box
    finally:
        controller.stop()


def _attachment(message: EmailMessage) -> tuple[str, bytes]:
    (part,) = list(message.iter_attachments())
    return part.get_filename(), part.get_content()


def test_encrypted_japanese_copy_arrives(tmp_path, runner, monkeypatch, inbox):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "hanako.yaml", HANAKO)
    monkeypatch.setenv("PDF_PASSWORD", "sakura-2026")
    result = invoke(runner, "email", "acupuncture-session", "--to", "hanako@example.jp",
                    "-l", "ja", "-b", "hinode-tokyo", "--patient", "hanako.yaml",
                    "--password-env", "PDF_PASSWORD")
    assert result.exit_code == 0, result.output
    assert "山田" not in result.output and "hanako@" not in result.output
    (recipients, message), = inbox.received
    assert recipients == ["hanako@example.jp"]
    assert message["Subject"] == "ひので鍼灸院からの資料"
    assert message["From"] == "ひので鍼灸院 <info@hinode-clinic.example.org>"
    assert message.get_body(("plain",))["Content-Language"] == "ja"
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("こんにちは。")
    assert "パスワードで保護されています" in body
    # Neither the patient, nor the condition, nor the handout's title is in the clear.
    for secret in ("山田", "花子", "鍼治療を受けられる方へ", "acupuncture"):
        assert secret not in body and secret not in message["Subject"]
    name, data = _attachment(message)
    assert name == "handout.pdf"
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    with pytest.raises(pypdf.errors.FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert reader.decrypt("sakura-2026") != pypdf.PasswordType.NOT_DECRYPTED
    text = "".join("".join(p.extract_text() for p in reader.pages).split())
    assert "山田花子様用" in text


def test_english_copy_to_two_recipients_from_a_settings_file(tmp_path, runner, monkeypatch,
                                                             inbox):
    monkeypatch.delenv("HANDOUT_SMTP_HOST")
    monkeypatch.delenv("HANDOUT_SMTP_PORT")
    proj = tmp_path / "proj"
    from tests.conftest import make_project

    make_project(proj)
    write(proj / "email.yaml", f"""\
        host: 127.0.0.1
        port: "{inbox.port}"
        security: none
        user: desk
        from: frontdesk@example.org
        """)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PW", "pw")
    result = invoke(runner, "email", "demo", "--root", str(proj), "--to", "a@example.com",
                    "--to", "b@example.com", "-b", "demo-brand", "--patient-name", "Ann Lee",
                    "--aftercare", "water", "--password-env", "PW")
    assert result.exit_code == 0, result.output
    assert "sent to 2 recipients via 127.0.0.1" in result.output
    (recipients, message), = inbox.received
    assert recipients == ["a@example.com", "b@example.com"]
    assert message["Subject"] == "Your handout from Demo Clinic"
    assert message["Reply-To"] == "Demo Clinic <hello@example.org>"
    assert "Attached is the handout that Demo Clinic prepared for you." in \
        message.get_body(("plain",)).get_content()
    reader = pypdf.PdfReader(io.BytesIO(_attachment(message)[1]))
    reader.decrypt("pw")
    text = fold(" ".join(p.extract_text() for p in reader.pages))
    assert "Prepared for Ann Lee" in text and "Rest for a day." not in text


def test_plain_handout_is_sent_as_is(tmp_path, runner, monkeypatch, inbox):
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "email", "knee-osteoarthritis", "--to", "x@example.com",
                    "-l", "en", "-b", "riverbend-physio")
    assert result.exit_code == 0, result.output
    (_, message), = inbox.received
    assert "password" not in message.get_body(("plain",)).get_content()
    assert not pypdf.PdfReader(io.BytesIO(_attachment(message)[1])).is_encrypted


def test_a_copy_is_never_sent_unencrypted_by_default(tmp_path, runner, monkeypatch, inbox):
    monkeypatch.chdir(tmp_path)
    args = ["email", "knee-osteoarthritis", "--to", "x@example.com", "-l", "en", "-b",
            "riverbend-physio", "--patient-name", "Ann"]
    result = invoke(runner, *args)
    assert result.exit_code == 2
    assert "sent encrypted" in result.output
    assert inbox.received == []
    result = invoke(runner, *args, "--no-encrypt")
    assert result.exit_code == 0, result.output
    (_, message), = inbox.received
    assert not pypdf.PdfReader(io.BytesIO(_attachment(message)[1])).is_encrypted


def test_dry_run_writes_the_message(tmp_path, runner, monkeypatch, inbox):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PW", "pw")
    result = invoke(runner, "email", "acupuncture-session", "--to", "x@example.com",
                    "-l", "es", "-b", "riverbend-physio", "--patient-name", "Ana",
                    "--password-env", "PW", "--dry-run", "-o", "msg.eml")
    assert result.exit_code == 0, result.output
    assert inbox.received == []
    message = email.message_from_bytes((tmp_path / "msg.eml").read_bytes(),
                                       policy=email.policy.default)
    assert message["To"] == "x@example.com"
    assert message.get_body(("plain",)).get_content().startswith("Hola:")
    assert pypdf.PdfReader(io.BytesIO(_attachment(message)[1])).is_encrypted


def test_wrong_login_is_reported_and_nothing_sent(tmp_path, runner, monkeypatch, inbox):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HANDOUT_SMTP_PASSWORD", "wrong")
    # This test server answers a refused login by going quiet until the client gives up.
    monkeypatch.setattr("builder.mail.TIMEOUT", 2)
    result = invoke(runner, "email", "knee-osteoarthritis", "--to", "x@example.com",
                    "-l", "en", "-b", "riverbend-physio")
    assert result.exit_code == 1
    assert f"not sent: 127.0.0.1:{inbox.port} refused the user name or password" in result.output
    assert "wrong" not in result.output
    assert inbox.received == []


def test_unreachable_server(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HANDOUT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HANDOUT_SMTP_PORT", str(_free_port()))
    monkeypatch.setenv("HANDOUT_SMTP_SECURITY", "none")
    result = invoke(runner, "email", "knee-osteoarthritis", "--to", "x@example.com",
                    "-l", "en", "-b", "riverbend-physio")
    assert result.exit_code == 1
    assert "not sent: cannot reach 127.0.0.1:" in result.output


@pytest.mark.parametrize(("env", "args", "message"), [
    ({"HANDOUT_SMTP_HOST": "smtp.example.org", "HANDOUT_SMTP_SECURITY": "none"}, [],
     "'none' would send health data across the network unprotected"),
    ({"HANDOUT_SMTP_HOST": "smtp.example.org", "HANDOUT_SMTP_PORT": "smtp"}, [],
     "'smtp' is not a port number"),
    ({}, [], "no mail server: set 'host'"),
    ({"HANDOUT_SMTP_HOST": "localhost"}, ["--to", "not-an-address"],
     "--to: 'not-an-address' is not an e-mail address"),
    ({"HANDOUT_SMTP_HOST": "localhost"}, ["--dry-run"], "give both or neither"),
])
def test_settings_and_usage_errors(tmp_path, runner, monkeypatch, env, args, message):
    monkeypatch.chdir(tmp_path)
    for key in ("HOST", "PORT", "SECURITY", "USER", "FROM", "PASSWORD"):
        monkeypatch.delenv(f"HANDOUT_SMTP_{key}", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    to = [] if "--to" in args else ["--to", "x@example.com"]
    result = invoke(runner, "email", "knee-osteoarthritis", *to, "-l", "en", "-b",
                    "riverbend-physio", *args)
    assert result.exit_code == 2
    assert message in result.output


def _self_signed(folder) -> tuple[str, str]:
    """A certificate for 127.0.0.1 and its key, as a clinic's own mail server might have."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "clinic mail")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@pytest.mark.parametrize("trusted", [True, False])
def test_starttls_with_the_clinics_own_certificate(tmp_path, runner, monkeypatch, trusted):
    import ssl

    cert, key = _self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box = Inbox(_free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port, tls_context=context,
                            require_starttls=True)
    controller.start()
    try:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("HANDOUT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("HANDOUT_SMTP_PORT", str(box.port))
        monkeypatch.setenv("HANDOUT_SMTP_SECURITY", "starttls")
        if trusted:
            monkeypatch.setenv("HANDOUT_SMTP_CAFILE", cert)
        result = invoke(runner, "email", "knee-osteoarthritis", "--to", "x@example.com",
                        "-l", "ja", "-b", "hinode-tokyo")
    finally:
        controller.stop()
    if trusted:
        assert result.exit_code == 0, result.output
        assert len(box.received) == 1
    else:  # an unknown certificate is refused, and nothing is sent
        assert result.exit_code == 1
        assert "the secure connection to 127.0.0.1" in result.output
        assert "CERTIFICATE_VERIFY_FAILED" in result.output
        assert box.received == []
