"""A local SMTP server for the tests (issue 15): Odoo's mail queue sends real e-mails
over SMTP to it; only the remote SMTP server is replaced, nothing of the suite."""

import re
import socketserver
import threading
from contextlib import contextmanager
from email import message_from_bytes, policy
from unittest.mock import patch

from odoo.addons.base.models.ir_mail_server import IrMail_Server


class _SmtpHandler(socketserver.StreamRequestHandler):
    def _reply(self, text):
        self.wfile.write((text + "\r\n").encode())

    def handle(self):
        catcher = self.server.catcher
        self._reply("220 catcher ESMTP")
        mail_from, rcpts = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250-catcher")
                self._reply("250-8BITMIME")
                self._reply("250 SMTPUTF8")
            elif verb == "MAIL":
                mail_from, rcpts = re.search(r"<(.*?)>", command).group(1), []
                self._reply("250 OK")
            elif verb == "RCPT":
                address = re.search(r"<(.*?)>", command).group(1)
                if address.lower() in catcher.refused:
                    self._reply("550 5.1.1 no such user")
                else:
                    rcpts.append(address)
                    self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 end with <CRLF>.<CRLF>")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                message = message_from_bytes(b"".join(data), policy=policy.SMTP)
                catcher.messages.append({"from": mail_from, "to": list(rcpts), "message": message})
                self._reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                mail_from, rcpts = (None, []) if verb == "RSET" else (mail_from, rcpts)
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 not implemented")


class SmtpCatcher:
    """``messages``: what the server received (envelope and parsed e-mail);
    ``refused``: addresses it refuses at RCPT time (a permanent error)."""

    def __init__(self):
        self.messages = []
        self.refused = set()
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
        self.server.daemon_threads = True
        self.server.catcher = self
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def recipients(self, containing=""):
        """The envelope recipients received, sorted, those containing ``containing``."""
        return sorted(address for sent in self.messages for address in sent["to"] if containing in address)


class SmtpCatcherMixin:
    """For a TransactionCase: ``cls.smtp`` catches what ``_send_mail_queue`` sends."""

    @classmethod
    def _start_smtp_catcher(cls):
        cls.smtp = SmtpCatcher()
        cls.addClassCleanup(cls.smtp.stop)
        cls.env["ir.mail_server"].search([]).active = False
        cls.smtp_server = cls.env["ir.mail_server"].create(
            {
                "name": "Local catcher",
                "smtp_host": "127.0.0.1",
                "smtp_port": cls.smtp.port,
                "smtp_encryption": "none",
                "sequence": 1,
            }
        )

    @contextmanager
    def _smtp_enabled(self):
        """Odoo sends nothing during tests; let it send, to the local catcher only."""
        with patch.object(IrMail_Server, "_disable_send", classmethod(lambda cls: False)):
            yield

    def _send_mail_queue(self):
        """Odoo's mail queue job: every outgoing ``mail.mail`` goes over SMTP."""
        self.env.flush_all()
        with self._smtp_enabled():
            self.env["mail.mail"].sudo().process_email_queue()
        self.env.invalidate_all()

    def _bounce(self, sent, address, reason="550 5.1.1 The email account does not exist"):
        """Feed Odoo's mail gateway the delivery status notification a remote server
        returns for ``address`` about the e-mail ``sent`` (RFC 3464)."""
        original = sent["message"]
        raw = (
            "From: MAILER-DAEMON@remote.example.com\r\n"
            f"To: {original['Return-Path'] or original['From']}\r\n"
            "Subject: Undelivered Mail Returned to Sender\r\n"
            "Message-Id: <bounce-" + str(len(self.smtp.messages)) + "@remote.example.com>\r\n"
            "MIME-Version: 1.0\r\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"\r\n'
            "\r\n"
            "--BOUNDARY\r\n"
            "Content-Type: text/plain\r\n\r\n"
            f"Your message to {address} could not be delivered: {reason}\r\n"
            "--BOUNDARY\r\n"
            "Content-Type: message/delivery-status\r\n\r\n"
            "Reporting-MTA: dns; remote.example.com\r\n\r\n"
            f"Final-Recipient: rfc822; {address}\r\n"
            "Action: failed\r\n"
            "Status: 5.1.1\r\n"
            f"Diagnostic-Code: smtp; {reason}\r\n"
            "--BOUNDARY\r\n"
            "Content-Type: text/rfc822-headers\r\n\r\n"
            f"Message-Id: {original['Message-Id']}\r\n"
            f"From: {original['From']}\r\n"
            f"To: {address}\r\n"
            f"Subject: {original['Subject']}\r\n"
            "--BOUNDARY--\r\n"
        )
        self.env["mail.thread"].sudo().message_process(False, raw)
        self.env.invalidate_all()
