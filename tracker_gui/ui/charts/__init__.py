"""Our own QPainter charts of a `services.report_types.Report`: on a widget, a PNG or an SVG."""
