"""Pages of results: ``?page=2&taille=100``, in a stable order (each list sorts on a
unique key), with the total and the links to the previous and next pages."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "taille"
    page_size_query_description = "Nombre de résultats par page (100 par défaut, 500 au plus)."
    page_query_description = "Numéro de la page (1 pour la première)."
    max_page_size = 500
    invalid_page_message = "Cette page n'existe pas : {message}"
