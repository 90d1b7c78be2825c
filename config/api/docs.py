"""``/api/docs``: the OpenAPI description read as a page of the site (DSFR, French,
no script), for people; programs read ``/api/openapi.json``."""

from functools import lru_cache

from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=1)
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _type(spec: dict, node: dict) -> str:
    node = _resolve(spec, node) if "$ref" in node and len(node) == 1 else node
    if "allOf" in node:
        return " ".join(_type(spec, part) for part in node["allOf"])
    if "oneOf" in node:
        return " ou ".join(_type(spec, part) for part in node["oneOf"])
    if "enum" in node:
        return "un de : " + ", ".join(str(v) for v in node["enum"] if v not in ("", None))
    if node.get("type") == "array":
        return f"liste de {_type(spec, node.get('items', {}))}"
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[1]
    kind = node.get("format") or node.get("type") or "objet"
    return f"{kind}{' ou null' if node.get('nullable') else ''}"


def _fields(spec: dict, node: dict, prefix: str = "", depth: int = 0) -> list[dict]:
    """The fields of a schema, nested ones with a dotted name (``parties[].organisation``)."""
    node = _resolve(spec, node)
    if node.get("type") == "array":
        return _fields(spec, node.get("items", {}), f"{prefix}[]", depth)
    rows = []
    required = set(node.get("required", ()))
    for name, field in node.get("properties", {}).items():
        target = _resolve(spec, field) if "$ref" in field else field
        if "allOf" in target and len(target["allOf"]) == 1:
            target = _resolve(spec, target["allOf"][0])
        full = f"{prefix}.{name}" if prefix else name
        items = target.get("items", {})
        nested = target if "properties" in target else _resolve(spec, items) if items else {}
        rows.append(
            {
                "name": full,
                "type": "objet" if "properties" in target else _type(spec, field),
                "required": name in required,
                "description": target.get("description") or field.get("description", ""),
            }
        )
        if "properties" in nested and depth < 3:
            suffix = "[]" if target.get("type") == "array" else ""
            rows += _fields(spec, nested, full + suffix, depth + 1)
    return rows


def _operations(spec: dict) -> list[dict]:
    operations = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            responses = []
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {}).get("application/json", {})
                responses.append(
                    {
                        "status": status,
                        "description": response.get("description", ""),
                        "fields": _fields(spec, content["schema"]) if content else [],
                    }
                )
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            operations.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _type(spec, p.get("schema", {})),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _fields(spec, body["schema"]) if body else [],
                    "responses": responses,
                }
            )
    return operations


@require_safe
def documentation(request):
    spec = schema()
    return render(
        request,
        "api/docs.html",
        {"spec": spec, "info": spec["info"], "operations": _operations(spec)},
    )
