"""Local SMTP servers for tests: one that accepts connections and never answers, and a small
one that answers, records what it receives and refuses the recipients it is told to."""

import contextlib
import socket
import socketserver
import threading


class HangingSMTPServer:
    """Accepts connections on 127.0.0.1 and never says a word, as a stalled relay."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        self.sock.settimeout(0.1)
        while not self.stopped.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                self.held.append(self.sock.accept()[0])

    def close(self):
        self.stopped.set()
        self.thread.join(5)
        for conn in self.held:
            conn.close()
        self.sock.close()


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        server = self.server
        self.reply("220 test SMTP")
        recipients, sender = [], None
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip(" <>")
                if address in server.refuse:
                    self.reply("550 5.1.1 No such user here")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk)
                server.received.append((sender, recipients, b"".join(data).decode()))
                self.reply("250 OK queued")
            elif verb == "RSET":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class RecordingSMTPServer(socketserver.ThreadingTCPServer):
    """An SMTP server on 127.0.0.1 that keeps what it receives, refusing `refuse` (550)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, refuse=()):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.port = self.server_address[1]
        self.refuse = set(refuse)
        self.received = []  # (sender, [recipients], message)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.shutdown()
        self.server_close()
        self.thread.join(5)


def smtp_mailers(port: int, timeout: float = 1) -> dict:
    """MAILERS sending through a local server (plain SMTP, no TLS)."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": timeout},
        }
    }
