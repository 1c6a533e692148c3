"""QR codes rendered as a webcam or phone would see them, for tests, benchmarks and demo videos.

`policy_like_xml` builds an unsigned document with the size and the byte mix of a real signed
policy (Cyrillic names, base64 signature and optionally an embedded certificate): decoders do
not care about signatures, only about density and bytes. `photograph` then places a rendered
code into a camera-sized frame with a perspective tilt, blur, noise, uneven light and JPEG
compression, all driven by a seed so every run sees the same images.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass

import cv2
import numpy as np
import qrcode
import qrcode.constants
import qrcode.exceptions

_EC_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def policy_like_xml(*, with_certificate: bool, seed: int = 0) -> bytes:
    """~1 KB (SKI only) or ~2.5 KB (embedded certificate) of policy-shaped UTF-8 XML."""
    rng = random.Random(seed)

    def b64(n: int) -> str:
        return base64.b64encode(rng.randbytes(n)).decode("ascii")

    key_info = (
        f"<ds:X509Certificate>{b64(1150)}</ds:X509Certificate>"
        if with_certificate
        else f"<ds:X509SKI>{b64(20)}</ds:X509SKI>"
    )
    number = "".join(rng.choice("0123456789") for _ in range(16))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Policy xmlns="urn:oms:epolicy:1" Version="1">'
        f"<Number>{number}</Number><Kind>permanent</Kind>"
        "<Holder><LastName>Щербакова-Ёлкина</LastName><FirstName>Анастасия</FirstName>"
        "<MiddleName>Владимировна</MiddleName><BirthDate>1987-03-14</BirthDate><Sex>F</Sex>"
        "<Snils>112-233-445 95</Snils></Holder>"
        '<Insurer Code="77011" Ogrn="1027739008440">АО «Страховая компания «СОГАЗ-Мед»</Insurer>'
        '<Region Okato="45">г. Москва</Region><ValidFrom>2021-01-01</ValidFrom>'
        "<IssuedAt>2024-05-06T10:11:12+03:00</IssuedAt>"
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
        '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
        '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
        '<ds:Reference URI=""><ds:Transforms>'
        '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
        '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
        '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
        f"<ds:DigestValue>{b64(32)}</ds:DigestValue></ds:Reference></ds:SignedInfo>"
        f"<ds:SignatureValue>{b64(256)}</ds:SignatureValue>"
        f"<ds:KeyInfo><ds:X509Data>{key_info}</ds:X509Data></ds:KeyInfo></ds:Signature></Policy>"
    ).encode()


def qr_matrix(payload: bytes | str, *, ec: str = "M") -> np.ndarray:
    """The module matrix (True = dark) with a 4-module quiet zone; str goes in alphanumeric mode.

    Falls back to level L when the payload is too big for `ec` (as an issuer would).
    """
    levels = [ec, "L"] if ec != "L" else ["L"]
    for level in levels:
        code = qrcode.QRCode(error_correction=_EC_LEVELS[level], border=4)
        code.add_data(payload, optimize=0)
        try:
            code.make(fit=True)
        except (ValueError, qrcode.exceptions.DataOverflowError):
            continue
        return np.array(code.get_matrix(), dtype=bool)
    raise ValueError(f"{len(payload)} characters do not fit in one QR code")


def render_clean(payload: bytes | str, *, module_px: int = 4, ec: str = "M") -> np.ndarray:
    """A crisp grayscale image of the code, `module_px` pixels per module."""
    matrix = qr_matrix(payload, ec=ec)
    image = np.where(matrix, 0, 255).astype(np.uint8)
    return np.kron(image, np.ones((module_px, module_px), dtype=np.uint8))


@dataclass(frozen=True)
class Shot:
    """How badly a code is photographed. Zero everywhere gives a clean, centred, straight code."""

    code_px: int = 600  # side of the code (with quiet zone) in the frame, before the tilt
    tilt: float = 0.0  # perspective: each corner moves up to this fraction of the side
    rotate_deg: float = 0.0
    blur_sigma: float = 0.0
    noise_sigma: float = 0.0
    light_gradient: float = 0.0  # 0..1: how much darker one side of the frame is
    jpeg_quality: int = 0  # 0 = no JPEG round trip
    contrast: float = 1.0  # <1 = greyish print


def photograph(
    clean: np.ndarray, shot: Shot, *, frame: tuple[int, int] = (1280, 720), seed: int = 0
) -> np.ndarray:
    """Place a clean code into a `frame` (width, height) as a camera would see it; returns gray."""
    rng = np.random.default_rng(seed)
    width, height = frame
    side = shot.code_px
    source = np.float32([[0, 0], [clean.shape[1], 0], [clean.shape[1], clean.shape[0]], [0, clean.shape[0]]])
    cx, cy = width / 2 + rng.uniform(-0.1, 0.1) * width, height / 2 + rng.uniform(-0.05, 0.05) * height
    angle = np.deg2rad(shot.rotate_deg)
    corners = np.float32([[-side / 2, -side / 2], [side / 2, -side / 2], [side / 2, side / 2], [-side / 2, side / 2]])
    corners += rng.uniform(-shot.tilt, shot.tilt, size=(4, 2)).astype(np.float32) * side
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], dtype=np.float32)
    target = corners @ rot.T
    # Keep the whole code in the frame (a person aims at the code): shrink if it is too big.
    margin = 12.0
    span = target.max(axis=0) - target.min(axis=0)
    target *= min(1.0, (width - 2 * margin) / span[0], (height - 2 * margin) / span[1])
    low, high = target.min(axis=0), target.max(axis=0)
    cx = float(np.clip(cx, margin - low[0], width - margin - high[0]))
    cy = float(np.clip(cy, margin - low[1], height - margin - high[1]))
    target = (target + np.float32([cx, cy])).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    paper = 235.0
    background = np.full((height, width), 120.0, dtype=np.float32)
    background += rng.normal(0, 12, size=(height // 16 + 1, width // 16 + 1)).repeat(16, 0).repeat(16, 1)[
        :height, :width
    ]
    code = clean.astype(np.float32) / 255.0
    code = 40.0 + code * (paper - 40.0)
    code = paper - (paper - code) * shot.contrast
    warped = cv2.warpPerspective(code, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=-1.0)
    mask = cv2.warpPerspective(
        np.ones_like(code), matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=0.0
    )
    image = background * (1 - mask) + np.where(warped < 0, 0, warped) * mask
    if shot.light_gradient:
        ramp = np.linspace(1.0, 1.0 - shot.light_gradient, width, dtype=np.float32)
        image *= ramp[np.newaxis, :] * np.linspace(1.0, 0.9, height, dtype=np.float32)[:, np.newaxis]
    if shot.blur_sigma:
        image = cv2.GaussianBlur(image, (0, 0), shot.blur_sigma)
    if shot.noise_sigma:
        image += rng.normal(0, shot.noise_sigma, size=image.shape).astype(np.float32)
    gray = np.clip(image, 0, 255).astype(np.uint8)
    if shot.jpeg_quality:
        ok, encoded = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, shot.jpeg_quality])
        if ok:
            gray = cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE)
    return gray


# A ladder of shots from easy to hard, used by the benchmark and the tests.
SHOT_LADDER: tuple[tuple[str, Shot], ...] = (
    ("clean", Shot()),
    ("tilted", Shot(tilt=0.06, rotate_deg=8)),
    ("blurred", Shot(tilt=0.04, rotate_deg=-5, blur_sigma=1.2)),
    ("noisy-jpeg", Shot(tilt=0.05, rotate_deg=12, noise_sigma=10, jpeg_quality=60)),
    ("uneven-light", Shot(tilt=0.05, rotate_deg=-15, light_gradient=0.6, contrast=0.7, blur_sigma=0.8)),
    ("small-far", Shot(code_px=420, tilt=0.04, rotate_deg=20, blur_sigma=0.7, jpeg_quality=75)),
    ("everything", Shot(tilt=0.08, rotate_deg=30, blur_sigma=1.4, noise_sigma=8, light_gradient=0.5,
                        jpeg_quality=50, contrast=0.8)),
)
