"""Operation ids for the OpenAPI document: the route's name, such as `get_complaint`.

Clients generated from the document name their functions after these ids. FastAPI's
default appends the path and method (`read_complaint_complaints__complaint_id__get`),
which makes generated clients hard to read and changes whenever a path does. The route's
name is the endpoint function's, or the `name=` its decorator gives when the function's
own would clash with an import; FastAPI warns if two operations end up with one id.
"""

from fastapi.routing import APIRoute


def operation_id(route: APIRoute) -> str:
    """Returns the route's name as its operation id."""
    return route.name
