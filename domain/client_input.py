"""The base of every model a client sends: text that each store the app runs on can keep.

PostgreSQL refuses text holding a NUL character (U+0000) outright, so one in a description
or a courier's event id would fail every write of the read model after the API had
accepted it, and hold the workflow's projection in retries for good. Refusing it at the
door turns that into a 422 naming the field.
"""

from typing import Any

from pydantic import BaseModel, field_validator

NUL = "\x00"


class ClientInput(BaseModel):
    """Refuses a NUL character in any text field of the model (or of a subclass)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and NUL in value:
            raise ValueError("must not contain NUL characters (U+0000)")
        return value
