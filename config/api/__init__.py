"""The REST API (``/api/v1/``): what the pages show, for the partners' own tools.

Every call is made with a personal key (``partners.api_tokens``) and reads or writes
exactly what its user may on the pages: each view starts from ``scope_for(user)``, and
what is out of scope answers 404. Built with Django REST framework; its OpenAPI
description (``/api/openapi.json``) is written by drf-spectacular from the same code,
and rendered in French at ``/api/docs``.
"""
