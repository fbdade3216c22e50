"""The one polite HTTP transport every collector sends its requests through: our User-Agent, a
rate limit per kind of request, one pause for every request after a 429 (for as long as
Retry-After asks), and retries with exponential backoff on errors and 5xx answers.

Both collectors use it: the web archive clients (scrapers/collect/archive.py: CDX listings and
captures) and the mailing list's own server (scrapers/collect/mailing_list.py). Waits go
through a `Politeness` object whose clock and sleep can be replaced in tests.

Why not urllib3's `Retry` on the session's adapter: it sleeps inside the connection pool, on
the real clock, and holds back only the request that met the 429. The Internet Archive asks
that every request wait after a 429 (it blocks addresses that keep going, and the block doubles
each time), the CDX listing and the captures alike, and tests need the clock replaceable. We
use `Retry` where it fits: reading the Retry-After header.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
import urllib3
from urllib3.exceptions import InvalidHeader
from urllib3.util import Retry

from bestbits.config import USER_AGENT

# -- the polite defaults, and why ----------------------------------------------------------------
# The Internet Archive's published limits are 60 CDX requests and 600 captures per minute;
# its staff asked clients to stay at 80% of a hard limit of 30/min for CDX. These are the
# defaults of EDGI's `wayback` (0.4/s and 8/s), used for every archive unless told otherwise.
DEFAULT_CDX_RATE = 0.4
DEFAULT_FETCH_RATE = 8.0
# Without Retry-After, wait a full minute: IA blocks addresses that keep going after a 429,
# and the block doubles each time.
DEFAULT_RATE_LIMIT_DELAY = 60.0
# A Retry-After of 0 still waits this long: a 429 is never answered by an immediate retry.
MIN_RATE_LIMIT_DELAY = 1.0
# 2, 4, 8, 16, 32 s: about a minute of patience for a flaky archive before giving up.
DEFAULT_RETRIES = 5
DEFAULT_BACKOFF = 2.0
# After this many 429s in a row for the same request, stop and tell the user to come back later.
DEFAULT_MAX_RATE_LIMITED = 3
DEFAULT_TIMEOUT = 60.0
# Answers worth another try: the server's (or its proxy's) passing trouble. Cloudflare's 52x
# sit in front of some archives.
RETRY_STATUSES = frozenset({500, 502, 503, 504, 520, 522, 524, 599})
# A Mailman host is a small shared machine: one request a second keeps a full run (~90 monthly
# files) under two minutes without loading it.
DEFAULT_LIVE_RATE = 1.0
# Three tries, 2 s then 4 s apart: enough for a hiccup, short enough to fall back to the web
# archive quickly when the list's host is gone for good.
LIVE_RETRIES = 2
LIVE_BACKOFF = 2.0
LIVE_TIMEOUT = 30.0
# Without a Retry-After, a 429 from a list server waits this long before the next try.
LIVE_RATE_LIMIT_DELAY = 30.0
LIVE_MAX_RATE_LIMITED = 2


# -- what callers see ------------------------------------------------------------------------------
class TransportError(Exception):
    """No usable answer came back; each subclass carries what a caller needs."""


class Unreachable(TransportError):
    """The host did not answer at all (no such name, refused, timed out after every retry)."""

    def __init__(self, address: str, cause: object = None):
        self.address = address
        self.cause = cause
        super().__init__(f"could not reach {address}" + (f" ({cause})" if cause else ""))


class GaveUp(TransportError):
    """A request that kept failing (5xx, timeouts, broken bodies) after every retry."""

    def __init__(self, address: str, reason: str):
        self.address = address
        self.reason = reason
        super().__init__(f"{address}: {reason}")


class RateLimited(TransportError):
    """The server kept answering 429 after each pause it asked for."""

    def __init__(self, retry_after: float, address: str = ""):
        self.retry_after = retry_after
        self.address = address
        super().__init__(f"{address or 'the server'} kept answering 429 (too many requests) "
                         f"after pausing {retry_after:g} s each time")


@dataclass
class Response:
    """An answer as it came: status, headers, and the body as sent (Content-Encoding not
    undone, so that a caller can notice a stream cut short)."""

    status: int
    headers: requests.structures.CaseInsensitiveDict
    body: bytes
    url: str


@dataclass
class TransportStats:
    """What the transport did, for summaries and benchmarks."""

    sent: Counter = field(default_factory=Counter)   # kind of request -> requests sent
    retries: int = 0
    rate_limited: int = 0
    paused_seconds: float = 0.0

    @property
    def requests(self) -> int:
        return sum(self.sent.values())


# -- politeness ------------------------------------------------------------------------------------
class Politeness:
    """The shared pause (after a 429) and the backoff schedule, with a replaceable clock.

    One `Politeness` is shared by every request to one server, so a 429 on a capture also
    holds back the CDX listing, and the other way round.
    """

    def __init__(self, *, retries: int = DEFAULT_RETRIES, backoff: float = DEFAULT_BACKOFF,
                 max_rate_limited: int = DEFAULT_MAX_RATE_LIMITED,
                 default_retry_after: float = DEFAULT_RATE_LIMIT_DELAY,
                 clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.retries = retries
        self.backoff = backoff
        self.max_rate_limited = max_rate_limited
        self.default_retry_after = default_retry_after
        if clock is None and sleep is not time.sleep:
            # A sleep of the caller's own (a test's, that returns at once) with the real clock
            # would leave a pause never over: the time it was asked to wait counts as passed.
            slept = [0.0]

            def moved_by_sleep(seconds: float, own_sleep=sleep) -> None:
                own_sleep(seconds)
                slept[0] += seconds

            clock, sleep = (lambda: time.monotonic() + slept[0]), moved_by_sleep
        self.clock = clock or time.monotonic
        self.sleep = sleep
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def pause(self, seconds: float) -> None:
        """Hold back every request for `seconds` from now."""
        with self._lock:
            self._paused_until = max(self._paused_until, self.clock() + seconds)

    def wait_if_paused(self) -> float:
        """Sleep until any pause has ended; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                remaining = self._paused_until - self.clock()
            if remaining <= 0:
                return waited
            self.sleep(remaining)
            waited += remaining

    def backoff_delay(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt` (1, 2, ...): backoff * 2^(attempt-1)."""
        return self.backoff * 2 ** (attempt - 1)


class RateLimit:
    """At most `per_second` calls per second (0 turns it off), on the politeness clock."""

    def __init__(self, per_second: float, politeness: Politeness):
        self.interval = 1.0 / per_second if per_second and per_second > 0 else 0.0
        self.politeness = politeness
        self._last = None

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.politeness.clock()
        if self._last is not None and now - self._last < self.interval:
            self.politeness.sleep(self.interval - (now - self._last))
        self._last = self.politeness.clock()


def retry_after_seconds(value: str | None, default: float) -> float:
    """Seconds a Retry-After header asks for (a number or an HTTP date); `default` when it is
    absent or unreadable."""
    if not value:
        return default
    try:
        return Retry().parse_retry_after(value)
    except InvalidHeader:
        pass
    try:  # a fraction of a second is not what RFC 9110 allows, but some servers send it
        return max(float(value), 0.0)
    except ValueError:
        return default


# -- the transport ---------------------------------------------------------------------------------
# Errors that may pass: the connection dropped or timed out, or a body arrived cut off.
_TRANSIENT_ERRORS = (requests.ConnectionError, requests.Timeout,
                     requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError,
                     urllib3.exceptions.ReadTimeoutError)


def _is_name_failure(error: BaseException) -> bool:
    """A host name that does not resolve will not resolve on retry either."""
    text = repr(error)
    return "NameResolutionError" in text or "Name or service not known" in text \
        or "nodename nor servname" in text


class PoliteTransport:
    """GET with the polite defaults.

    `limits` maps a kind of request ('cdx', 'fetch', 'page') to its rate limit.
    `rate_limit_errors` are exceptions a session raises for a 429 of its own (EDGI `wayback`'s
    RateLimitError), with a `retry_after` attribute; `transient_errors` are more exceptions
    worth a retry. By default bodies come as sent and redirects are answers (what an archive
    client needs: it checks every body and records every archived redirect);
    `follow_redirects` and `decoded_bodies` give what a plain download needs.
    A subclass may raise errors of its own kind (the same arguments) through `unreachable`,
    `gave_up` and `rate_limited`.
    """

    unreachable: type[Exception] = Unreachable
    gave_up: type[Exception] = GaveUp
    rate_limited: type[Exception] = RateLimited

    def __init__(self, session: requests.Session, politeness: Politeness,
                 limits: Mapping[str, RateLimit] | None = None, *,
                 timeout: float = DEFAULT_TIMEOUT, stats: TransportStats | None = None,
                 rate_limit_errors: tuple[type[BaseException], ...] = (),
                 transient_errors: tuple[type[BaseException], ...] = (),
                 follow_redirects: bool = False, decoded_bodies: bool = False):
        self.session = session
        self.politeness = politeness
        self.limits = dict(limits or {})
        self.timeout = timeout
        self.stats = stats if stats is not None else TransportStats()
        self.rate_limit_errors = rate_limit_errors
        self.transient_errors = _TRANSIENT_ERRORS + transient_errors
        self.follow_redirects = follow_redirects
        self.decoded_bodies = decoded_bodies

    @classmethod
    def with_user_agent(cls, session: requests.Session | None, politeness: Politeness,
                        limits: Mapping[str, RateLimit] | None = None, **options
                        ) -> PoliteTransport:
        """A transport over `session` (a new one if None) that says who we are."""
        session = session if session is not None else requests.Session()
        session.headers["User-Agent"] = USER_AGENT
        return cls(session, politeness, limits, **options)

    def get(self, url: str, kind: str = "fetch", params: dict | None = None) -> Response:
        """The answer to GET `url`: any status but a 429 or a retried 5xx, after every wait
        politeness asks for. Raises Unreachable, GaveUp or RateLimited when none came."""
        address = f"{url}?{urlencode(params)}" if params else url
        attempt = 0
        rate_limited = 0
        while True:
            self.stats.paused_seconds += self.politeness.wait_if_paused()
            limit = self.limits.get(kind)
            if limit is not None:
                limit.wait()
            self.stats.sent[kind] += 1
            try:
                response = self._send(url, params)
            except self.rate_limit_errors as exc:  # the session met a 429 itself
                retry_after = float(getattr(exc, "retry_after", None)
                                    or self.politeness.default_retry_after)
            except self.transient_errors as exc:
                cause = getattr(exc, "cause", exc)
                if _is_name_failure(cause):
                    raise self.unreachable(url.split("/", 3)[2] if "://" in url else url,
                                           cause) from exc
                attempt += 1
                if attempt > self.politeness.retries:
                    if isinstance(cause, (requests.ConnectionError, requests.Timeout)) and \
                            not isinstance(cause, requests.exceptions.ChunkedEncodingError):
                        raise self.unreachable(address, cause) from exc
                    raise self.gave_up(address, f"failed after {attempt} tries: {cause}") from exc
                self._back_off(attempt)
                continue
            else:
                if "Memento-Datetime" in response.headers:
                    # An archived response (an archived 429 or 503 page): a capture, served,
                    # never a live rate limit or outage (as EDGI's `wayback` decides).
                    return response
                if response.status == 429:
                    retry_after = retry_after_seconds(response.headers.get("Retry-After"),
                                                      self.politeness.default_retry_after)
                elif response.status in RETRY_STATUSES:
                    attempt += 1
                    if attempt > self.politeness.retries:
                        raise self.gave_up(address,
                                           f"HTTP {response.status} after {attempt} tries")
                    self._back_off(attempt)
                    continue
                else:
                    return response
            # A 429: hold back every request, then try this one again (never at once, even
            # when Retry-After says 0).
            retry_after = max(retry_after, MIN_RATE_LIMIT_DELAY)
            rate_limited += 1
            self.stats.rate_limited += 1
            self.politeness.pause(retry_after)
            if rate_limited > self.politeness.max_rate_limited:
                raise self.rate_limited(retry_after, address)

    def _back_off(self, attempt: int) -> None:
        self.stats.retries += 1
        self.politeness.sleep(self.politeness.backoff_delay(attempt))

    def _send(self, url: str, params: dict | None) -> Response:
        response = self.session.get(url, params=params, stream=True,
                                    allow_redirects=self.follow_redirects, timeout=self.timeout)
        try:
            if self.decoded_bodies:
                body = response.content
            else:
                # The bytes as sent: undoing gzip ourselves lets us notice a cut-off stream.
                body = (response.raw.read(decode_content=False) if response.raw is not None
                        else b"")
                if body is None:  # a response already read by the session (e.g. a 429)
                    body = response.content
        finally:
            response.close()
        return Response(response.status_code, response.headers, body or b"", response.url)
