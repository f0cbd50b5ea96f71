"""Personal data in survey exports: find it by column name and by value, and drop it.

Survey platforms put personal data in every export: Qualtrics adds ``RecipientEmail``,
``RecipientFirstName``, ``RecipientLastName``, ``IPAddress``, ``LocationLatitude`` and
``LocationLongitude``; SurveyMonkey ``IP Address``, ``Email Address``, ``First Name`` and
``Last Name``; Google Forms ``Email Address``. None of it is needed for the analyses, and none of
it may reach ``data/processed/``, ``runs/`` or a figure, so :func:`drop_pii` removes it before
anything else sees the data and says what it removed and why.

Rules
-----
**By name.** A column name is split into lower-case tokens at ``_``, ``-``, spaces, dots,
brackets and CamelCase boundaries, acronyms included (``IPAddress`` -> ``ip, address``;
``RecipientEmail`` -> ``recipient, email``; ``Location Latitude`` -> ``location, latitude``).
``e-mail``/``E_Mail`` are read as one token ``email``, ``IPv4``/``IPv6`` as ``ipv4``/``ipv6``.
A short name (a field name or column id) is personal when its tokens contain

- a *strong* token, personal wherever it appears: ``email``, ``phone``, ``telephone``,
  ``surname``, ``firstname``/``lastname``/``fullname``/``username`` (and fused forms ending
  in them, e.g. ``recipientemail``), ``recipient``, ``street``, ``postcode``, ``zip``,
  ``zipcode``, ``ssn``, ``dob``, ``birthdate``, ``birthday``, ``ip``, ``ipv4``, ``ipv6``,
  ``latitude``, ``longitude``, ``gps``; or ``address`` (unless it is a ``web``/``url``/``mac``
  address);
- a *weak* token that is personal only alone or next to a word that makes it so. The rule
  for ``name``: **a bare ``name`` token is personal only on its own or with a person word**
  (``first``, ``last``, ``full``, ``given``, ``family``, ``middle``, ``your``, ``customer``,
  ``client``, ``contact``, ``respondent``, ``person``, ``employee``, ``user``, ``manager``,
  ``member``, ``participant``, ``patient``, ``recipient``...), so ``Name``,
  ``customer_name`` and ``RecipientFirstName`` are personal but ``store_name``,
  ``product_name`` and ``company_name`` are not. Likewise ``tel``, ``mobile``, ``cell``,
  ``fax`` alone or with ``number``/``no``/``nr`` (``mobile_app_usage`` is not personal);
  ``lat``, ``lon``, ``lng`` alone or with ``location``/``geo``/``coordinates``;
  ``location`` with ``coordinates`` (``store_location`` is not personal); ``birth`` with
  ``date``/``day``; ``social security``, ``postal``/``zip code``, ``mail address``.

Question text used as a column name (Google Forms, SurveyMonkey: a ``?`` or more than six
words) is matched only against explicit phrases -- ``phone number``, ``your name``,
``e-mail address``, ``your e-mail``, ``date of birth``, ``home address``, ``zip code``... --
so ``"Did we address your issue?"`` or the answer option ``"Which channels did you use? -
Phone"`` are not taken for personal data (their values are still checked).

Not personal by name: ``region``, ``channel``, ``store_location``, ``nps``, ``csat``, a
``respondent_id``, Qualtrics' ``ResponseId``, ``Duration (in seconds)``, ``Progress``,
``Finished``, ``StartDate``, ``DistributionChannel``, ``UserLanguage``, a ``birth_year``
(an age proxy analyses may need) and ``ExternalReference``/``ExternalDataReference``.
The external reference is Qualtrics' field for the contact's id in the sender's own system
(a CRM key): pseudonymous like ``respondent_id``, and the key a study needs to link answers to
behaviour, so it is kept by name; if it holds e-mails or phone numbers the value rules drop it.

**By value** (text columns only; numbers are never value-checked). The first ``sample``
non-missing values are tested; a column is personal when more than half of them are

- e-mail addresses (``name@domain.tld``);
- phone numbers: 8-15 digits written only with digits, spaces and ``( ) . -``, with a
  leading ``+`` or at least one of that punctuation between digits; plain numbers (an integer
  id), decimals, dates (``2024-05-01``) and IP addresses are not phone numbers;
- IPv4 or IPv6 addresses (parsed by :mod:`ipaddress`);
- a latitude/longitude pair in one cell (``"52.52, 13.405"``: two decimals with at least two
  decimal places each, within -90..90 and -180..180).

Numeric latitude/longitude columns are recognised by name only (a column of numbers between
-90 and 90 could be anything). A text column where fewer than half of the values are personal,
but some answers *contain* an e-mail address or a phone number (``"call me on +44 20 7946
0018"`` in an open-text answer), is kept and those addresses and numbers are replaced by
``[e-mail]`` and ``[phone]`` (``action="redact"``).

Example
-------
>>> import pandas as pd
>>> data = pd.DataFrame({"ResponseId": ["R_1", "R_2"], "RecipientEmail": ["a@example.org", ""],
...                      "IPAddress": ["192.0.2.1", "192.0.2.7"], "Q1": [9, 6]})
>>> clean, found = drop_pii(data)
>>> clean.columns.tolist()
['ResponseId', 'Q1']
>>> [(f.column, f.reason, f.evidence) for f in found]
[('RecipientEmail', 'email', "name token 'email'"), ('IPAddress', 'ip_address', "name token 'ip'")]
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import require_frame

__all__ = [
    "PiiFinding",
    "drop_pii",
    "name_tokens",
    "pii_columns",
    "redact_text",
]

# -- name rules ---------------------------------------------------------------------------------

#: strong tokens: personal wherever they appear in a name -> reason
_STRONG: dict[str, str] = {
    "email": "email",
    "emailaddress": "email",
    "phone": "phone",
    "telephone": "phone",
    "phonenumber": "phone",
    "cellphone": "phone",
    "mobilephone": "phone",
    "surname": "person_name",
    "firstname": "person_name",
    "lastname": "person_name",
    "fullname": "person_name",
    "givenname": "person_name",
    "familyname": "person_name",
    "middlename": "person_name",
    "username": "person_name",
    "recipient": "person_name",
    "street": "postal_address",
    "postcode": "postal_address",
    "postalcode": "postal_address",
    "zip": "postal_address",
    "zipcode": "postal_address",
    "ssn": "national_id",
    "dob": "birth_date",
    "birthdate": "birth_date",
    "birthday": "birth_date",
    "dateofbirth": "birth_date",
    "ip": "ip_address",
    "ipaddress": "ip_address",
    "ipv4": "ip_address",
    "ipv6": "ip_address",
    "latitude": "geolocation",
    "longitude": "geolocation",
    "gps": "geolocation",
    "geolocation": "geolocation",
}
#: fused lower-case names ending in one of these are personal (``recipientemail``)
_FUSED_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("emailaddress", "email"),
    ("email", "email"),
    ("phonenumber", "phone"),
    ("telephone", "phone"),
    ("firstname", "person_name"),
    ("lastname", "person_name"),
    ("fullname", "person_name"),
    ("surname", "person_name"),
    ("ipaddress", "ip_address"),
    ("latitude", "geolocation"),
    ("longitude", "geolocation"),
    ("zipcode", "postal_address"),
    ("postcode", "postal_address"),
    ("postalcode", "postal_address"),
    ("dateofbirth", "birth_date"),
    ("birthdate", "birth_date"),
)
#: words that make a bare ``name`` a person's name
_PERSON: frozenset[str] = frozenset({
    "first", "last", "full", "given", "family", "middle", "maiden", "nick", "sur", "customer",
    "client", "contact", "respondent", "person", "employee", "user", "manager", "member",
    "participant", "patient", "recipient", "guest", "buyer", "owner",
})
_NUMBER_WORDS: frozenset[str] = frozenset({"number", "no", "nr", "num", "phone"})
_GEO_WORDS: frozenset[str] = frozenset({"location", "geo", "coordinates", "coordinate",
                                        "coords", "gps", "lat", "lon", "lng", "latitude",
                                        "longitude"})
# tokens that carry no meaning for the rules (digits, brackets' content such as "optional")
_FILLER: frozenset[str] = frozenset({"of", "the", "your", "in", "optional", "if", "you", "a",
                                     "to", "for", "and", "or", "is", "what", "s"})

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def name_tokens(name: Any) -> list[str]:
    """Split a column name into lower-case tokens (snake, kebab, spaces, dots, CamelCase).

    Acronyms stay whole (``IPAddress`` -> ``ip, address``); ``e-mail`` is one token
    ``email``; ``IPv4``/``IPv6`` are ``ipv4``/``ipv6``.

    Parameters
    ----------
    name : Any
        A column name (not text: converted with ``str``).

    Returns
    -------
    list of str

    Examples
    --------
    >>> name_tokens("IPAddress"), name_tokens("RecipientEmail"), name_tokens("Location Latitude")
    (['ip', 'address'], ['recipient', 'email'], ['location', 'latitude'])
    >>> name_tokens("e-mail"), name_tokens("Duration (in seconds)"), name_tokens("ipv6_addr")
    (['email'], ['duration', 'in', 'seconds'], ['ipv6', 'addr'])
    """
    text = str(name)
    text = re.sub(r"(?i)\be[-_. ]?mail(?-i:(?![a-z]))", " email ", text)
    text = re.sub(r"(?i)ip[-_ ]?v([46])", r" ipv\1 ", text)
    tokens: list[str] = []
    for part in re.split(r"[^A-Za-z0-9]+", text):
        if not part:
            continue
        if re.fullmatch(r"(?i)ipv[46]|email", part):
            tokens.append(part.lower())
            continue
        tokens.extend(t.lower() for t in _CAMEL.findall(part))
    return tokens


def _phrases(words: list[str]) -> list[tuple[str, str]]:
    """Explicit two- and three-word phrases that ask for personal data."""
    found: list[tuple[str, str]] = []
    pairs = list(itertools.pairwise(words))
    for a, b in pairs:
        if b == "address" and a in {"email", "mail"}:
            found.append(("email", f"name tokens {a!r} + 'address'"))
        elif b in {"number", "no", "nr"} and a in {"phone", "telephone", "mobile", "cell",
                                                    "tel", "fax", "contact"}:
            found.append(("phone", f"name tokens {a!r} + {b!r}"))
        elif b == "name" and a in _PERSON | {"your", "my"}:
            found.append(("person_name", f"name tokens {a!r} + 'name'"))
        elif b == "address" and a in {"ip", "home", "street", "postal", "mailing", "billing",
                                      "shipping", "delivery", "your", "my"}:
            reason = "ip_address" if a == "ip" else "postal_address"
            found.append((reason, f"name tokens {a!r} + 'address'"))
        elif b == "code" and a in {"zip", "postal", "post"}:
            found.append(("postal_address", f"name tokens {a!r} + 'code'"))
        elif a in {"your", "my"} and b in {"email", "phone", "telephone", "mobile", "surname",
                                           "postcode", "zipcode", "zip", "birthday",
                                           "birthdate", "dob", "ssn"}:
            found.append((_STRONG.get(b, "phone"), f"name tokens {a!r} + {b!r}"))
        elif (a, b) == ("social", "security"):
            found.append(("national_id", "name tokens 'social' + 'security'"))
    for a, b, c in zip(words, words[1:], words[2:]):
        if (a, b, c) == ("date", "of", "birth"):
            found.append(("birth_date", "name tokens 'date' + 'of' + 'birth'"))
    return found


def _is_question(name: Any, words: list[str]) -> bool:
    """Question text as a column name (Google Forms, SurveyMonkey): a '?' or over 6 words."""
    return "?" in str(name) or len(words) > 6


def _name_reason(name: Any) -> tuple[str, str] | None:
    """(reason, evidence) if the column name marks personal data, else None.

    Short names (ids, field names) go through every rule. Question text used as a name
    (``"Did you contact us by phone?"``) goes only through the explicit phrases
    (``phone number``, ``your name``, ``e-mail address``, ``date of birth``...), so that an
    answer option such as ``"Which channels did you use? - Phone"`` is not taken for a phone
    number; its values are still checked.
    """
    words = [t for t in name_tokens(name) if not t.isdigit()]
    if not words:
        return None
    if _is_question(name, words):
        found = _phrases(words)
    else:
        found = _phrases(words)
        ws = {w for w in words if w not in _FILLER}
        for t in words:
            if t in _STRONG:
                found.append((_STRONG[t], f"name token {t!r}"))
        if ws == {"name"}:
            found.append(("person_name", "name token 'name' on its own"))
        if "address" in ws and not ws & {"web", "url", "mac", "server", "wallet"}:
            found.append(("postal_address", "name token 'address'"))
        for weak in ("tel", "mobile", "cell", "fax"):
            if weak in ws and ws <= {weak} | _NUMBER_WORDS:
                found.append(("phone", f"name token {weak!r}"))
        for weak in ("lat", "lon", "lng"):
            if weak in ws and ws <= _GEO_WORDS:
                found.append(("geolocation", f"name token {weak!r}"))
        if "location" in ws and ws & {"coordinates", "coordinate", "coords"}:
            found.append(("geolocation", "name tokens 'location' + 'coordinates'"))
        if "birth" in ws and ws & {"date", "day"}:
            found.append(("birth_date", "name tokens 'birth' + 'date'"))
        if not found:
            fused = str(name).lower()
            if re.fullmatch(r"[a-z]+", fused):
                for suffix, reason in _FUSED_SUFFIXES:
                    if fused.endswith(suffix) and fused != suffix:
                        found.append((reason, f"name ends in {suffix!r}"))
                        break
    if not found:
        return None
    # the most specific reason: an e-mail or IP address over a postal address, a person's name
    # over a bare 'recipient'
    priority = ["email", "ip_address", "phone", "national_id", "birth_date", "geolocation",
                "person_name", "postal_address"]
    found.sort(key=lambda rf: (priority.index(rf[0]), rf[1] == "name token 'recipient'",
                               "tokens" in rf[1]))
    return found[0]


# -- value rules --------------------------------------------------------------------------------

_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE_CHARS = re.compile(r"^\+?[\d\s().-]+$")
_PHONE_IN_TEXT = re.compile(r"(?<![\w.:/-])\+?\(?\d[\d\s().-]{5,}\d(?![\w:/])")
_DATE = re.compile(r"^(\d{4}([./-])\d{1,2}\2\d{1,2}|\d{1,2}([./-])\d{1,2}\3\d{2,4})$")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_LATLON = re.compile(r"^\(?\s*(-?\d{1,2}\.\d{2,})\s*[,;]\s*(-?\d{1,3}\.\d{2,})\s*\)?$")


def _is_phone(v: str) -> bool:
    if not _PHONE_CHARS.match(v) or _PLAIN_NUMBER.match(v) or _DATE.match(v) or _is_ip(v):
        return False
    digits = sum(ch.isdigit() for ch in v)
    if not 8 <= digits <= 15:
        return False
    return v.startswith("+") or bool(re.search(r"\d[\s().-]+\d|^\(\d", v))


def _is_ip(v: str) -> bool:
    if not re.fullmatch(r"[0-9A-Fa-f:.]+", v) or ("." not in v and ":" not in v):
        return False
    try:
        ipaddress.ip_address(v)
    except ValueError:
        return False
    return True


def _is_latlon(v: str) -> bool:
    m = _LATLON.match(v)
    return bool(m) and abs(float(m.group(1))) <= 90 and abs(float(m.group(2))) <= 180


_VALUE_KINDS: tuple[tuple[str, str, Any], ...] = (
    ("email", "e-mail addresses", lambda v: bool(_EMAIL.match(v))),
    ("phone", "phone numbers", _is_phone),
    ("ip_address", "IP addresses", _is_ip),
    ("geolocation", "latitude/longitude pairs", _is_latlon),
)


def _is_text(s: pd.Series) -> bool:
    return (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)) and not (
        pd.api.types.is_bool_dtype(s)
    )


def _sample_text(s: pd.Series, sample: int) -> list[str]:
    vals = [str(v).strip() for v in s.dropna().head(sample * 2).tolist()]
    return [v for v in vals if v][:sample]


def _value_reason(s: pd.Series, sample: int) -> tuple[str, str] | None:
    vals = _sample_text(s, sample)
    if not vals:
        return None
    counts = {kind: sum(1 for v in vals if test(v)) for kind, _, test in _VALUE_KINDS}
    total = sum(1 for v in vals if any(test(v) for _, _, test in _VALUE_KINDS))
    if total * 2 <= len(vals):
        return None
    hits = [(counts[k], k, what) for k, what, _ in _VALUE_KINDS if counts[k]]
    hits.sort(key=lambda h: -h[0])
    parts = [f"{what} ({n} of {len(vals)})" for n, _, what in hits]
    return hits[0][1], "values look like " + " and ".join(parts)


def _embedded(s: pd.Series, sample: int) -> tuple[str, str] | None:
    vals = _sample_text(s, sample)
    n_mail = sum(1 for v in vals if _EMAIL_IN_TEXT.search(v))
    n_phone = sum(1 for v in vals if any(_is_phone(m.group(0).strip())
                                         for m in _PHONE_IN_TEXT.finditer(v)))
    if not (n_mail or n_phone):
        return None
    parts = []
    if n_mail:
        parts.append(f"e-mail addresses ({n_mail} of {len(vals)})")
    if n_phone:
        parts.append(f"phone numbers ({n_phone} of {len(vals)})")
    return ("email" if n_mail >= n_phone else "phone"), "text contains " + " and ".join(parts)


def redact_text(text: Any) -> Any:
    """Replace e-mail addresses and phone numbers inside free text by ``[e-mail]``/``[phone]``.

    Parameters
    ----------
    text : Any
        A cell of a free-text column.

    Returns
    -------
    Any
        The text with those replaced; missing values and non-text values come back unchanged.

    Examples
    --------
    >>> redact_text("Great staff. Call me on +44 20 7946 0018 or mail jo@example.org.")
    'Great staff. Call me on [phone] or mail [e-mail].'
    >>> redact_text("Order 12345678 arrived on 2024-05-01")
    'Order 12345678 arrived on 2024-05-01'
    """
    if not isinstance(text, str):
        return text
    out = _EMAIL_IN_TEXT.sub("[e-mail]", text)

    def _phone(m: re.Match[str]) -> str:
        raw = m.group(0)
        core = raw.rstrip(" .-")
        return "[phone]" + raw[len(core):] if _is_phone(core.strip()) else raw

    return _PHONE_IN_TEXT.sub(_phone, out)


# -- public API ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PiiFinding(Result):
    """One column found to hold personal data.

    Parameters
    ----------
    column : str
        The column's name.
    reason : str
        One of ``email``, ``phone``, ``person_name``, ``postal_address``, ``national_id``,
        ``birth_date``, ``ip_address``, ``geolocation``.
    evidence : str
        What was seen (``"name token 'email'"``, ``"values look like e-mail addresses (37 of
        40)"``).
    action : {"drop", "redact"}
        ``"drop"`` (the column goes) or ``"redact"`` (the column stays, with the e-mail
        addresses and phone numbers inside its text replaced).

    Examples
    --------
    >>> f = PiiFinding("RecipientEmail", "email", "name token 'email'")
    >>> f.summary()
    "RecipientEmail: email (name token 'email'), dropped"
    >>> f.to_frame().columns.tolist()
    ['column', 'reason', 'evidence', 'action']
    """

    column: str
    reason: str
    evidence: str
    action: str = "drop"

    def to_dict(self) -> dict[str, str]:
        """The finding as a plain dict (for ``read_report`` and JSON)."""
        return asdict(self)

    def to_frame(self) -> pd.DataFrame:
        """The finding as a one-row frame."""
        return pd.DataFrame([self.to_dict()])

    def summary(self) -> str:
        """``'RecipientEmail: email (name token 'email'), dropped'``."""
        verb = "dropped" if self.action == "drop" else "redacted"
        return f"{self.column}: {self.reason} ({self.evidence}), {verb}"


def pii_columns(
    data: pd.DataFrame, *, check_values: bool = True, sample: int = 1000
) -> list[PiiFinding]:
    """The columns of ``data`` that hold personal data, by name and (for text) by value.

    Parameters
    ----------
    data : DataFrame
        The table as read; not modified.
    check_values : bool
        Also test the values of text columns (e-mails, phones, IP addresses, coordinates)
        and look for e-mails and phone numbers inside free text.
    sample : int
        How many non-missing values of each text column to test (the first ones, so the result
        is deterministic).

    Returns
    -------
    list of PiiFinding
        In column order; ``action="drop"`` for personal columns, ``"redact"`` for free text
        that contains e-mail addresses or phone numbers. The rules are in the module docstring.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"store_name": ["North"], "contact": ["+1 202-555-0143"],
    ...                   "respondent_id": ["10000001"], "nps": [9]})
    >>> [f.summary() for f in pii_columns(d)]
    ['contact: phone (values look like phone numbers (1 of 1)), dropped']
    """
    require_frame(data)
    if isinstance(sample, bool) or not isinstance(sample, int):
        raise TypeError(f"sample must be an int, got {type(sample).__name__}")
    found: list[PiiFinding] = []
    for col in data.columns:
        by_name = _name_reason(col)
        if by_name:
            found.append(PiiFinding(str(col), *by_name))
            continue
        if not check_values:
            continue
        s = data[col]
        if isinstance(s, pd.DataFrame) or not _is_text(s):
            continue
        by_value = _value_reason(s, max(sample, 1))
        if by_value:
            found.append(PiiFinding(str(col), *by_value))
            continue
        inside = _embedded(s, max(sample, 1))
        if inside:
            found.append(PiiFinding(str(col), *inside, action="redact"))
    return found


def drop_pii(
    data: pd.DataFrame,
    keep: Iterable[str] = (),
    *,
    check_values: bool = True,
    sample: int = 1000,
) -> tuple[pd.DataFrame, list[PiiFinding]]:
    """A copy of ``data`` without its personal columns, and what was removed and why.

    Columns named in ``keep`` are left alone (and not reported), e.g. the analysis columns of a
    study's contract. Free-text columns that merely *contain* e-mail addresses or phone numbers
    are kept with those replaced by ``[e-mail]``/``[phone]`` (see :func:`redact_text`).

    Parameters
    ----------
    data : DataFrame
        The table as read; not modified.
    keep : iterable of str
        Columns to leave alone.
    check_values, sample
        As in :func:`pii_columns`.

    Returns
    -------
    tuple of (DataFrame, list of PiiFinding)
        The copy, and one finding per column dropped or redacted.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"Name": ["Jo Bloggs"], "comment": ["mail me: jo@example.org"],
    ...                   "csat": [5]})
    >>> out, found = drop_pii(d)
    >>> out.to_dict("list")
    {'comment': ['mail me: [e-mail]'], 'csat': [5]}
    >>> [(f.column, f.action) for f in found]
    [('Name', 'drop'), ('comment', 'redact')]
    """
    require_frame(data)
    keep_set = {str(k) for k in ([keep] if isinstance(keep, str) else keep)}
    findings = [f for f in pii_columns(data, check_values=check_values, sample=sample)
                if f.column not in keep_set]
    drop = [f.column for f in findings if f.action == "drop"]
    out = data.drop(columns=[c for c in data.columns if str(c) in set(drop)])
    for f in findings:
        if f.action == "redact":
            cols = [c for c in out.columns if str(c) == f.column]
            for c in cols:
                out[c] = out[c].map(redact_text, na_action="ignore")
    return out, findings


def _findings_frame(findings: Iterable[PiiFinding]) -> pd.DataFrame:
    """The findings as a tidy frame: column, reason, evidence, action.

    >>> _findings_frame([PiiFinding("IPAddress", "ip_address", "name token 'ip'")]).shape
    (1, 4)
    """
    rows = [f.to_dict() for f in findings]
    return pd.DataFrame(rows, columns=["column", "reason", "evidence", "action"])
