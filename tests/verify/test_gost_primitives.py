"""GOST R 34.11-2012 (Streebog) and GOST R 34.10-2012 primitives (desk_app/verify/gost).

Vectors: RFC 6986 (Streebog), GOST R 34.10-2012 appendix A = RFC 7091 section 7 (signatures).
Oracle: gostcrypto (PyPI, pure Python, independent code). Its conventions, read from its
source (gostcrypto 1.2.5) and pinned down by test_gostcrypto_conventions below:
- gosthash digest(): the algorithm's output bytes, the same order as ours;
- gostsignature sign()/verify(): e = int.from_bytes(digest, "big") mod q, so our digest is
  passed byte-reversed; the signature is r || s, each big-endian (ours is s || r); the
  private key is big-endian bytes; the public key is X || Y, each big-endian (ours:
  each little-endian).
"""

from __future__ import annotations

import os
import random

import pytest

# The oracle is a declared dev dependency (pyproject.toml): a missing one fails, never skips.
from gostcrypto import gosthash, gostsignature

from desk_app.demo.gost_sign import generate_private_key, public_key_octets, sign_digest
from desk_app.verify.gost import (
    CURVE_OIDS,
    GostCurve,
    GostKeyError,
    GostPublicKey,
    curve_for_oid,
    streebog256,
    streebog512,
)
from desk_app.verify.gost.curves import ALL_CURVES

# --- RFC 6986 ---------------------------------------------------------------------------
# The RFC prints messages and hashes as big numbers: the bytes are the reverse of the hex.
M1 = bytes.fromhex(
    "323130393837363534333231303938373635343332313039383736353433323130393837363534333231"
    "303938373635343332313039383736353433323130")[::-1]
M2 = bytes.fromhex(
    "fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2"
    "fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1")[::-1]
H1_512 = ("486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00"
          "fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b")
H1_256 = "00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d"
H2_512 = ("28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f03"
          "7613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e")
H2_256 = "508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d"


def test_rfc6986_messages_are_what_the_rfc_means():
    assert M1 == b"012345678901234567890123456789012345678901234567890123456789012"
    assert M2.decode("cp1251").startswith("Се ветри, Стрибожи внуци")


@pytest.mark.parametrize(("message", "printed", "fn"), [
    (M1, H1_512, streebog512), (M1, H1_256, streebog256),
    (M2, H2_512, streebog512), (M2, H2_256, streebog256),
])
def test_rfc6986_examples(message, printed, fn):
    digest = fn(message)
    assert digest == bytes.fromhex(printed)[::-1]
    assert digest != bytes.fromhex(printed)  # the printed order is not the output order


def test_empty_message():
    # OpenSSL's gost engine: echo -n | openssl dgst -engine gost -md_gost12_256 / _512
    assert streebog256(b"").hex() == "3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb"
    assert streebog512(b"").hex() == (
        "8e945da209aa869f0455928529bcae4679e9873ab707b55315f56ceb98bef0a7"
        "362f715528356ee83cda5f2aac4c6ad2ba3a715c1bcd81cb8e9f90bf4c1c1a8a")


def _oracle_hash(name: str, data: bytes) -> bytes:
    return bytes(gosthash.new(name, data=bytearray(data)).digest())


@pytest.mark.parametrize("length", [0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 700, 2000, 4096 + 17])
def test_streebog_edge_lengths_against_gostcrypto(length):
    data = random.Random(length).randbytes(length)
    assert streebog256(data) == _oracle_hash("streebog256", data)
    assert streebog512(data) == _oracle_hash("streebog512", data)


def test_streebog_random_inputs_against_gostcrypto():
    rng = random.Random(6986)
    for _ in range(12):
        data = rng.randbytes(rng.randrange(0, 400))
        assert streebog256(data) == _oracle_hash("streebog256", data)
        assert streebog512(data) == _oracle_hash("streebog512", data)


def test_streebog_accepts_bytes_like_and_carries():
    # 0xff blocks make the 512-bit checksum addition carry across words.
    data = b"\xff" * 256
    assert streebog512(data) == _oracle_hash("streebog512", data)
    assert streebog256(bytearray(data)) == streebog256(memoryview(data)) == streebog256(data)
    assert len(streebog256(b"x")) == 32 and len(streebog512(b"x")) == 64


# --- GOST R 34.10-2012 appendix A / RFC 7091 section 7 ----------------------------------------
EXAMPLE_256 = GostCurve(
    name="GOST R 34.10-2012 example 1 (256)", bits=256,
    p=0x8000000000000000000000000000000000000000000000000000000000000431,
    a=7,
    b=0x5FBFF498AA938CE739B8E022FBAFEF40563F6E6A3472FC2A514C0CE9DAE23B7E,
    q=0x8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3,
    x=2,
    y=0x08E2A8A0E65147D4BD6316030E16D19C85C97F0A9CA267122B96ABBCEA7E8FC8,
    cofactor=1,
)
EXAMPLE_256_VALUES = dict(
    d=0x7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28,
    qx=0x7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B,
    qy=0x26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA,
    e=0x2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5,
    k=0x77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3,
    r=0x41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493,
    s=0x01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40,
)

EXAMPLE_512 = GostCurve(
    name="GOST R 34.10-2012 example 2 (512)", bits=512,
    p=int("4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15D"
          "F1D852741AF4704A0458047E80E4546D35B8336FAC224DD81664BBF528BE6373", 16),
    a=7,
    b=int("1CFF0806A31116DA29D8CFA54E57EB748BC5F377E49400FDD788B649ECA1AC43"
          "61834013B2AD7322480A89CA58E0CF74BC9E540C2ADD6897FAD0A3084F302ADC", 16),
    q=int("4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15D"
          "A82F2D7ECB1DBAC719905C5EECC423F1D86E25EDBE23C595D644AAF187E6E6DF", 16),
    x=int("24D19CC64572EE30F396BF6EBBFD7A6C5213B3B3D7057CC825F91093A68CD762"
          "FD60611262CD838DC6B60AA7EEE804E28BC849977FAC33B4B530F1B120248A9A", 16),
    y=int("2BB312A43BD2CE6E0D020613C857ACDDCFBF061E91E5F2C3F32447C259F39B2C"
          "83AB156D77F1496BF7EB3351E1EE4E43DC1A18B91B24640B6DBB92CB1ADD371E", 16),
    cofactor=1,
)
EXAMPLE_512_VALUES = dict(
    d=int("0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B1020"
          "72E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4", 16),
    qx=int("115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD"
           "5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1", 16),
    qy=int("37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61"
           "EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC", 16),
    e=int("3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C591"
          "7184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C", 16),
    k=int("0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F3658"
          "86748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1", 16),
    r=int("2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD3"
          "5492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36", 16),
    s=int("1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5"
          "823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A", 16),
)


@pytest.mark.parametrize(("curve", "v"), [(EXAMPLE_256, EXAMPLE_256_VALUES), (EXAMPLE_512, EXAMPLE_512_VALUES)])
def test_standard_signature_examples(curve, v):
    size = curve.size
    octets = public_key_octets(curve, v["d"])
    assert octets == v["qx"].to_bytes(size, "little") + v["qy"].to_bytes(size, "little")
    # The standard gives e as a number; our digest is read little-endian to give e.
    digest = v["e"].to_bytes(size, "little")
    signature = sign_digest(curve, v["d"], digest, k=v["k"])
    assert signature == v["s"].to_bytes(size, "big") + v["r"].to_bytes(size, "big")
    key = GostPublicKey.from_octets(curve, octets)
    assert (key.x, key.y) == (v["qx"], v["qy"])
    assert key.verify_digest(digest, signature)
    assert not key.verify_digest(digest, signature[size:] + signature[:size])  # r || s
    assert not key.verify_digest(digest[::-1], signature)  # e read big-endian


# --- curves -----------------------------------------------------------------------------------
def _probably_prime(n: int) -> bool:
    if n < 2:
        return False
    for small in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % small == 0:
            return n == small
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    rng = random.Random(n)
    for _ in range(32):
        x = pow(rng.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def _times_q_is_infinity(curve: GostCurve, x: int, y: int) -> bool:
    from desk_app.verify.gost import ec

    return ec.multiply(curve.q, (x, y), curve)[2] == 0


SPEC_OIDS = {
    "1.2.643.7.1.2.1.1.1": "id-tc26-gost-3410-2012-256-paramSetA",
    "1.2.643.7.1.2.1.1.2": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.7.1.2.1.1.3": "id-tc26-gost-3410-2012-256-paramSetC",
    "1.2.643.7.1.2.1.1.4": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.2.2.35.1": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.2.2.35.2": "id-tc26-gost-3410-2012-256-paramSetC",
    "1.2.643.2.2.35.3": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.2.2.36.0": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.2.2.36.1": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.7.1.2.1.2.1": "id-tc26-gost-3410-12-512-paramSetA",
    "1.2.643.7.1.2.1.2.2": "id-tc26-gost-3410-12-512-paramSetB",
    "1.2.643.7.1.2.1.2.3": "id-tc26-gost-3410-12-512-paramSetC",
}


def test_every_spec_oid_maps_to_its_curve():
    assert {oid: c.name for oid, c in CURVE_OIDS.items()} == SPEC_OIDS
    for oid, name in SPEC_OIDS.items():
        curve = curve_for_oid(oid)
        assert curve is not None and curve.name == name
        assert curve.bits == (512 if "-512-" in name else 256)
    for unknown in ("1.2.643.2.2.35.0", "1.2.643.2.2.36.2", "1.2.643.7.1.2.1.2.0", "1.2.840.10045.3.1.7", "", "x"):
        assert curve_for_oid(unknown) is None


@pytest.mark.parametrize("curve", ALL_CURVES, ids=lambda c: c.name)
def test_curve_parameters_are_sane(curve):
    assert curve.bits in (256, 512)
    assert _probably_prime(curve.p) and _probably_prime(curve.q)
    assert curve.p.bit_length() <= curve.bits and curve.q.bit_length() <= curve.bits
    assert curve.q.bit_length() > curve.bits - 4
    assert (4 * curve.a ** 3 + 27 * curve.b ** 2) % curve.p != 0  # non-singular
    assert (curve.y ** 2 - curve.x ** 3 - curve.a * curve.x - curve.b) % curve.p == 0
    assert _times_q_is_infinity(curve, curve.x, curve.y)
    assert curve.cofactor in (1, 4)
    # Hasse: the group order cofactor * q lies within p + 1 +- 2 sqrt(p).
    assert abs(curve.cofactor * curve.q - (curve.p + 1)) ** 2 <= 4 * curve.p


# gostcrypto names its 512-bit C set differently; it has no separate CryptoPro entries (they
# are the TC 26 256-bit B/C/D sets).
_ORACLE_NAME = {"id-tc26-gost-3410-12-512-paramSetC": "id-tc26-gost-3410-2012-512-paramSetC"}


def _oracle_curve(curve: GostCurve) -> dict:
    return gostsignature.CURVES_R_1323565_1_024_2019[_ORACLE_NAME.get(curve.name, curve.name)]


@pytest.mark.parametrize("curve", ALL_CURVES, ids=lambda c: c.name)
def test_curve_parameters_match_gostcrypto(curve):
    oracle = _oracle_curve(curve)
    for field in ("p", "a", "b", "q", "x", "y"):
        assert oracle[field] == getattr(curve, field), field
    assert oracle["m"] == curve.cofactor * curve.q


def test_twisted_edwards_sets_match_their_edwards_form():
    # R 1323565.1.024-2019 gives 256-A and 512-C as twisted Edwards curves (e, d, u, v); the
    # Weierstrass form follows from s = (e - d)/4, t = (e + d)/6 (the standard's map).
    for curve in ALL_CURVES:
        oracle = _oracle_curve(curve)
        if "e" not in oracle:
            continue
        p = curve.p
        s = (oracle["e"] - oracle["d"]) * pow(4, -1, p) % p
        t = (oracle["e"] + oracle["d"]) * pow(6, -1, p) % p
        assert curve.a == (s * s - 3 * t * t) % p
        assert curve.b == (2 * t ** 3 - t * s * s) % p
        u, v = oracle["u"], oracle["v"]
        assert curve.x == (s * (1 + v) * pow(1 - v, -1, p) + t) % p
        assert curve.y == s * (1 + v) * pow((1 - v) * u, -1, p) % p


# --- round trips and the oracle -------------------------------------------------------------
def _hash_for(curve: GostCurve):
    return streebog256 if curve.bits == 256 else streebog512


@pytest.mark.parametrize("curve", ALL_CURVES, ids=lambda c: c.name)
def test_sign_verify_round_trip(curve):
    d = generate_private_key(curve)
    key = GostPublicKey.from_octets(curve, public_key_octets(curve, d))
    digest = _hash_for(curve)(b"<SignedInfo>" + os.urandom(40))
    signature = sign_digest(curve, d, digest)
    assert key.verify_digest(digest, signature)
    other = _hash_for(curve)(b"<SignedInfo>tampered")
    assert not key.verify_digest(other, signature)
    other_key = GostPublicKey.from_octets(curve, public_key_octets(curve, generate_private_key(curve)))
    assert not other_key.verify_digest(digest, signature)


def _to_oracle_key(curve: GostCurve, octets: bytes) -> bytearray:
    size = curve.size
    return bytearray(octets[:size][::-1] + octets[size:][::-1])


def _from_oracle_signature(curve: GostCurve, sig: bytes) -> bytes:
    size = curve.size
    return bytes(sig[size:] + sig[:size])  # r || s -> s || r


def test_gostcrypto_conventions():
    """Pin down the oracle's byte orders with the standard's own example."""
    curve, v = EXAMPLE_256, EXAMPLE_256_VALUES
    oracle = gostsignature.new(gostsignature.MODE_256, dict(
        p=curve.p, a=curve.a, b=curve.b, m=curve.q, q=curve.q, x=curve.x, y=curve.y))
    sig = oracle.sign(bytearray(v["d"].to_bytes(32, "big")), bytearray(v["e"].to_bytes(32, "big")),
                      bytearray(v["k"].to_bytes(32, "big")))
    assert bytes(sig) == v["r"].to_bytes(32, "big") + v["s"].to_bytes(32, "big")
    pub = oracle.public_key_generate(bytearray(v["d"].to_bytes(32, "big")))
    assert bytes(pub) == v["qx"].to_bytes(32, "big") + v["qy"].to_bytes(32, "big")
    assert _oracle_hash("streebog256", M1) == streebog256(M1)


@pytest.mark.parametrize("curve", ALL_CURVES, ids=lambda c: c.name)
def test_cross_check_signatures_with_gostcrypto(curve):
    size = curve.size
    mode = gostsignature.MODE_256 if curve.bits == 256 else gostsignature.MODE_512
    oracle = gostsignature.new(mode, _oracle_curve(curve))
    digest = _hash_for(curve)(b"policy " + curve.name.encode())

    # gostcrypto signs, we verify.
    d = generate_private_key(curve)
    d_bytes = bytearray(d.to_bytes(size, "big"))
    oracle_pub = bytes(oracle.public_key_generate(bytearray(d_bytes)))
    ours_pub = public_key_octets(curve, d)
    assert _to_oracle_key(curve, ours_pub) == oracle_pub
    oracle_sig = bytes(oracle.sign(bytearray(d_bytes), bytearray(digest[::-1])))
    key = GostPublicKey.from_octets(curve, ours_pub)
    assert key.verify_digest(digest, _from_oracle_signature(curve, oracle_sig))
    assert not key.verify_digest(digest, oracle_sig)  # its r || s order is not ours

    # We sign, gostcrypto verifies.
    ours_sig = sign_digest(curve, d, digest)
    assert oracle.verify(bytearray(oracle_pub), bytearray(digest[::-1]),
                         bytearray(ours_sig[size:] + ours_sig[:size]))
    assert not oracle.verify(bytearray(oracle_pub), bytearray(digest), bytearray(ours_sig[size:] + ours_sig[:size]))


# --- wrong conventions never verify ---------------------------------------------------------
@pytest.fixture(scope="module", params=[c for c in ALL_CURVES if c.name.endswith(("256-paramSetB", "512-paramSetA"))],
                ids=lambda c: c.name)
def signed(request):
    curve = request.param
    d = generate_private_key(curve)
    octets = public_key_octets(curve, d)
    digest = _hash_for(curve)(b"<ds:SignedInfo>...</ds:SignedInfo>")
    signature = sign_digest(curve, d, digest)
    key = GostPublicKey.from_octets(curve, octets)
    assert key.verify_digest(digest, signature)
    return curve, d, octets, digest, signature, key


def test_wrong_conventions_never_verify(signed):
    curve, _d, octets, digest, signature, key = signed
    size = curve.size
    s, r = signature[:size], signature[size:]
    assert not key.verify_digest(digest, r + s)  # r || s
    assert not key.verify_digest(digest[::-1], signature)  # e read big-endian / reversed digest
    assert not key.verify_digest(digest, s[::-1] + r[::-1])  # little-endian s and r
    assert not key.verify_digest(digest, signature[::-1])
    # A big-endian public point is a different point: refused, or it does not verify.
    big_endian = octets[:size][::-1] + octets[size:][::-1]
    try:
        other = GostPublicKey.from_octets(curve, big_endian)
    except GostKeyError:
        pass
    else:
        assert not other.verify_digest(digest, signature)
    swapped = octets[size:] + octets[:size]  # Y || X
    try:
        other = GostPublicKey.from_octets(curve, swapped)
    except GostKeyError:
        pass
    else:
        assert not other.verify_digest(digest, signature)


def test_the_other_streebog_size_never_verifies(signed):
    curve, _d, _octets, _digest, signature, key = signed
    message = b"<ds:SignedInfo>...</ds:SignedInfo>"
    wrong = streebog512(message) if curve.bits == 256 else streebog256(message)
    assert not key.verify_digest(wrong, signature)
    assert not key.verify_digest(wrong[: curve.size], signature)  # a truncated 512 digest


def test_wrong_lengths_and_ranges_never_verify(signed):
    curve, _d, _octets, digest, signature, key = signed
    size = curve.size
    q = curve.q
    r = int.from_bytes(signature[size:], "big")
    s = int.from_bytes(signature[:size], "big")

    def sig(s_value: int, r_value: int) -> bytes:
        return s_value.to_bytes(size, "big") + r_value.to_bytes(size, "big")

    for bad in (b"", signature[:-1], signature + b"\x00", b"\x00" + signature, signature[:size],
                signature + signature):
        assert not key.verify_digest(digest, bad)
    for bad_digest in (b"", digest[:-1], digest + b"\x00", b"\x00" + digest):
        assert not key.verify_digest(bad_digest, signature)
    assert not key.verify_digest(digest, sig(0, r))
    assert not key.verify_digest(digest, sig(s, 0))
    assert not key.verify_digest(digest, sig(0, 0))
    assert not key.verify_digest(digest, sig(s + q, r) if s + q < 1 << (8 * size) else sig(q, r))
    assert not key.verify_digest(digest, sig(s, r + q) if r + q < 1 << (8 * size) else sig(s, q))
    assert not key.verify_digest(digest, sig(q, r))
    assert not key.verify_digest(digest, sig(s, q))
    assert not key.verify_digest(digest, b"\xff" * (2 * size))
    assert not key.verify_digest(digest, b"\x00" * (2 * size))


def test_verify_never_raises_on_any_bytes(signed):
    curve, _d, _octets, digest, signature, key = signed
    rng = random.Random(7091)
    size = curve.size
    for _ in range(200):
        bad_sig = rng.randbytes(rng.choice((0, 1, size, 2 * size - 1, 2 * size, 2 * size + 1)))
        bad_digest = rng.randbytes(rng.choice((0, size - 1, size, size + 1, 64)))
        assert key.verify_digest(bad_digest, bad_sig) is False
        assert key.verify_digest(digest, bad_sig) is False
    assert key.verify_digest(None, signature) is False  # type: ignore[arg-type]
    assert key.verify_digest(digest, "s||r") is False  # type: ignore[arg-type]
    assert key.verify_digest(digest, 12345) is False  # type: ignore[arg-type]
    assert key.verify_digest(memoryview(digest), bytearray(signature)) is True


def test_nothing_is_built_at_import():
    """Importing the package builds no table (app start-up time): they come on first use."""
    import subprocess
    import sys

    code = (
        "import desk_app.verify.gost as gost\n"
        "from desk_app.verify.gost import gost3410, streebog\n"
        "assert streebog._compress is None, 'Streebog tables built at import'\n"
        "assert not gost3410._base_points and not gost3410._key_cache, 'curve tables built at import'\n"
        "gost.streebog256(b'')\n"
        "assert streebog._compress is not None\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_from_octets_refuses_bad_keys(signed):
    curve, _d, octets, _digest, _signature, _key = signed
    size = curve.size
    for bad in (b"", octets[:-1], octets + b"\x00", octets[:size], octets * 2):
        with pytest.raises(GostKeyError):
            GostPublicKey.from_octets(curve, bad)
    with pytest.raises(GostKeyError):
        GostPublicKey.from_octets(curve, bytes(2 * size))  # infinity's usual encoding
    x = int.from_bytes(octets[:size], "little")
    y = int.from_bytes(octets[size:], "little")
    off_curve = x.to_bytes(size, "little") + ((y + 1) % curve.p).to_bytes(size, "little")
    with pytest.raises(GostKeyError):
        GostPublicKey.from_octets(curve, off_curve)
    # A coordinate >= p is not a field element even when it is congruent to a valid one.
    if x + curve.p < 1 << (8 * size):
        with pytest.raises(GostKeyError):
            GostPublicKey.from_octets(curve, (x + curve.p).to_bytes(size, "little") + octets[size:])
    assert issubclass(GostKeyError, ValueError)


@pytest.mark.parametrize("curve", [c for c in ALL_CURVES if c.cofactor != 1], ids=lambda c: c.name)
def test_from_octets_refuses_points_outside_the_order_q_subgroup(curve):
    # Find a curve point, then multiply by q: the result has order dividing the cofactor (> 1).
    from desk_app.verify.gost import ec

    p = curve.p
    assert p % 4 == 3  # square roots by one exponentiation
    x = 1
    while True:
        rhs = (x ** 3 + curve.a * x + curve.b) % p
        if pow(rhs, (p - 1) // 2, p) == 1:
            y = pow(rhs, (p + 1) // 4, p)
            small = ec.to_affine(ec.multiply(curve.q, (x, y), curve), p)
            if small is not None:
                break
        x += 1
    assert ec.on_curve(curve, *small)
    size = curve.size
    with pytest.raises(GostKeyError):
        GostPublicKey.from_octets(curve, small[0].to_bytes(size, "little") + small[1].to_bytes(size, "little"))


def test_public_key_is_immutable_and_round_trips(signed):
    curve, _d, octets, _digest, _signature, key = signed
    assert key.to_octets() == octets
    assert key.curve is curve
    with pytest.raises(AttributeError):
        key.x = 1  # type: ignore[misc]
    assert GostPublicKey.from_octets(curve, octets) == key


def test_signing_refuses_bad_input():
    curve = ALL_CURVES[1]
    d = generate_private_key(curve)
    with pytest.raises(ValueError):
        sign_digest(curve, d, b"\x00" * 64)
    with pytest.raises(ValueError):
        sign_digest(curve, 0, b"\x00" * 32)
    with pytest.raises(ValueError):
        sign_digest(curve, d, b"\x00" * 32, k=curve.q)
    with pytest.raises(ValueError):
        public_key_octets(curve, curve.q)
    # e == 0 mod q becomes 1: the all-zero digest still signs and verifies.
    key = GostPublicKey.from_octets(curve, public_key_octets(curve, d))
    assert key.verify_digest(b"\x00" * 32, sign_digest(curve, d, b"\x00" * 32))
    q_digest = curve.q.to_bytes(32, "little")
    assert key.verify_digest(q_digest, sign_digest(curve, d, b"\x01" + bytes(31)))


# --- the fast paths agree with the plain definition -------------------------------------------
def _reference_verify(curve: GostCurve, qx: int, qy: int, digest: bytes, signature: bytes) -> bool:
    """The standard's verification steps with plain double-and-add and affine x: the slow truth."""
    from desk_app.verify.gost import ec

    size = curve.size
    s = int.from_bytes(signature[:size], "big")
    r = int.from_bytes(signature[size:], "big")
    if not (0 < r < curve.q and 0 < s < curve.q):
        return False
    e = int.from_bytes(digest, "little") % curve.q or 1
    v = pow(e, -1, curve.q)
    c = ec.add(ec.multiply(s * v % curve.q, (curve.x, curve.y), curve),
               ec.multiply(-r * v % curve.q, (qx, qy), curve), curve.p, curve.a)
    point = ec.to_affine(c, curve.p)
    return point is not None and point[0] % curve.q == r


def _signature_cases(curve: GostCurve, d: int, digest: bytes, rng: random.Random) -> list[bytes]:
    good = sign_digest(curve, d, digest, k=1 + rng.randrange(curve.q - 1))
    size = curve.size
    r = int.from_bytes(good[size:], "big")
    s = int.from_bytes(good[:size], "big")
    return [good, good[size:] + good[:size], (s ^ 1).to_bytes(size, "big") + good[size:],
            good[:size] + ((r + 1) % curve.q or 1).to_bytes(size, "big")]


@pytest.mark.parametrize("curve", ALL_CURVES, ids=lambda c: c.name)
def test_every_path_of_verify_agrees_with_the_reference(curve, monkeypatch):
    """Base point and key each without a table (wNAF chain), building it, and with it: same answers."""
    from desk_app.verify.gost import gost3410

    monkeypatch.setitem(gost3410.TABLE_AFTER_USES, curve.bits, 1)
    rng = random.Random(curve.name)
    digest = _hash_for(curve)(curve.name.encode())

    def new_key_material():
        d = 1 + rng.randrange(curve.q - 1)
        return public_key_octets(curve, d), _signature_cases(curve, d, digest, rng)

    def check(key, cases, path):
        for i, sig in enumerate(cases):
            want = _reference_verify(curve, key.x, key.y, digest, sig)
            assert want == (i == 0)  # cases[0] is the good signature, the others are not
            assert key.verify_digest(digest, sig) == want, (path, sig.hex())

    # Signing uses the base point's table too: make every signature before the checks.
    (octets1, cases1), (octets2, cases2) = new_key_material(), new_key_material()
    monkeypatch.setattr(gost3410, "_base_points", {})
    key1 = GostPublicKey.from_octets(curve, octets1)
    base = gost3410._base_point(curve)
    check(key1, cases1[:1], "both cold")  # the first use: no tables
    assert base.table is None and key1._tables.table is None
    check(key1, cases1, "both build, then both tables")
    assert base.table is not None and key1._tables.table is not None
    key2 = GostPublicKey.from_octets(curve, octets2)
    check(key2, cases2[:1], "base table, key cold")
    assert key2._tables.table is None
    monkeypatch.setattr(gost3410, "_base_points", {})
    check(key1, cases1[:1], "base cold, key table")
    assert gost3410._base_point(curve).table is None
    assert GostPublicKey.from_octets(curve, octets1) is key1  # cached with its table


@pytest.mark.parametrize("bits", [256, 512])
def test_a_point_gets_its_table_after_the_configured_uses(bits, monkeypatch):
    from desk_app.verify.gost import gost3410

    curve = next(c for c in ALL_CURVES if c.bits == bits)
    threshold = gost3410.TABLE_AFTER_USES[bits]
    assert threshold >= 1
    d = generate_private_key(curve)
    digest = _hash_for(curve)(b"uses")
    signature = sign_digest(curve, d, digest)
    octets = public_key_octets(curve, d)  # signing counts as a use of the base point: do it first
    monkeypatch.setattr(gost3410, "_base_points", {})
    key = GostPublicKey.from_octets(curve, octets)
    for _ in range(threshold):
        assert key.verify_digest(digest, signature)
        assert key._tables.table is None and gost3410._base_point(curve).table is None
    assert key.verify_digest(digest, signature)
    assert key._tables.table is not None and gost3410._base_point(curve).table is not None
    assert key.verify_digest(digest, signature)


def test_prepare_builds_the_tables_ahead(monkeypatch):
    from desk_app.verify.gost import gost3410, prepare, streebog

    curve = ALL_CURVES[1]
    monkeypatch.setattr(gost3410, "_base_points", {})
    monkeypatch.setattr(streebog, "_compress", None)
    prepare(curve)
    assert gost3410._base_point(curve).table is not None
    assert streebog._compress is not None
    d = generate_private_key(curve)
    digest = streebog256(b"prepared")
    assert GostPublicKey.from_octets(curve, public_key_octets(curve, d)).verify_digest(
        digest, sign_digest(curve, d, digest))


@pytest.mark.parametrize("curve", [c for c in ALL_CURVES if c.cofactor != 1], ids=lambda c: c.name)
def test_r_from_an_x_coordinate_above_q(curve):
    """On cofactor-4 curves x(kG) may exceed q (p is about 4q): r = x mod q must still verify."""
    from desk_app.verify.gost import ec

    d = generate_private_key(curve)
    key = GostPublicKey.from_octets(curve, public_key_octets(curve, d))
    digest = _hash_for(curve)(b"x above q")
    seen = set()
    k = 2
    while len(seen) < 3 and k < 400:
        point = ec.to_affine(ec.multiply(k, (curve.x, curve.y), curve), curve.p)
        multiple = point[0] // curve.q
        if multiple and multiple not in seen:
            seen.add(multiple)
            signature = sign_digest(curve, d, digest, k=k)
            assert key.verify_digest(digest, signature)
            assert key.verify_digest(digest, signature)
            assert _reference_verify(curve, key.x, key.y, digest, signature)
        k += 1
    assert seen and max(seen) >= 2
