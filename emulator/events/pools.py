"""Vocabulary pools drawn from Faker once per seed, so that building an event costs no Faker call.

Faker is slow per call (~65 µs for a name); a few hundred calls up front and random choices
afterwards give realistic text at a tiny per-event cost.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

LOCALES = ("en_US", "de_DE", "fr_FR", "ja_JP", "pt_BR")
LANGUAGES = {"en_US": "en", "de_DE": "de", "fr_FR": "fr", "ja_JP": "ja", "pt_BR": "pt"}
PER_LOCALE = 24  # names / sentences per locale: enough variety, cheap to build

# Client SDK identifiers as Stream's request_info shows them (`sdk` field).
SDKS = (
    "stream-chat-react-11.23.0-stream-chat-javascript-client-browser-8.40.0",
    "stream-chat-android-6.4.3",
    "stream-chat-swift-4.63.0",
    "stream-chat-flutter-8.2.0",
    "stream-chat-python-4.33.0",
)
REACTION_TYPES = ("like", "love", "haha", "wow", "sad", "fire")
CHANNEL_TYPES = ("messaging", "messaging", "team", "livestream", "commerce", "gaming")
ROLES = ("user", "user", "user", "user", "admin", "moderator", "guest")
TEAMS = ("blue", "red", "support", "sales")


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    slug: str  # ASCII, for ids: Stream ids allow only letters, digits, @, _ and -
    language: str


@dataclass(frozen=True)
class Pools:
    people: tuple[Person, ...]
    sentences: tuple[str, ...]
    words: tuple[str, ...]
    user_agents: tuple[str, ...]
    ips: tuple[str, ...]
    image_urls: tuple[str, ...]
    file_names: tuple[str, ...]
    urls: tuple[str, ...]
    companies: tuple[str, ...]
    countries: tuple[str, ...]
    colors: tuple[str, ...]


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = "".join(c for c in folded.lower() if c.isalnum())
    return slug or "user"


def _people(fake, locale: str) -> list[Person]:
    lang = LANGUAGES[locale]
    out = []
    for _ in range(PER_LOCALE):
        if locale == "ja_JP":
            # Kanji names do not fold to ASCII: the romanized reading of the same name gives
            # the id slug. Japanese order: family name first.
            (given, _, roman), (family, _, _) = fake.first_name_pair(), fake.last_name_pair()
            first, last, slug = family, given, _ascii_slug(roman)
        else:
            first, last = fake.first_name(), fake.last_name()
            slug = _ascii_slug(first)
        out.append(Person(first, last, slug, lang))
    return out


def _text(fake) -> list[str]:
    short = [fake.sentence(nb_words=4) for _ in range(PER_LOCALE // 2)]
    longer = [fake.paragraph(nb_sentences=2) for _ in range(PER_LOCALE // 4)]
    return short + longer


@functools.lru_cache(maxsize=8)
def pools_for(seed: int) -> Pools:
    """Build (once per seed, cached) the pools; deterministic for a given seed and Faker."""
    from faker import Faker  # imported lazily: `import faker` costs ~65 ms

    people, sentences, words, agents, ips, images, files, urls, companies = ([] for _ in range(9))
    countries, colors = [], []
    for i, locale in enumerate(LOCALES):
        fake = Faker(locale)
        fake.seed_instance(seed * 31 + i)
        people += _people(fake, locale)
        sentences += _text(fake)
        words += [fake.word() for _ in range(PER_LOCALE)]
        agents += [fake.user_agent() for _ in range(4)]
        ips += [fake.ipv4_public() for _ in range(6)] + [fake.ipv6()]
        images += [fake.image_url() for _ in range(3)]
        files += [fake.file_name(category="office") for _ in range(4)]
        urls += [fake.url() + fake.uri_path() for _ in range(3)]
        companies += [fake.company() for _ in range(3)]
        countries += [fake.country_code() for _ in range(3)]
        colors += [fake.hex_color() for _ in range(3)]
    return Pools(
        tuple(people), tuple(sentences), tuple(words), tuple(agents), tuple(ips),
        tuple(images), tuple(files), tuple(urls), tuple(companies), tuple(countries),
        tuple(colors),
    )
