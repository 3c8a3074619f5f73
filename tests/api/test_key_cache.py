"""The memory of verified keys: remembered for the TTL only, by digest, bounded."""

from api.key_cache import MAX_ENTRIES, VerifiedKeys


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_verified_key_is_remembered_until_the_ttl_passes() -> None:
    clock = Clock()
    keys = VerifiedKeys[str](5, clock)
    keys.remember("rdk_a_secret", "svc-shop")

    clock.now += 4.9
    assert keys.get("rdk_a_secret") == "svc-shop"
    clock.now += 0.2
    assert keys.get("rdk_a_secret") is None, "after the TTL the key is checked again"
    assert keys.get("rdk_other") is None


def test_the_key_itself_is_not_kept() -> None:
    keys = VerifiedKeys[str](5, Clock())
    keys.remember("rdk_a_secret", "svc-shop")

    assert all("secret" not in digest for digest in keys._entries)


def test_a_zero_ttl_turns_the_cache_off() -> None:
    keys = VerifiedKeys[str](0, Clock())
    keys.remember("rdk_a_secret", "svc-shop")

    assert keys.get("rdk_a_secret") is None


def test_the_oldest_entry_makes_room_when_full() -> None:
    keys = VerifiedKeys[int](60, Clock())
    for number in range(MAX_ENTRIES + 1):
        keys.remember(f"rdk_{number}_s", number)

    assert keys.get("rdk_0_s") is None
    assert keys.get(f"rdk_{MAX_ENTRIES}_s") == MAX_ENTRIES
