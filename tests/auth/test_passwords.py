import pytest

from mbc.auth.passwords import WeakPassword, check_policy, hash_password, verify_password


def test_hash_is_scrypt_and_verifies() -> None:
    hashed = hash_password("a long enough passphrase")
    assert hashed.startswith("scrypt:")
    assert verify_password(hashed, "a long enough passphrase")
    assert not verify_password(hashed, "a long enough passphrasE")


def test_unknown_account_never_verifies() -> None:
    assert not verify_password(None, "anything at all")


@pytest.mark.parametrize("password", ["short", "elevenchars", "aaaaaaaaaaaaaaaa", "x" * 257])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(WeakPassword):
        check_policy(password)


def test_twelve_varied_characters_are_enough() -> None:
    check_policy("twelve chars")
