"""Dependencies routes declare by type: settings, a store session and the Temporal client."""

from collections.abc import Iterator
from typing import Annotated, cast

from fastapi import Depends, Request
from sqlmodel import Session
from temporalio.client import Client

from core.settings import Settings
from store.db import SessionFactory


def get_app_settings(request: Request) -> Settings:
    """Returns the settings the app was created with."""
    return cast(Settings, request.app.state.settings)


def get_session(request: Request) -> Iterator[Session]:
    """Yields a store session for one request and closes it afterwards."""
    sessions = cast(SessionFactory, request.app.state.sessions)
    with sessions() as session:
        yield session


def get_temporal(request: Request) -> Client:
    """Returns the Temporal client connected in the app's lifespan."""
    return cast(Client, request.app.state.temporal)


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
TemporalDep = Annotated[Client, Depends(get_temporal)]
