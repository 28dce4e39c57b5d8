"""Django's in-memory mail backend, opening and counting connections the way the SMTP backend
does: send_messages() opens one of its own (and closes it) unless one is already open."""

from django.core.mail.backends.locmem import EmailBackend


class CountingBackend(EmailBackend):
    opened = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        self.is_open = True
        CountingBackend.opened += 1
        return True

    def close(self):
        self.is_open = False

    def send_messages(self, messages):
        new_connection = self.open()
        try:
            return super().send_messages(messages)
        finally:
            if new_connection:
                self.close()
