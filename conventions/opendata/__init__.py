"""Open data: the SCDL « Délibérations » and « Subventions » files of data.gouv.fr."""
