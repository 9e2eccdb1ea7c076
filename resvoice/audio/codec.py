"""G.711 mu-law <-> PCM16 (what Twilio media streams carry), with numpy lookup tables.

The tables follow the 16-bit form of the G.711 reference coder (bias 0x84, clip 32635): every
PCM16 sample maps to one 8-bit code and every code to one PCM16 value, so decoding then
re-encoding any code gives it back (except 0x7F, "negative zero", which comes back as 0xFF).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["mulaw_decode_table", "mulaw_encode_table", "mulaw_to_pcm16", "pcm16_to_mulaw"]

_BIAS = 0x84
_CLIP = 32635


def pcm16_to_mulaw(pcm: bytes) -> bytes:
    """Encode PCM16 little-endian samples as mu-law bytes (one byte per sample)."""
    out: bytes = _ENCODE_BITS[np.frombuffer(_even(pcm), dtype="<u2")].tobytes()
    return out


def mulaw_to_pcm16(ulaw: bytes) -> bytes:
    """Decode mu-law bytes to PCM16 little-endian samples."""
    return _DECODE[np.frombuffer(ulaw, dtype=np.uint8)].tobytes()


def mulaw_decode_table() -> npt.NDArray[np.int16]:
    """The decoder's table: PCM16 value of each mu-law code (index an array of codes)."""
    return _DECODE


def mulaw_encode_table() -> npt.NDArray[np.uint8]:
    """The encoder's table, indexed by a PCM16 sample's 16 bits read as unsigned (an int16
    array's `view(np.uint16)`): no widening copy and no offset per sample."""
    return _ENCODE_BITS


def _even(pcm: bytes) -> bytes:
    if len(pcm) % 2:
        raise ValueError(f"PCM16 audio must have an even number of bytes, got {len(pcm)}")
    return pcm


def _build_encode() -> npt.NDArray[np.uint8]:
    x = np.arange(-32768, 32768, dtype=np.int32)
    sign = np.where(x < 0, 0x80, 0x00)
    magnitude = np.minimum(np.abs(x), _CLIP) + _BIAS  # 132 .. 32767: 8 to 15 bits
    exponent = np.maximum(_bit_length(magnitude) - 8, 0)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    code: npt.NDArray[np.uint8] = (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8)
    return code


def _build_decode() -> npt.NDArray[np.int16]:
    code = ~np.arange(256, dtype=np.int32) & 0xFF
    exponent = (code >> 4) & 0x07
    magnitude = (((code & 0x0F) << 3) + _BIAS) << exponent
    return np.where(code & 0x80, _BIAS - magnitude, magnitude - _BIAS).astype("<i2")


def _bit_length(values: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    return np.floor(np.log2(values)).astype(np.int32) + 1


_ENCODE = _build_encode()  # indexed by sample + 32768
# the same codes indexed by the sample's bits as uint16: 0..32767 are themselves, -32768..-1
# are 32768..65535, half a turn round the table
_ENCODE_BITS = np.roll(_ENCODE, 32768)
_DECODE = _build_decode()
