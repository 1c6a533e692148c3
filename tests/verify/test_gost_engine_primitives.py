"""GOST R 34.10-2012 against OpenSSL's GOST engine (libengine-gost-openssl), both directions.

The engine is the widely deployed reference that policy-qr.md section 2a names: its keys,
hashes and signatures must agree with ours byte for byte. Skipped only when the engine is
not installed (scripts/setup.sh installs it).
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest

from desk_app.demo.gost_sign import generate_private_key, public_key_octets, sign_digest
from desk_app.verify.gost import GostKeyError, GostPublicKey, curve_for_oid, streebog256, streebog512


def _engine_available() -> bool:
    if shutil.which("openssl") is None:
        return False
    done = subprocess.run(["openssl", "engine", "gost"], capture_output=True, timeout=30)
    return done.returncode == 0


pytestmark = pytest.mark.skipif(not _engine_available(), reason="OpenSSL GOST engine not installed")

# (engine algorithm, engine paramset, curve OID the engine writes in the SPKI)
ENGINE_KEYS = [
    ("gost2012_256", "A", "1.2.643.2.2.35.1"),
    ("gost2012_256", "B", "1.2.643.2.2.35.2"),
    ("gost2012_256", "C", "1.2.643.2.2.35.3"),
    ("gost2012_256", "XA", "1.2.643.2.2.36.0"),
    ("gost2012_256", "XB", "1.2.643.2.2.36.1"),
    ("gost2012_256", "TCA", "1.2.643.7.1.2.1.1.1"),
    ("gost2012_256", "TCB", "1.2.643.7.1.2.1.1.2"),
    ("gost2012_256", "TCC", "1.2.643.7.1.2.1.1.3"),
    ("gost2012_256", "TCD", "1.2.643.7.1.2.1.1.4"),
    ("gost2012_512", "A", "1.2.643.7.1.2.1.2.1"),
    ("gost2012_512", "B", "1.2.643.7.1.2.1.2.2"),
    ("gost2012_512", "C", "1.2.643.7.1.2.1.2.3"),
]

MESSAGE = b"<ds:SignedInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">policy</ds:SignedInfo>" * 9


def _openssl(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, timeout=60, check=False)


# --- a minimal DER reader/writer for the SubjectPublicKeyInfo (test-only) -------------------
def _read_tlv(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of contents, end of contents) of the TLV at pos."""
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        n = length & 0x7F
        length = int.from_bytes(data[pos:pos + n], "big")
        pos += n
    return tag, pos, pos + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    out = []
    while start < end:
        tag, cstart, cend = _read_tlv(data, start)
        out.append((tag, cstart, cend))
        start = cend
    return out


def _decode_oid(raw: bytes) -> str:
    parts = [raw[0] // 40, raw[0] % 40]
    value = 0
    for byte in raw[1:]:
        value = value << 7 | byte & 0x7F
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return ".".join(map(str, parts))


def _encode_oid(oid: str) -> bytes:
    nums = [int(n) for n in oid.split(".")]
    body = bytearray([nums[0] * 40 + nums[1]])
    for n in nums[2:]:
        chunk = [n & 0x7F]
        n >>= 7
        while n:
            chunk.append(0x80 | n & 0x7F)
            n >>= 7
        body += bytes(reversed(chunk))
    return _der(0x06, bytes(body))


def _der(tag: int, body: bytes) -> bytes:
    if len(body) < 0x80:
        return bytes([tag, len(body)]) + body
    n = (len(body).bit_length() + 7) // 8
    return bytes([tag, 0x80 | n]) + len(body).to_bytes(n, "big") + body


def _spki_curve_and_point(der: bytes) -> tuple[str, str, bytes]:
    _, start, end = _read_tlv(der, 0)
    (_, a_start, a_end), (bit_tag, b_start, b_end) = _children(der, start, end)
    assert bit_tag == 0x03 and der[b_start] == 0  # BIT STRING, no unused bits
    (alg_tag, o_start, o_end), (param_tag, p_start, p_end) = _children(der, a_start, a_end)
    assert alg_tag == 0x06
    key_alg = _decode_oid(der[o_start:o_end])
    assert param_tag == 0x30
    curve_tag, c_start, c_end = _children(der, p_start, p_end)[0]
    assert curve_tag == 0x06
    octet_tag, k_start, k_end = _read_tlv(der, b_start + 1)
    assert octet_tag == 0x04 and k_end == b_end
    return key_alg, _decode_oid(der[c_start:c_end]), der[k_start:k_end]


def _spki_pem(bits: int, curve_oid: str, octets: bytes) -> bytes:
    key_alg = "1.2.643.7.1.1.1.1" if bits == 256 else "1.2.643.7.1.1.1.2"
    digest_alg = "1.2.643.7.1.1.2.2" if bits == 256 else "1.2.643.7.1.1.2.3"
    params = _encode_oid(curve_oid) + (_encode_oid(digest_alg) if bits == 256 else b"")
    algorithm = _der(0x30, _encode_oid(key_alg) + _der(0x30, params))
    der = _der(0x30, algorithm + _der(0x03, b"\x00" + _der(0x04, octets)))
    b64 = base64.encodebytes(der).decode().replace("\n", "")
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return ("-----BEGIN PUBLIC KEY-----\n" + "\n".join(lines) + "\n-----END PUBLIC KEY-----\n").encode()


# --- the tests -------------------------------------------------------------------------------
@pytest.mark.parametrize(("algorithm", "paramset", "oid"), ENGINE_KEYS, ids=lambda v: str(v))
def test_engine_signatures_verify_and_ours_verify_in_the_engine(tmp_path, algorithm, paramset, oid):
    bits = 256 if algorithm.endswith("256") else 512
    md = f"md_gost12_{bits}"
    streebog = streebog256 if bits == 256 else streebog512
    done = _openssl("genpkey", "-engine", "gost", "-algorithm", algorithm, "-pkeyopt", f"paramset:{paramset}",
                    "-out", "key.pem", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = _openssl("pkey", "-engine", "gost", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "pub.der",
                    cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    key_alg, curve_oid, octets = _spki_curve_and_point((tmp_path / "pub.der").read_bytes())
    assert key_alg == ("1.2.643.7.1.1.1.1" if bits == 256 else "1.2.643.7.1.1.1.2")
    assert curve_oid == oid
    curve = curve_for_oid(curve_oid)
    assert curve is not None and curve.bits == bits
    key = GostPublicKey.from_octets(curve, octets)

    # The engine's hash is ours.
    (tmp_path / "msg").write_bytes(MESSAGE)
    done = _openssl("dgst", "-engine", "gost", f"-{md}", "-binary", "-out", "hash", "msg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    digest = streebog(MESSAGE)
    assert (tmp_path / "hash").read_bytes() == digest

    # The engine signs; we verify, and only with the spec's conventions.
    done = _openssl("dgst", "-engine", "gost", f"-{md}", "-sign", "key.pem", "-out", "sig", "msg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    signature = (tmp_path / "sig").read_bytes()
    size = bits // 8
    assert len(signature) == 2 * size
    assert key.verify_digest(digest, signature)
    assert not key.verify_digest(digest, signature[size:] + signature[:size])  # r || s
    assert not key.verify_digest(digest[::-1], signature)  # e read big-endian
    assert not key.verify_digest(streebog(MESSAGE + b" "), signature)
    try:
        big_endian = GostPublicKey.from_octets(curve, octets[:size][::-1] + octets[size:][::-1])
    except GostKeyError:
        pass
    else:
        assert not big_endian.verify_digest(digest, signature)

    # We sign with our own key on the same curve; the engine verifies (and refuses r || s).
    d = generate_private_key(curve)
    ours = public_key_octets(curve, d)
    (tmp_path / "ours.pem").write_bytes(_spki_pem(bits, curve_oid, ours))
    ours_sig = sign_digest(curve, d, digest)
    (tmp_path / "ours.sig").write_bytes(ours_sig)
    (tmp_path / "swapped.sig").write_bytes(ours_sig[size:] + ours_sig[:size])
    done = _openssl("dgst", "-engine", "gost", f"-{md}", "-verify", "ours.pem", "-signature", "ours.sig", "msg",
                    cwd=tmp_path)
    assert done.returncode == 0 and b"Verified OK" in done.stdout, done.stdout + done.stderr
    done = _openssl("dgst", "-engine", "gost", f"-{md}", "-verify", "ours.pem", "-signature", "swapped.sig", "msg",
                    cwd=tmp_path)
    assert done.returncode != 0 and b"Verified OK" not in done.stdout
