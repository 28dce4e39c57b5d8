"""Staff tools mounted in the admin (see MeetingAdmin.get_urls), one module per tool."""
