"""Rules for encrypting personal data at rest and its blind index."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicehall.core.pii import PIICipher, PIIKeyError, generate_key

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def cipher() -> PIICipher:
    return PIICipher(KEY)


def _decode_token(token: str) -> bytes:
    body = token.removeprefix("v1:")
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def _reencode(blob: bytes) -> str:
    return "v1:" + base64.urlsafe_b64encode(blob).decode("ascii")


# Keys ------------------------------------------------------------------------


@pytest.mark.parametrize("length", [0, 16, 24, 31, 33, 64])
def test_key_that_is_not_32_bytes_is_refused(length: int) -> None:
    with pytest.raises(PIIKeyError, match="32 bytes"):
        PIICipher(b"k" * length)


def test_key_that_is_not_bytes_is_refused() -> None:
    with pytest.raises(PIIKeyError):
        PIICipher("k" * 32)  # type: ignore[arg-type]


def test_generated_key_is_base64_of_32_bytes() -> None:
    key = generate_key()
    assert len(base64.b64decode(key, validate=True)) == 32
    assert generate_key() != key


def test_generated_key_is_accepted_by_from_setting() -> None:
    key = generate_key()
    cipher = PIICipher.from_setting(key)
    assert cipher.decrypt(cipher.encrypt(ID_NUMBER)) == ID_NUMBER


@pytest.mark.parametrize(
    "setting",
    [
        base64.b64encode(KEY).decode(),
        base64.urlsafe_b64encode(KEY).decode(),
        base64.b64encode(KEY).decode().rstrip("="),
        base64.urlsafe_b64encode(KEY).decode().rstrip("="),
        "  " + base64.b64encode(KEY).decode() + "\n",
    ],
)
def test_key_setting_accepts_standard_and_urlsafe_base64_with_or_without_padding(
    setting: str,
) -> None:
    from_setting = PIICipher.from_setting(setting)
    direct = PIICipher(KEY)
    assert from_setting.blind_index(ID_NUMBER) == direct.blind_index(ID_NUMBER)
    assert direct.decrypt(from_setting.encrypt(ID_NUMBER)) == ID_NUMBER


def test_key_setting_with_both_alphabets_decodes_the_same_key() -> None:
    # Bytes chosen so that the encodings contain "+" / "/" vs "-" / "_".
    key = bytes([0xFB, 0xFF, 0xBF] * 10 + [0xFB, 0xFF])
    standard = base64.b64encode(key).decode()
    urlsafe = base64.urlsafe_b64encode(key).decode()
    assert standard != urlsafe
    assert (
        PIICipher.from_setting(standard).blind_index("a")
        == PIICipher.from_setting(urlsafe).blind_index("a")
        == PIICipher(key).blind_index("a")
    )


@pytest.mark.parametrize("setting", ["", "   ", "not base64 at all!", "abcde", "€" * 44])
def test_key_setting_that_is_not_base64_is_refused_with_a_clear_message(setting: str) -> None:
    with pytest.raises(PIIKeyError) as info:
        PIICipher.from_setting(setting)
    assert "base64" in str(info.value)


def test_key_setting_of_wrong_length_is_refused() -> None:
    with pytest.raises(PIIKeyError, match="32 bytes, got 16"):
        PIICipher.from_setting(base64.b64encode(b"x" * 16).decode())


def test_cipher_repr_does_not_reveal_the_key(cipher: PIICipher) -> None:
    assert KEY.hex() not in repr(cipher)
    assert "hidden" in repr(cipher)


# Encryption ------------------------------------------------------------------


def test_encrypted_value_decrypts_to_the_original(cipher: PIICipher) -> None:
    assert cipher.decrypt(cipher.encrypt(ID_NUMBER)) == ID_NUMBER


@given(st.text(max_size=200))
@settings(max_examples=50)
def test_any_text_round_trips(plaintext: str) -> None:
    cipher = PIICipher(KEY)
    assert cipher.decrypt(cipher.encrypt(plaintext)) == plaintext


def test_token_has_version_prefix_and_urlsafe_base64_body(cipher: PIICipher) -> None:
    token = cipher.encrypt(ID_NUMBER)
    assert token.startswith("v1:")
    blob = _decode_token(token)
    # 12-byte nonce + ciphertext (same length as plaintext) + 16-byte tag
    assert len(blob) == 12 + len(ID_NUMBER.encode()) + 16
    assert set(token[3:]) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="
    )


def test_same_plaintext_encrypts_differently_each_time(cipher: PIICipher) -> None:
    tokens = {cipher.encrypt(ID_NUMBER) for _ in range(20)}
    assert len(tokens) == 20
    nonces = {_decode_token(t)[:12] for t in tokens}
    assert len(nonces) == 20


@given(st.text(min_size=6, max_size=60))
@settings(max_examples=50)
def test_ciphertext_never_contains_the_plaintext(plaintext: str) -> None:
    token = PIICipher(KEY).encrypt(plaintext)
    assert plaintext not in token
    assert plaintext.encode() not in _decode_token(token)


def test_ciphertext_of_an_id_number_does_not_contain_it(cipher: PIICipher) -> None:
    token = cipher.encrypt(ID_NUMBER)
    assert ID_NUMBER not in token
    assert ID_NUMBER.encode() not in _decode_token(token)
    assert "19491231" not in token


def test_tampered_ciphertext_is_refused(cipher: PIICipher) -> None:
    blob = bytearray(_decode_token(cipher.encrypt(ID_NUMBER)))
    for position in (0, 12, len(blob) - 1):  # nonce, ciphertext, tag
        tampered = bytearray(blob)
        tampered[position] ^= 0x01
        with pytest.raises(PIIKeyError, match="cannot decrypt"):
            cipher.decrypt(_reencode(bytes(tampered)))


def test_truncated_ciphertext_is_refused(cipher: PIICipher) -> None:
    blob = _decode_token(cipher.encrypt(ID_NUMBER))
    for length in (0, 5, 27, len(blob) - 1):
        with pytest.raises(PIIKeyError, match="cannot decrypt"):
            cipher.decrypt(_reencode(blob[:length]))


def test_value_encrypted_under_another_key_is_refused(cipher: PIICipher) -> None:
    token = PIICipher(OTHER_KEY).encrypt(ID_NUMBER)
    with pytest.raises(PIIKeyError, match="cannot decrypt"):
        cipher.decrypt(token)


@pytest.mark.parametrize("token", ["", "11010519491231002X", "v2:AAAA", "v1:", "v1:!!!!", "v1:a"])
def test_malformed_token_is_refused(cipher: PIICipher, token: str) -> None:
    with pytest.raises(PIIKeyError, match="cannot decrypt"):
        cipher.decrypt(token)


def test_token_without_base64_padding_still_decrypts(cipher: PIICipher) -> None:
    token = cipher.encrypt(ID_NUMBER)
    assert cipher.decrypt(token.rstrip("=")) == ID_NUMBER


def test_raw_aes_gcm_under_the_master_key_cannot_decrypt_tokens(cipher: PIICipher) -> None:
    # The encryption key is a derived subkey, not the configured key itself.
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    blob = _decode_token(cipher.encrypt(ID_NUMBER))
    with pytest.raises(InvalidTag):
        AESGCM(KEY).decrypt(blob[:12], blob[12:], b"servicehall-pii:v1")
    with pytest.raises(InvalidTag):
        AESGCM(KEY).decrypt(blob[:12], blob[12:], None)


# Blind index -----------------------------------------------------------------


def test_blind_index_is_64_lowercase_hex_chars(cipher: PIICipher) -> None:
    index = cipher.blind_index(ID_NUMBER)
    assert len(index) == 64
    assert set(index) <= set("0123456789abcdef")


def test_blind_index_is_stable_for_the_same_value_and_key(cipher: PIICipher) -> None:
    assert cipher.blind_index(ID_NUMBER) == cipher.blind_index(ID_NUMBER)
    assert PIICipher(KEY).blind_index(ID_NUMBER) == cipher.blind_index(ID_NUMBER)


def test_blind_index_differs_between_keys(cipher: PIICipher) -> None:
    assert PIICipher(OTHER_KEY).blind_index(ID_NUMBER) != cipher.blind_index(ID_NUMBER)


def test_blind_index_differs_between_values(cipher: PIICipher) -> None:
    assert cipher.blind_index("11010519491231002X") != cipher.blind_index("110101199003070011")


def test_blind_index_is_not_a_plain_hash_or_hmac_under_the_master_key(
    cipher: PIICipher,
) -> None:
    import hashlib
    import hmac

    index = cipher.blind_index(ID_NUMBER)
    assert index != hashlib.sha256(ID_NUMBER.encode()).hexdigest()
    assert index != hmac.new(KEY, ID_NUMBER.encode(), hashlib.sha256).hexdigest()


def test_blind_index_matches_hkdf_derived_subkey() -> None:
    import hashlib
    import hmac

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    subkey = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"servicehall-blind-index"
    ).derive(KEY)
    expected = hmac.new(subkey, ID_NUMBER.encode(), hashlib.sha256).hexdigest()
    assert PIICipher(KEY).blind_index(ID_NUMBER) == expected


def test_blind_index_does_not_contain_the_plaintext(cipher: PIICipher) -> None:
    assert "19491231" not in cipher.blind_index(ID_NUMBER)
