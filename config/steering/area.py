"""The territory a steering page is about: the whole country or one département."""

from dataclasses import dataclass

from django.urls import reverse

from partners.departements import BY_CODE


@dataclass(frozen=True)
class Area:
    departement: str | None = None  # None: the whole country

    @property
    def is_national(self) -> bool:
        return self.departement is None

    @property
    def label(self) -> str:
        if self.departement is None:
            return "France entière"
        return f"{BY_CODE[self.departement].name} ({self.departement})"

    @property
    def url(self) -> str:
        if self.departement is None:
            return reverse("steering:national")
        return reverse("steering:departement", args=[self.departement])

    def posts_filter(self, prefix: str = "") -> dict:
        """Keyword filter on the posts of the area (``prefix`` reaches them from another model:
        ``"post__"``, ``"report__post__"``)."""
        return {} if self.departement is None else {f"{prefix}departement": self.departement}
