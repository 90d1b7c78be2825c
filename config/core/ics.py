"""iCalendar (RFC 5545) text values and content lines, written by hand for speed.

The calendar feeds write their few properties line by line (the ``icalendar``
library's generic serialisation took half of the national feed's time); the
tests read every feed back with ``icalendar``.
"""

LINE_OCTETS = 75  # RFC 5545, 3.1: longer lines are folded


def escape(text: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """The content line, ended by CRLF, cut into pieces of at most 75 octets (never inside
    a UTF-8 character), each continued on a line starting with a space."""
    data = line.encode()
    if len(data) <= LINE_OCTETS:
        return line + "\r\n"
    pieces, start, room = [], 0, LINE_OCTETS
    while start < len(data):
        end = min(start + room, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # a continuation byte
            end -= 1
        pieces.append(data[start:end].decode())
        start, room = end, LINE_OCTETS - 1  # the leading space counts
    return "\r\n ".join(pieces) + "\r\n"
