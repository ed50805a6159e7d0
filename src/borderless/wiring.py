"""The one place that builds Borderless's services from settings and a database.

`Services` builds each service once, on first use, and shares it: the API keeps one on
`app.state.services` for the life of the process (FastAPI lifespan), each CLI command makes one.
Model backends come from one `BackendPool`, so a model is loaded once per process however many
services use it: the LLM that writes copy is the one the translation router prompts and the one
the support assistant translates with (three separate loads made the service grow to 11.8 GB
under load before).

Batch workers (Ray) build `Services(settings, database=None)`: they need models, not the shop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from borderless.backends.registry import BackendPool
from borderless.config import Settings
from borderless.errors import BorderlessError, InvalidInput, ModelUnavailable, NotFound

if TYPE_CHECKING:
    from borderless.backends.base import Embedder, ImageModel
    from borderless.backends.local.dictionaries import DictionaryTranslator
    from borderless.backends.query_cache import QueryTranslator
    from borderless.capabilities.catalog.money import Rate
    from borderless.capabilities.copywrite import CopyWriter
    from borderless.capabilities.images.library import ImageLibrary
    from borderless.capabilities.lifecycle.loop import Lifecycle
    from borderless.capabilities.lifecycle.monitor import Monitor
    from borderless.capabilities.localize.desk import TranslationDesk
    from borderless.capabilities.localize.protect import Glossary
    from borderless.capabilities.profiles.profile import Profiles
    from borderless.capabilities.recommend.refits import Line
    from borderless.capabilities.recommend.shop import CustomerPicks, ShopRecommendations
    from borderless.capabilities.reviews.sentiment import SentimentModel
    from borderless.capabilities.risk.shop import ShopRisk
    from borderless.capabilities.search.shop import Found, SearchFilter, ShopSearch
    from borderless.capabilities.support.assistant import Assistant, ProductMatch
    from borderless.capabilities.support.intents import IntentModel
    from borderless.capabilities.support.store import IntentStore
    from borderless.storage import Database

__all__ = ["Services"]

T = TypeVar("T")


class Services:
    """Every service of one shop, each built once from `settings` on first use."""

    def __init__(self, settings: Settings, database: Database | None = None) -> None:
        self.settings = settings
        self.backends = BackendPool(settings)
        self._database = database
        self._made: dict[str, Any] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._profiles_reviews: tuple[int, int, int] | None = None  # what their tags read
        self._versions: dict[str, str] = {}  # task -> the model version loaded and serving
        self._failed: dict[str, str] = {}  # task -> a promoted version that would not load
        self.model_errors: dict[str, str] = {}  # task -> why the promoted version is not serving
        self._next_check = 0.0

    # -- plumbing ------------------------------------------------------------------------------

    def _once(self, name: str, build: Callable[[], T]) -> T:
        """`build()` the first time `name` is asked for; later callers wait for that build."""
        if name in self._made:
            found: T = self._made[name]
            return found
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._made:
                with self.backends.using():
                    self._made[name] = build()
            made: T = self._made[name]
            return made

    def built(self) -> list[str]:
        """Names of the services built so far (for readiness checks)."""
        return sorted(self._made)

    def being_built(self, name: str) -> bool:
        """Whether `name` is being built by another caller right now (not built yet)."""
        lock = self._locks.get(name)
        return name not in self._made and lock is not None and lock.locked()

    @property
    def db(self) -> Database:
        if self._database is None:
            raise InvalidInput("this job has no shop database", field="database_url")
        return self._database

    def close(self) -> None:
        if "search" in self._made:
            self._made["search"].close()  # stops following the catalog
        self._made.clear()

    # -- search and recommendations -------------------------------------------------------------

    @property
    def search(self) -> ShopSearch:
        """Product search; the index is saved in the data folder and shared by the processes on
        this shop (memory-mapped), and follows catalog writes made by any of them."""
        return self._once("search", self._build_search)

    def _build_search(self) -> ShopSearch:
        from borderless.backends.cache import CachedEmbedder
        from borderless.capabilities.search.shop import ShopSearch
        from borderless.storage.catalog import products_with_categories
        from borderless.storage.catalog_state import watched_generation
        from borderless.storage.localize import translated_titles
        from borderless.storage.vectors import PgVectorIndex, pgvector_available

        db = self.db
        inner = self.backends.embedder(self.settings.search_embeddings)
        cache = self.settings.data_dir / "cache" / "embeddings.sqlite"
        embedder = CachedEmbedder(inner, cache)
        vectors = PgVectorIndex(db.engine, embedder) if pgvector_available(db.engine) else None
        queries = self.query_translator(lambda text: search.familiarity(text))
        across = self.settings.search_crosslingual.strip()
        search = ShopSearch(
            lambda: products_with_categories(db),
            embedder,
            vectors,
            lambda: translated_titles(db),
            queries,
            CachedEmbedder(self.backends.embedder(across), cache) if across else None,
            saved=self.settings.data_dir / "cache" / "search",
            generation=lambda: watched_generation(db),
            record=self._search_built,
        )
        return search

    def _search_built(
        self, version: str, parameters: dict[str, Any], data: dict[str, Any], seconds: float
    ) -> None:
        """Record a saved search index in the registry (record only: no promotion); the same
        documents under the same embedders are the same version. No labelled queries are read,
        so its metrics say so rather than measure."""
        from borderless.capabilities.lifecycle.loop import Trained

        try:  # Lifecycle.record keeps a version already recorded as it was
            metrics = {"labelled_queries": 0, "note": "no held-out measure: no labelled queries"}
            folder = self.settings.data_dir / "cache" / "search" / str(data["fingerprint"])
            trained = Trained(version, folder, metrics, parameters, data, round(seconds, 3))
            self.lifecycle.record("search", trained, "build: search index")
        except BorderlessError as exc:  # the index answers; only its record failed
            self.model_errors["search"] = exc.message

    def dictionaries(
        self, prefer: Callable[[str], float] | None = None
    ) -> DictionaryTranslator | None:
        """Word-by-word glosses into English from the installed dictionaries, or None."""
        from borderless.backends.local.dictionaries import DictionaryTranslator, installed_sources

        folder = Path(self.settings.dictionaries) if self.settings.dictionaries.strip() else None
        if folder is None or not installed_sources(folder):
            return None
        return DictionaryTranslator(folder, self.settings.data_dir / "cache", prefer)

    @property
    def lexicon(self) -> DictionaryTranslator | None:
        """The installed dictionaries as one lexicon per process: the verdict's meaning check of
        short translations from English (capabilities/verdict/meaning.py)."""
        return self._once("lexicon", self.dictionaries)

    def query_translator(self, prefer: Callable[[str], float] | None = None) -> QueryTranslator:
        """Foreign search queries into the catalog's language: the translation desk where its
        route is quick (cached), else word-by-word glosses from the installed dictionaries,
        choosing among a word's senses by `prefer` (the catalog's words)."""
        from borderless.backends.query_cache import QueryTranslator, quick_routes

        dictionary = self.dictionaries(prefer)

        def gloss(query: str, source: str, target: str) -> str | None:
            if dictionary is None or not dictionary.supports(source, target):
                return None
            return dictionary.translate(query, source, target)

        # The translation memory where there is a shop database; a job without one (a
        # benchmark, `search evaluate` on files) still gets the engine, not a failure.
        memory = self._database is not None

        def route(source: str, target: str) -> str:
            return self.desk(quality=False, memory=False).engine_for(source, target)

        return QueryTranslator(
            lambda texts, source, target: [
                t.text
                for t in self.desk(quality=False, memory=memory).translate(texts, source, target)
            ],
            self.settings.data_dir / "cache" / "query_translations.sqlite",
            quick_routes(route),
            gloss,
            engine=route,
        )

    @property
    def recommendations(self) -> ShopRecommendations:
        """Recommendations from the shop's sales; out-of-stock SKUs are never offered."""
        return self._once("recommendations", self._build_recommendations)

    def customer_picks(self, customer_id: str, k: int) -> CustomerPicks:
        """Picks for a stored customer (NotFound for an unknown one), a new customer's from
        what sold in their market (the API, the customer page and the CLI alike)."""
        from borderless.storage.catalog import skus_sold_in
        from borderless.storage.sales import get_customer

        country = get_customer(self.db, customer_id).get("country")
        market = (lambda: skus_sold_in(self.db, country)) if country else None
        return self.recommendations.for_customer(customer_id, k, market)

    def _build_recommendations(self) -> ShopRecommendations:
        from borderless.capabilities.recommend.shop import ShopRecommendations
        from borderless.storage.sales import out_of_stock, purchase_history

        db = self.db

        def sellable() -> Callable[[str], bool]:
            gone = out_of_stock(db)
            return lambda sku: sku not in gone

        recommendations = ShopRecommendations(
            lambda: purchase_history(db), sellable, self._recommendations_fitted
        )
        if self.settings.monitoring:
            from borderless.capabilities.lifecycle.signals import watch_recommendations

            watch_recommendations(recommendations, self.monitor)
        return recommendations

    def _recommendations_fitted(self, lines: Sequence[Line]) -> str | None:
        """Record a recommender refit in the registry (its last-basket Recall@10 on a sample,
        the model, the orders it learnt from); a refit on the same sales is the same version."""
        import json

        from borderless.capabilities.lifecycle.loop import Trained
        from borderless.capabilities.recommend.refits import (
            MODEL,
            last_basket_recall,
            refit_data,
            refit_version,
        )
        from borderless.storage.registry import get_version

        try:
            data = refit_data(lines)
            version = refit_version(data)
            try:
                get_version(self.db, "recommendations", version)
                return version
            except NotFound:
                pass
            started = time.perf_counter()
            metrics = last_basket_recall(lines)
            card = self.settings.models_dir / "recommendations" / f"{version}.json"
            card.parent.mkdir(parents=True, exist_ok=True)
            shown = {"version": version, "parameters": MODEL, "data": data, "metrics": metrics}
            card.write_text(json.dumps(shown, indent=2), encoding="utf-8")
            trained = Trained(version, card, metrics, dict(MODEL), data,
                              round(time.perf_counter() - started, 3))  # fmt: skip
            self.lifecycle.record("recommendations", trained, "refit: recommendations")
        except BorderlessError as exc:  # the refit answers; only its record failed
            self.model_errors["recommendations"] = exc.message
            return None
        return version

    @property
    def risk(self) -> ShopRisk:
        """Order risk, fitted on the shop's orders on first use; models in models_dir/risk.
        It scores with the registry's active version; one promoted since is swapped in."""
        if "risk" in self._made:
            self.refresh_models()
        return self._once("risk", self._build_risk)

    def _build_risk(self) -> ShopRisk:
        from borderless.capabilities.risk.lifecycle import version_number
        from borderless.capabilities.risk.shop import ShopRisk
        from borderless.storage.risk import load_order_records

        db = self.db
        risk = ShopRisk(
            lambda: load_order_records(db),
            self.settings.models_dir / "risk",
            on_trained=self._risk_trained,
        )
        try:
            found = self.lifecycle.active_model("risk")
            if found is not None:
                risk.use(version_number(Path(f"{found[0]}.json")), found[1])
        except BorderlessError as exc:  # files gone or corrupted: the newest saved one
            self.model_errors["risk"] = exc.message
        return risk

    def _risk_trained(self, card: dict[str, Any], path: Path) -> None:
        """Every risk version trained (CLI, API, dashboard) is registered and made active."""
        from borderless.capabilities.risk.lifecycle import trained_risk

        self.lifecycle.register("risk", trained_risk(card, path), created_by="risk train")

    # -- translation and copy -------------------------------------------------------------------

    def desk(
        self,
        glossary: Glossary | None = None,
        *,
        quality: bool = True,
        memory: bool = True,
        candidates: int = 1,
        redraws: int = 2,
    ) -> TranslationDesk:
        """A translation desk on the shared engines; light to make, so one per glossary.

        `memory` reads staff corrections from the shop database; workers without one pass False
        and their caller applies the memory first. With a shop database the stored glossary is
        used, `glossary` (a request's, a run's file) laid over it. `candidates` > 1 adds that
        many minus one sampled LLM answers per segment, the best by quality estimate kept
        (quality-aware reranking; it needs `quality`). `redraws`: how many sampled LLM answers
        a segment whose answer lost a number may get before it goes with placeholders (none for
        Bergamot or Apertium, which answer the same each time).
        """
        from borderless.capabilities.localize.desk import TranslationDesk
        from borderless.storage.localize import memory_lookup

        glossary = self.glossary(glossary)
        with self.backends.using():
            translator = self.backends.translator(self.settings.translator)
            estimator = self.backends.embedder(self.settings.embeddings) if quality else None
        lookup = None
        if memory:
            db = self.db
            lookup = lambda s, t, texts: memory_lookup(db, s, t, texts)  # noqa: E731
        from borderless.backends.sampling import sampled

        rivals = [v for seed in range(1, candidates) if (v := sampled(translator, seed))]
        # Seeds of their own, so a redraw never repeats a reranking candidate's answer.
        again = [v for seed in range(101, 101 + redraws) if (v := sampled(translator, seed))]
        desk = TranslationDesk(translator, estimator, lookup, glossary, rivals, again,
                               background=self.catalog_languages,
                               lexicon=self.lexicon)  # fmt: skip
        if quality and self.settings.monitoring:
            # Translations a seller publishes or sends; the quick ones for reading (search
            # queries, review quotes) are asked for without an estimate and not counted.
            from borderless.capabilities.lifecycle.signals import watch_translations

            watch_translations(desk, self.monitor)
        return desk

    def catalog_languages(self) -> dict[str, float] | None:
        """The languages of the shop's titles (language.catalog_votes), read once per process
        (about 0.5 s for 400 titles); None without a shop database or before any product."""
        if self._database is None:
            return None
        if "catalog_languages" not in self._made:
            from borderless.capabilities.language import catalog_votes
            from borderless.storage.catalog import some_titles

            titles = some_titles(self._database)
            if not titles:
                return None  # asked again once products are imported
            try:
                self._made["catalog_languages"] = catalog_votes(titles)
            except ModelUnavailable:  # no language detector installed: no background
                self._made["catalog_languages"] = {}
        votes: dict[str, float] = self._made["catalog_languages"]
        return votes or None

    def glossary(self, over: Glossary | None = None) -> Glossary | None:
        """The shop's stored glossary with `over` laid on top (None when both are empty);
        without a shop database, `over` alone."""
        if self._database is None:
            return over
        from borderless.storage.glossary import stored_glossary

        merged = stored_glossary(self._database).merged(over)
        return merged if merged.terms else None

    @property
    def copywriter(self) -> CopyWriter:
        return self._once("copywriter", self._build_copywriter)

    def _build_copywriter(self) -> CopyWriter:
        from borderless.capabilities.catalog.attributes import load_vocabulary
        from borderless.capabilities.copywrite import CopyWriter, Templates

        writer = CopyWriter(
            self.backends.generator(self.settings.generator),
            load_vocabulary(self.settings.copy_vocabulary),
            Templates(self.settings.copy_templates),
        )
        if self.settings.monitoring:
            from borderless.capabilities.lifecycle.signals import watch_copy

            watch_copy(writer, self.monitor)
        return writer

    # -- support --------------------------------------------------------------------------------

    @property
    def intent_store(self) -> IntentStore:
        from borderless.capabilities.support.store import IntentStore

        return IntentStore(self.settings.models_dir / "intents")

    def intent_embedders(self, specs: str | None = None) -> list[Embedder]:
        names = [s.strip() for s in (specs or self.settings.intent_embeddings).split(",")]
        names = [n for n in names if n]
        if not names:
            raise InvalidInput("name at least one embedder for intent models", field="embeddings")
        return [self.backends.embedder(name) for name in names]

    def load_intent_model(self, folder: Path) -> IntentModel:
        """A saved model with the embedders its card names (for our backends, name == spec)."""
        from borderless.capabilities.support.intents import IntentModel, read_card

        specs = ",".join(read_card(folder)["embedders"])
        return IntentModel.load(folder, self.intent_embedders(specs))

    def intent_model(self) -> IntentModel:
        """The active intent model: the registry's, with a shop database; else the stored
        current one. The first time, the default one is trained, stored and registered."""
        from borderless.capabilities.support.intents import train_intents
        from borderless.capabilities.support.lifecycle import trained_intents
        from borderless.capabilities.support.seed import (
            DEFAULT_SOURCE,
            DEFAULTS_EDITION,
            seed_examples,
        )

        def outdated(found: IntentModel) -> bool:
            """A default model trained from an older edition of the default examples (the
            13 languages' requests of 2026-12-04 never reached a shop that had trained its
            default before): trained again. A seller's own model is never replaced."""
            card = found.card
            return (
                str(card.get("source", "")).startswith(DEFAULT_SOURCE)
                and card.get("defaults") != DEFAULTS_EDITION
            )

        store = self.intent_store
        if self._database is not None:
            active: IntentModel | None = self._active_model("intents")
            if active is not None and not outdated(active):
                return active
        folder = store.current()
        model = self.load_intent_model(folder) if folder is not None else None
        note = "adopted: stored before the registry"
        if model is None or outdated(model):
            retrained = model is not None
            seed = seed_examples(self.settings.shared_data_dir)
            model = train_intents(seed, self.intent_embedders())
            model.card["source"] = DEFAULT_SOURCE
            model.card["defaults"] = DEFAULTS_EDITION
            folder = store.save(model)
            note = (f"default, trained again: edition {DEFAULTS_EDITION} of the default examples"
                    if retrained else "default, trained on first use")  # fmt: skip
        assert folder is not None  # stored above, or loaded from it
        self._versions["intents"] = str(model.card["version"])
        if self._database is not None and "intents" not in self.model_errors:
            self.lifecycle.adopt("intents", trained_intents(model, folder, None), note)
        return model  # already in memory, with its embedders loaded

    @property
    def assistant(self) -> Assistant:
        """Built on first use (the default intent model trains once, about a minute); a version
        promoted in the registry since then is swapped in (see refresh_models)."""
        if "assistant" in self._made:
            self.refresh_models()
        return self._once("assistant", self._build_assistant)

    # -- model lifecycle --------------------------------------------------------------------------

    @property
    def lifecycle(self) -> Lifecycle:
        """The model registry and the tasks that have joined it (docs/lifecycle.md)."""
        from borderless.capabilities.images.lifecycle import ImageTask
        from borderless.capabilities.lifecycle.loop import Lifecycle, ModelTask
        from borderless.capabilities.reviews.lifecycle import SentimentTask
        from borderless.capabilities.reviews.sentiment import train_sentiment
        from borderless.capabilities.risk.lifecycle import RiskTask
        from borderless.capabilities.support.intents import train_intents
        from borderless.capabilities.support.lifecycle import IntentTask
        from borderless.storage.registry import ShopRegistry

        intents = IntentTask(
            self.load_intent_model,
            lambda examples: train_intents(examples, self.intent_embedders()),
            self.intent_store,
        )
        sentiment = SentimentTask(
            self.load_sentiment_model,
            lambda examples, source: train_sentiment(
                examples, self.intent_embedders(self.settings.sentiment_embeddings), source
            ),
            self.sentiment_store,
        )
        risk = RiskTask(lambda: self._once("risk", self._build_risk))
        images = ImageTask(self.image_model, self.settings.models_dir / "images")
        tasks: dict[str, ModelTask] = {
            "intents": intents, "sentiment": sentiment, "risk": risk, "images": images
        }  # fmt: skip
        return Lifecycle(ShopRegistry(self.db), tasks, self.settings.mlflow_uri)

    def check_corrected(self, task: str) -> str:
        """`task` when staff corrections are kept for it: a model task, or what staff correct
        without a model of their own (translations, copy, replies to handed-off customers);
        NotFound naming both kinds ("nosuchtask" listed no corrections, as if none were kept)."""
        from borderless.storage import copy_drafts, localize, support

        written = {copy_drafts.CORRECTION_TASK, localize.CORRECTION_TASK, support.HANDOFF_TASK}
        if task in written:
            return task
        try:
            return self.lifecycle.check_task(task)
        except NotFound as exc:
            raise NotFound(f"{exc.message}; corrections are also kept for "
                           f"{', '.join(sorted(written))}", field="task") from exc  # fmt: skip

    @property
    def monitor(self) -> Monitor:
        """Request metrics and quality signals of this process (borderless.service.metrics)."""
        from borderless.capabilities.lifecycle.monitor import Monitor

        return self._once("monitor", Monitor)

    def loaded_versions(self) -> dict[str, str]:
        """task -> the model version this process serves."""
        found = dict(self._versions)
        if "risk" in self._made and (version := self._made["risk"].serving()) is not None:
            found["risk"] = f"v{version}"
        made = self._made.get("recommendations")
        if made is not None and made.version is not None:
            found["recommendations"] = made.version
        search = self._made.get("search")
        if search is not None and search.version is not None:
            found["search"] = search.version
        return found

    def refresh_models(self) -> None:
        """Swap in a model promoted since it was loaded, for each task this process serves
        (the registry is read at most once a second); one that fails to load is reported in
        `model_errors` and the loaded one keeps serving."""
        from borderless.storage.registry import active_versions

        if self._database is None or time.monotonic() < self._next_check:
            return
        self._next_check = time.monotonic() + 1.0
        active = active_versions(self.db)
        serving = self.loaded_versions()
        for task, built in (("intents", "assistant"), ("sentiment", "sentiment"), ("risk", "risk"),
                            ("images", "images")):  # fmt: skip
            found = active.get(task)
            if built not in self._made or found is None:
                continue
            if found[0] in (serving.get(task), self._failed.get(task)):
                continue
            try:
                loaded = self.lifecycle.active_model(task)
                if loaded is not None:
                    self._swap(task, *loaded)
            except BorderlessError as exc:
                self._failed[task] = found[0]
                self.model_errors[task] = f"version {found[0]}: {exc.message}"
                continue
            self.model_errors.pop(task, None)

    def _swap(self, task: str, version: str, model: Any) -> None:
        """Put a loaded model of `task` into service in this process."""
        if task == "risk":
            from borderless.capabilities.risk.lifecycle import version_number

            self._made["risk"].use(version_number(Path(f"{version}.json")), model)
            return
        if task == "intents":
            self._made["assistant"].classifier = self._watched(model, version)
        else:
            self._made[task] = model  # sentiment, images
        self._versions[task] = version

    def _watched(self, model: IntentModel, version: str) -> Any:
        from borderless.capabilities.lifecycle.signals import WatchedClassifier

        return (
            WatchedClassifier(model, self.monitor, version) if self.settings.monitoring else model
        )

    def _build_assistant(self) -> Assistant:
        from borderless.capabilities.support.answers import DEFAULTS, Answers
        from borderless.capabilities.support.assistant import Assistant
        from borderless.capabilities.support.knowledge import KnowledgeBase, read_knowledge
        from borderless.capabilities.verdict import needs_review
        from borderless.storage.support import ShopOrderBook

        settings = self.settings
        knowledge = KnowledgeBase(
            read_knowledge(settings.support_knowledge or DEFAULTS / "faq.md"),
            self.backends.embedder(settings.embeddings),
        )
        try:
            translator = self.backends.translator(settings.translator)
        except ModelUnavailable:
            translator = None  # knowledge-base answers then stay in the knowledge base's language
        model = self.intent_model()
        assistant = Assistant(
            self._watched(model, self._versions.get("intents", "-")),
            knowledge,
            ShopOrderBook(self.db),
            Answers.load(settings.support_answers),
            translator,
            # a machine-translated reply text is checked like any translation (greetings allowed)
            check=partial(needs_review, letter_endings=False),
            products=self.find_products,
        )
        if settings.monitoring:
            from borderless.capabilities.lifecycle.signals import watch_replies

            watch_replies(assistant, self.monitor, lambda: self._versions.get("intents", "-"))
        return assistant

    def search_shop(
        self,
        text: str,
        k: int,
        *,
        market: str | None = None,
        mode: str = "hybrid",
        interpret: bool = True,
        where: SearchFilter | None = None,
    ) -> Found:
        """The shop's product search as the API, the dashboard, the CLI and the support
        assistant run it: prices and stock read out of the sentence (`interpret`; a price in
        another currency converted by the seller's rates, or refused; `market` says which
        dollars "$" are), a bound `where` gives winning over the one read, and the products of
        the best `k` hits, best first."""
        from borderless.capabilities.search.needs import Need, give_way, read_need
        from borderless.capabilities.search.shop import Found, SearchFilter
        from borderless.storage.catalog import products_by_sku
        from borderless.storage.markets import shop_currency_and_rates

        base, rates = shop_currency_and_rates(self.db)
        need = (
            read_need(text, base, rates, market)
            if interpret
            else Need(query=text, understood=[f"looking for: {text}"])
        )
        given = where or SearchFilter()
        give_way(need, given.min_price, given.max_price)
        bounds = SearchFilter(
            given.min_price if given.min_price is not None else need.min_price,
            given.max_price if given.max_price is not None else need.max_price,
            given.in_stock if given.in_stock is not None else need.in_stock,
            given.skus,
            given.category,
            base,
            rates,
        )
        hits = self.search.search(need.query, k=k, mode=mode, where=bounds)
        found = {p.sku: p for p in products_by_sku(self.db, [h.id for h in hits])}
        kept = [h for h in hits if h.id in found]
        return Found(need, kept, [found[h.id] for h in kept], rates)

    def find_products(self, text: str, limit: int, market: str | None = None) -> list[ProductMatch]:
        """The support assistant's product search: the shop's search (prices in the message
        read as filters, as /v1/search does), products known to be out of stock left out;
        priced in the currency of `market` when the seller's rates price it, as the
        shop's listings there are (else in the product's own)."""
        from borderless.capabilities.catalog.money import local_price, rule_for
        from borderless.capabilities.support.assistant import ProductMatch

        try:
            found = self.search_shop(text, limit * 4, market=market)
        except BorderlessError:  # a price in a currency with no rate: searched as written
            try:
                found = self.search_shop(text, limit * 4, interpret=False)
            except BorderlessError:
                return []
        currency = _market_currency(market, found.rates)
        out = []
        for p in [p for p in found.products if p.stock != 0][:limit]:
            price, priced_in = p.price, p.currency
            if price is not None and currency not in (None, p.currency):
                with suppress(BorderlessError):  # a product priced in a currency the rates lack
                    price = local_price(price, p.currency, currency, found.rates)
                    priced_in = currency
            rule = rule_for(p.currency, priced_in, found.rates)
            out.append(ProductMatch(p.sku, p.title, price, priced_in, rule))
        return out

    # -- product images -------------------------------------------------------------------------

    def image_model(self, name: str) -> ImageModel:
        """The image model a library names (`efficientnet-lite0`, `fake`)."""
        from borderless.backends.registry import create_image_model
        from borderless.capabilities.images.lifecycle import BACKEND_OF

        return create_image_model(BACKEND_OF.get(name, name), self.settings)

    def image_library(self) -> ImageLibrary | None:
        """The registry's active few-shot image classifier (None before one is trained); a
        version promoted since it was loaded is swapped in (see refresh_models)."""
        if "images" in self._made:
            self.refresh_models()
        library: ImageLibrary | None = self._once("images", self._build_images)
        return library

    def _build_images(self) -> ImageLibrary | None:
        library: ImageLibrary | None = self._active_model("images")  # None: no seller labels
        return library

    def _active_model(self, task: str) -> Any:
        """The registry's active version of `task` (noted as serving), or None when there is
        none or its files are gone or corrupted (noted in model_errors; the caller falls back
        to what it served before the registry)."""
        try:
            found = self.lifecycle.active_model(task)
        except BorderlessError as exc:
            self.model_errors[task] = exc.message
            return None
        if found is None:
            return None
        self._versions[task] = found[0]
        return found[1]

    # -- reviews --------------------------------------------------------------------------------

    @property
    def sentiment_store(self) -> IntentStore:
        from borderless.capabilities.support.store import IntentStore

        return IntentStore(self.settings.models_dir / "sentiment")

    def load_sentiment_model(self, folder: Path) -> SentimentModel:
        from borderless.capabilities.reviews.sentiment import check_sentiment_model

        model = self.load_intent_model(folder)
        check_sentiment_model(model, str(folder))
        return model

    def sentiment_model(self, progress: Callable[[int, int], None] | None = None) -> SentimentModel:
        """The active review sentiment model: the registry's, with a shop database; else the
        stored current one. The first time, the default one is trained from the shared
        labelled reviews and stored (about a minute), like the intent model; a version
        promoted since it was loaded is swapped in (see refresh_models). `progress(done,
        total)` hears of that training's embedding, when this call is the one that trains."""
        if "sentiment" in self._made:
            self.refresh_models()
        return self._once("sentiment", lambda: self._build_sentiment(progress))

    def _build_sentiment(
        self, progress: Callable[[int, int], None] | None = None
    ) -> SentimentModel:
        from borderless.capabilities.reviews.sentiment import (
            DEFAULT_SOURCE,
            default_examples,
            train_sentiment,
        )
        from borderless.capabilities.support.lifecycle import trained_intents

        if self._database is not None:
            active: SentimentModel | None = self._active_model("sentiment")
            if active is not None:
                return active
        store = self.sentiment_store
        folder = store.current()
        if folder is not None:
            model = self.load_sentiment_model(folder)
            note = "adopted: stored before the registry"
        else:
            embedders = self.intent_embedders(self.settings.sentiment_embeddings)
            examples = default_examples(self.settings.shared_data_dir)
            model = train_sentiment(examples, embedders, DEFAULT_SOURCE, progress)
            folder = store.save(model)
            note = "default, trained on first use"
        self._versions["sentiment"] = str(model.card["version"])
        if self._database is not None and "sentiment" not in self.model_errors:
            self.lifecycle.adopt("sentiment", trained_intents(model, folder, None), note)
        return model

    def translate_texts(self, texts: list[str], target: str) -> list[str]:
        """Texts in any language into `target`, the source detected per text (review quotes,
        on demand)."""
        desk = self.desk(quality=False, memory=self._database is not None)
        try:
            return [t.text for t in desk.translate(texts, "auto", target)]
        except InvalidInput as exc:
            if exc.field != "source":
                raise
        # a quote in a language no engine reads (Hungarian) stays as written; the rest go
        out = []
        for text in texts:
            try:
                out.append(desk.translate([text], "auto", target)[0].text)
            except InvalidInput as exc:
                if exc.field != "source":
                    raise
                out.append(text)
        return out

    # -- customer profiles ----------------------------------------------------------------------

    @property
    def profiles(self) -> Profiles:
        """Every customer's profile (RFM, lifetime value, tags), built once per process from the
        shop's orders (about 10 s for the demo shop's 4,372 customers); the review tags are
        read again whenever the reviews changed (scored, added), which takes a moment."""
        from borderless.capabilities.profiles.profile import with_reviews
        from borderless.storage.profiles import customer_reviews, reviews_state

        built = self._once("profiles", self._build_profiles)
        state = reviews_state(self.db)
        with self._guard:
            if self._profiles_reviews == state:
                found: Profiles = self._made["profiles"]
                return found
        fresh = with_reviews(built, customer_reviews(self.db))
        with self._guard:
            self._made["profiles"], self._profiles_reviews = fresh, state
        return fresh

    def _build_profiles(self) -> Profiles:
        from borderless.capabilities.profiles.profile import build_profiles
        from borderless.storage.markets import shop_currency_and_rates
        from borderless.storage.profiles import customer_reviews, purchases, reviews_state

        db = self.db
        currency, _ = shop_currency_and_rates(db)
        state = reviews_state(db)
        found = build_profiles(purchases(db), reviews=customer_reviews(db), currency=currency)
        self._profiles_reviews = state
        return found


def _market_currency(code: str | None, rates: Mapping[str, Rate]) -> str | None:
    """The currency of market `code` when the seller's rates price it, else None."""
    from borderless.capabilities.catalog.markets import market_for_country
    from borderless.capabilities.catalog.money import has_rate

    where = market_for_country(code) if code else None
    return where.currency if where is not None and has_rate(where.currency, rates) else None
