"""Signing in and out of the console: the session cookie, CSRF, and what a refusal says."""

import re

import httpx

from api.auth import SESSION_COOKIE, SESSION_HOURS
from domain.access import Role
from tests.api.support import Api
from tests.console.support import PASSWORD, add_staff, browser, csrf_token, sign_in, signed_in


async def test_signed_out_pages_redirect_to_the_sign_in_page(api: Api) -> None:
    async with browser(api) as client:
        for path in ("/console", "/console/approvals", "/console/escalations?x=1"):
            answer = await client.get(path)
            assert answer.status_code == 303, (path, answer.text)
            assert answer.headers["location"].startswith("/console/sign-in")
        inbox = await client.get("/console/approvals")
        assert inbox.headers["location"] == "/console/sign-in?next=%2Fconsole%2Fapprovals"

        form = await client.get("/console/sign-in")
        assert form.status_code == 200
        assert form.headers["content-type"].startswith("text/html")
        assert "no-store" in form.headers["cache-control"]
        assert "frame-ancestors 'none'" in form.headers["content-security-policy"]


async def test_sign_in_sets_a_strict_http_only_cookie_and_returns_where_asked(api: Api) -> None:
    add_staff(api, "sup-ana", Role.SUPERVISOR)
    async with browser(api) as client:
        form = await client.get("/console/sign-in", params={"next": "/console/escalations"})
        answer = await client.post(
            "/console/sign-in",
            data={
                "user_id": "sup-ana",
                "password": PASSWORD,
                "csrf_token": csrf_token(form.text),
                "next": "/console/escalations",
            },
        )
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == "/console/escalations"
        cookie = next(
            header
            for header in answer.headers.get_list("set-cookie")
            if header.startswith(f"{SESSION_COOKIE}=")
        )
        attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
        assert "httponly" in attributes
        assert "samesite=strict" in attributes
        assert "path=/" in attributes
        assert f"max-age={SESSION_HOURS * 3600}" in attributes
        assert "secure" not in attributes, "plain http here; https requests get Secure"

        board = await client.get("/console/escalations")
        assert board.status_code == 200
        assert "sup-ana (test)" in board.text

        # Sign-out needs the form's token too, and ends the session in this browser.
        signed_out = await client.post(
            "/console/sign-out", data={"csrf_token": csrf_token(board.text)}
        )
        assert signed_out.status_code == 303
        assert (await client.get("/console/escalations")).status_code == 303


async def test_an_offsite_next_is_ignored(api: Api) -> None:
    add_staff(api, "sup-bo", Role.SUPERVISOR)
    async with browser(api) as client:
        form = await client.get("/console/sign-in")
        answer = await client.post(
            "/console/sign-in",
            data={
                "user_id": "sup-bo",
                "password": PASSWORD,
                "csrf_token": csrf_token(form.text),
                "next": "//evil.example/console/",
            },
        )
        assert answer.headers["location"] == "/console/approvals"


async def test_a_failed_sign_in_does_not_say_whether_the_user_exists(api: Api) -> None:
    add_staff(api, "sup-cy", Role.SUPERVISOR)
    answers: list[httpx.Response] = []
    for user_id, password in (("sup-cy", "not the password"), ("nobody-here", PASSWORD)):
        async with browser(api) as client:
            answers.append(await sign_in(client, user_id, password))
            assert SESSION_COOKIE not in client.cookies

    wrong_password, unknown_user = answers
    assert wrong_password.status_code == unknown_user.status_code == 401

    def alert(page: str) -> str:
        found = re.search(r'role="alert">([^<]*)<', page)
        assert found is not None
        return found.group(1)

    assert alert(wrong_password.text) == alert(unknown_user.text)
    assert "Unknown user or wrong password" in alert(unknown_user.text)


async def test_roles_outside_the_console_cannot_sign_in(api: Api) -> None:
    for user_id, role in (("svc-9", Role.SERVICE), ("mon-9", Role.MONITORING)):
        add_staff(api, user_id, role)
        async with browser(api) as client:
            answer = await sign_in(client, user_id)
            assert answer.status_code == 403
            assert "Your role cannot use the console" in answer.text
            assert SESSION_COOKIE not in client.cookies


async def test_forms_without_the_right_csrf_token_are_refused(api: Api) -> None:
    add_staff(api, "sup-di", Role.SUPERVISOR)
    async with browser(api) as client:
        await client.get("/console/sign-in")
        no_token = await client.post(
            "/console/sign-in", data={"user_id": "sup-di", "password": PASSWORD}
        )
        assert no_token.status_code == 403
        assert "This form has expired" in no_token.text
        assert SESSION_COOKIE not in client.cookies

    async with signed_in(api, "sup-ed", Role.SUPERVISOR) as client, browser(api) as stranger:
        # A token made for another session (here: the sign-in nonce) is not this session's.
        other = (await stranger.get("/console/sign-in")).text
        refused = await client.post("/console/sign-out", data={"csrf_token": csrf_token(other)})
        assert refused.status_code == 403
        assert (await client.get("/console/approvals")).status_code == 200, "still signed in"
