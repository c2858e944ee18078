#!/usr/bin/env python3
"""Checks a ledger proof bundle with nothing but Python 3's standard library.

    python3 verify_bundle.py BUNDLE.json LOG.pub

Exit 0 and "proven: ..." when the checkpoint's signature, every inclusion path (or the
consistency proof), and the records' case, order and versions all hold; otherwise exit 1 and
one line "NOT proven: ..." naming what failed. Written from Docs/PROOFS.md alone, as a third
party would: RFC 9162 section 2.1 for the tree, C2SP signed-note and tlog-checkpoint for the
checkpoint, RFC 8032 section 6 (its reference code) for Ed25519.
"""
import base64
import hashlib
import json
import sys


class NotProven(Exception):
    pass


# --- Ed25519 verification (RFC 8032 section 6) ----------------------------------------------

P = 2**255 - 19
Q = 2**252 + 27742317777372353535851937790883648493


def _inv(x):
    return pow(x, P - 2, P)


D = -121665 * _inv(121666) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a, b):
    x = (a[1] - a[0]) * (b[1] - b[0]) % P
    y = (a[1] + a[0]) * (b[1] + b[0]) % P
    c = 2 * a[3] * b[3] * D % P
    d = 2 * a[2] * b[2] % P
    e, f, g, h = y - x, d - c, d + c, y + x
    return (e * f, g * h, f * g, e * h)


def _mul(s, point):
    result = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            result = _add(result, point)
        point = _add(point, point)
        s >>= 1
    return result


def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _recover_x(y, sign):
    if y >= P:
        return None
    x2 = (y * y - 1) * _inv(D * y * y + 1)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


def _decompress(s):
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


_GY = 4 * _inv(5) % P
_G = (_recover_x(_GY, 0), _GY, 1, _recover_x(_GY, 0) * _GY % P)


def ed25519_verify(public, message, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= Q:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % Q
    return _equal(_mul(s, _G), _add(r, _mul(h, a)))


# --- The tree (RFC 9162 section 2.1) --------------------------------------------------------

def leaf_hash(record):
    return hashlib.sha256(b"\x00" + record).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion(leaf, index, size, path):
    """RFC 9162 2.1.3.2; None when the path has the wrong shape."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def consistent(old_size, old_root, new_size, new_root, proof):
    """RFC 9162 2.1.4.2."""
    if old_size > new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == hashlib.sha256(b"").digest()
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


# --- Checkpoints (C2SP tlog-checkpoint, signed-note) ----------------------------------------

def b64(text, what):
    try:
        return base64.b64decode(text, validate=True)
    except Exception:
        raise NotProven(f"{what} is not base64")


def read_public_key(path):
    line = open(path, encoding="utf-8").read().strip()
    if not line.startswith("ed25519:"):
        raise NotProven("public key file must be one line 'ed25519:' + base64 of 32 bytes")
    key = b64(line[len("ed25519:"):], "public key")
    if len(key) != 32:
        raise NotProven("public key is not 32 bytes")
    return key


def check_checkpoint(text, public):
    """Returns (origin, size, root) when a signature by `public` verifies."""
    split = text.rfind("\n\n")
    if split < 0:
        raise NotProven("checkpoint has no blank line before its signature")
    body = text[:split + 1]
    lines = body[:-1].split("\n")
    if len(lines) != 3:
        raise NotProven("checkpoint body must be origin, size, root")
    origin, size_text, root_text = lines
    if not size_text.isdigit():
        raise NotProven("checkpoint size is not a number")
    size, root = int(size_text), b64(root_text, "checkpoint root")
    if len(root) != 32:
        raise NotProven("checkpoint root is not 32 bytes")
    key_id = hashlib.sha256(origin.encode() + b"\n\x01" + public).digest()[:4]
    verified = False
    for line in text[split + 2:].rstrip("\n").split("\n"):
        if not line.startswith("\u2014 "):
            raise NotProven("checkpoint signature line must start with an em dash")
        name, _, sig_text = line[2:].partition(" ")
        blob = b64(sig_text, "signature")
        if name != origin or blob[:4] != key_id:
            continue  # another signer's line (a witness, say)
        if len(blob) != 68 or not ed25519_verify(public, body.encode(), blob[4:]):
            raise NotProven("checkpoint signature does not verify with the given public key")
        verified = True
    if not verified:
        raise NotProven(f"checkpoint has no signature by the given public key for origin {origin}")
    return origin, size, root


# --- Records (Docs/ENCODING.md) -------------------------------------------------------------

def record_fields(record):
    """(version, case number) from a stored record's bytes."""
    if not record:
        raise NotProven("an empty record")
    if record[0] == 2:
        version_at, case_at = 4, 32
    elif record[0] == 1:
        version_at, case_at = 2, 14
    else:
        raise NotProven(f"record format {record[0]} is unknown")
    if len(record) <= case_at or len(record) < case_at + 1 + record[case_at] + 64:
        raise NotProven("a record is too short")
    version = int.from_bytes(record[version_at:version_at + 4], "little")
    case = record[case_at + 1:case_at + 1 + record[case_at]].decode("utf-8", "replace")
    return version, case


def check(bundle, public):
    if bundle.get("format") != "ledger-proof-bundle/1":
        raise NotProven("not a ledger-proof-bundle/1 document")
    origin, size, root = check_checkpoint(bundle["checkpoint"], public)
    if bundle["kind"] == "consistency":
        old_size_text, _, old_hex = bundle["old"].partition(":")
        old_size, old_root = int(old_size_text), bytes.fromhex(old_hex)
        proof = [b64(h, "proof hash") for h in bundle["proof"]]
        if not consistent(old_size, old_root, size, root, proof):
            raise NotProven(f"the log of {size} records does not extend the log of {old_size} records")
        return f"proven: {origin} at size {size} extends {bundle['old']}"
    if bundle["kind"] != "inclusion":
        raise NotProven("kind is neither inclusion nor consistency")
    records = bundle["records"]
    if not records:
        raise NotProven("an inclusion bundle with no records")
    previous = 0
    for expected, r in enumerate(records):
        seq, record = r["seq"], b64(r["record"], "record")
        if r["leafIndex"] != seq - 1:
            raise NotProven(f"record seq {seq}: leafIndex is not seq - 1")
        path = [b64(h, "path hash") for h in r["path"]]
        if root_from_inclusion(leaf_hash(record), seq - 1, size, path) != root:
            raise NotProven(f"record seq {seq}: its bytes and path do not lead to the checkpoint's root")
        if seq <= previous:
            raise NotProven(f"record seq {seq}: not after the record before it")
        version, case = record_fields(record)
        if case != bundle["case"]:
            raise NotProven(f"record seq {seq}: belongs to case {case}")
        if version != expected or r["version"] != version:
            raise NotProven(f"record seq {seq}: version {version} where {expected} was expected")
        previous = seq
    return f"proven: case {bundle['case']}, {len(records)} event(s), in {origin} at size {size}"


def main(argv):
    if len(argv) != 3:
        print("usage: verify_bundle.py BUNDLE.json LOG.pub", file=sys.stderr)
        return 2
    try:
        public = read_public_key(argv[2])
        with open(argv[1], encoding="utf-8") as f:
            bundle = json.load(f)
        print(check(bundle, public))
        return 0
    except NotProven as failure:
        print(f"NOT proven: {failure}")
    except (KeyError, TypeError, ValueError) as error:
        print(f"NOT proven: bundle is malformed ({error!r})")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
