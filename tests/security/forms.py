"""Reading the forms of a page as a browser would, to send them back altered."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    values: list = field(default_factory=list)  # (name, value) as a browser would send them
    files: list = field(default_factory=list)  # names of the file inputs
    options: dict = field(default_factory=dict)  # select name -> its option values
    boxes: dict = field(default_factory=dict)  # checkbox or radio name -> every value offered

    @property
    def names(self) -> list[str]:
        return sorted({name for name, _value in self.values} | set(self.files))


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        form = self._form
        if tag == "form":
            self._form = Form(attrs.get("action") or "", (attrs.get("method") or "get").lower())
        elif form is None or not attrs.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind == "file":
                form.files.append(attrs["name"])
            elif kind in ("checkbox", "radio"):
                form.boxes.setdefault(attrs["name"], []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    form.values.append((attrs["name"], attrs.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "image"):
                form.values.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select":
            self._select = attrs["name"]
            form.options.setdefault(self._select, [])
        elif tag == "option" and self._select:
            form.options[self._select].append(attrs.get("value", ""))
            if "selected" in attrs:
                form.values.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.values.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def page_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def main_post_form(html: str, path: str) -> Form:
    """The page's own POST form: not the logout button of the header."""
    candidates = [
        form
        for form in page_forms(html)
        if form.method == "post"
        and form.action in ("", path)
        and "csrfmiddlewaretoken" in dict(form.values)
    ]
    return max(candidates, key=lambda form: len(form.names))
