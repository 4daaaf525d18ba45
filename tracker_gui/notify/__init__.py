"""Desktop notifications (no Qt): sends status-change notices through the OS."""
