"""The shop's tables. Alembic migrations in `migrations/` create them; keep both in step."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

__all__ = [
    "audit_log",
    "catalog_state",
    "copy_drafts",
    "customer_tokens",
    "customers",
    "delivery_promises",
    "demand_forecasts",
    "forecast_series",
    "fulfilment_lanes",
    "glossary_terms",
    "jobs",
    "listings",
    "market_supply",
    "markets",
    "metadata",
    "model_comparisons",
    "model_feedback",
    "model_tasks",
    "model_versions",
    "monitor_samples",
    "order_lines",
    "orders",
    "product_attributes",
    "product_translations",
    "products",
    "reviews",
    "risk_labels",
    "risk_rules",
    "risk_scores",
    "shipment_events",
    "shipments",
    "staff_accounts",
    "staff_sessions",
    "stock_levels",
    "support_conversations",
    "support_messages",
    "translation_memory",
]

metadata = MetaData()
Json = JSON().with_variant(JSONB(), "postgresql")
Money = Numeric(14, 4, asdecimal=True)

markets = Table(
    "markets",
    metadata,
    Column("code", String(2), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("language", String(8), nullable=False),
    Column("currency", String(3), nullable=False),
)

listings = Table(
    "listings",
    metadata,
    Column("handle", String(255), primary_key=True),
    Column("title", String(500), nullable=False),
    Column("body_html", Text, nullable=False, default=""),
    Column("vendor", String(255), nullable=False, default=""),
    Column("product_type", String(255), nullable=False, default=""),
    Column("category", String(500), nullable=False, default=""),
    Column("tags", Json, nullable=False),
    Column("status", String(32), nullable=False, default="active"),
    Column("option_names", Json, nullable=False),
    Column("images", Json, nullable=False),
    Column("source_format", String(32), nullable=False, default=""),
    Column("extra", Json, nullable=False),
)

products = Table(
    "products",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("title", String(500), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("attributes", Json, nullable=False),
    Column("price", Money, nullable=True),
    Column("currency", String(3), nullable=False),
    Column("stock", Integer, nullable=True),
    Column("language", String(8), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("listing_handle", String(255), ForeignKey("listings.handle"), nullable=True),
    Column("position", Integer, nullable=False, default=1),
    Column("option_values", Json, nullable=False),
    Column("compare_at_price", Money, nullable=True),
    Column("barcode", String(64), nullable=False, default=""),
    Column("weight_grams", Integer, nullable=True),
    Column("image_src", Text, nullable=False, default=""),
    Column("aliases", Json, nullable=False),
    Column("extra", Json, nullable=False),
    Index("ix_products_listing", "listing_handle", "position"),
    Index("ix_products_kind", "kind"),
)

# Every write to what product search reads (products, listings, translated titles) adds one to
# the generation in its transaction (migration 0017; storage/catalog_state.py).
catalog_state = Table(
    "catalog_state",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("generation", BigInteger, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

customers = Table(
    "customers",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("country", String(2), ForeignKey("markets.code"), nullable=False),
    Column("language", String(8), nullable=False),
)

orders = Table(
    "orders",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("placed_at", DateTime, nullable=False),
    Column("country", String(2), ForeignKey("markets.code"), nullable=False),
    Column("customer_id", String(64), ForeignKey("customers.id"), nullable=True),
    Column("currency", String(3), nullable=False),
    Index("ix_orders_customer", "customer_id"),
    Index("ix_orders_country", "country"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", String(32), ForeignKey("orders.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String(64), ForeignKey("products.sku"), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Money, nullable=False),
    Column("description", String(500), nullable=False, default=""),
    Index("ix_order_lines_sku", "sku"),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sku", String(64), ForeignKey("products.sku"), nullable=False),
    Column("customer_id", String(64), ForeignKey("customers.id"), nullable=True),
    Column("rating", Integer, nullable=True),
    Column("title", String(500), nullable=False, default=""),
    Column("body", Text, nullable=False),
    Column("language", String(8), nullable=False),
    Column("created_at", DateTime, nullable=False),
    # 0007: a stable key per review (imports are idempotent), market, source and scores.
    Column("review_key", String(64), nullable=True),
    Column("market", String(2), nullable=True),
    Column("source", String(100), nullable=True),
    Column("sentiment", String(16), nullable=True),  # positive | negative
    Column("sentiment_score", Float, nullable=True),  # P(positive)
    Column("aspects", Json, nullable=True),
    Index("ix_reviews_sku", "sku"),
    Index("ix_reviews_key", "review_key", unique=True),
    Index("ix_reviews_filters", "language", "market", "rating"),
)

# Support: customer tokens (only their SHA-256 is stored), conversations and their messages.
customer_tokens = Table(
    "customer_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("customer_id", String(64), ForeignKey("customers.id"), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("expires_at", DateTime, nullable=True),  # none: tokens issued before expiry existed
    Index("ix_customer_tokens_customer", "customer_id"),
)

support_conversations = Table(
    "support_conversations",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("access_hash", String(64), nullable=False),
    Column("customer_id", String(64), ForeignKey("customers.id"), nullable=True),
    Column("language", String(8), nullable=True),
    Column("status", String(16), nullable=False),  # open | handoff | closed
    Column("failures", Integer, nullable=False, default=0),
    Column("handoff_reason", String(200), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),  # its token no longer opens it
    # the order the conversation last talked about ("and the invoice for that one?")
    Column("order_id", String(32), nullable=True),
    Index("ix_support_conversations_status", "status", "updated_at"),
)

support_messages = Table(
    "support_messages",
    metadata,
    Column("conversation_id", String(32), ForeignKey("support_conversations.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("role", String(16), nullable=False),  # customer | assistant | staff
    Column("text", Text, nullable=False),
    Column("language", String(8), nullable=True),
    Column("intent", String(100), nullable=True),
    Column("confidence", Float, nullable=True),
    Column("citations", Json, nullable=False),
    Column("created_at", DateTime, nullable=False),
    # the assistant's translations that were not sent, and why (NULL: none)
    Column("review", Json, nullable=True),
)

# Localization: translations people corrected (used first next time), and the catalog's
# machine translations per product, field and language, with their engine and quality score.
translation_memory = Table(
    "translation_memory",
    metadata,
    Column("source_language", String(8), primary_key=True),
    Column("target_language", String(8), primary_key=True),
    Column("source_hash", String(64), primary_key=True),
    Column("source_text", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

product_translations = Table(
    "product_translations",
    metadata,
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    Column("language", String(8), primary_key=True),
    Column("field", String(32), primary_key=True),  # title | description
    Column("source_hash", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("engine", String(200), nullable=False),
    Column("score", Float, nullable=True),
    Column("checks", Json, nullable=False),
    Column("flagged", Boolean, nullable=False),
    Column("reviewed", Boolean, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_product_translations_review", "language", "flagged", "reviewed"),
)

# Marketing copy: every generated or edited text is a new version per product, kind and
# language; a person approves at most one of them (the others stay as drafts or rejected).
copy_drafts = Table(
    "copy_drafts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sku", String(64), ForeignKey("products.sku"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("language", String(8), nullable=False),
    Column("version", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("status", String(16), nullable=False),  # draft | approved | rejected | superseded
    Column("grounding", Json, nullable=False),
    Column("length", Json, nullable=False),
    Column("options", Json, nullable=False),
    Column("model", String(200), nullable=False),
    Column("template", String(100), nullable=False),
    Column("edited_from", Integer, ForeignKey("copy_drafts.id"), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("reviewed_at", DateTime, nullable=True),
    UniqueConstraint("sku", "kind", "language", "version", name="uq_copy_drafts_version"),
    Index("ix_copy_drafts_status", "status", "language", "kind"),
)

# Order risk: each sale's latest score with its reasons and the action the rules gave it, the
# seller's review decisions (the labels the supervised model trains on), and every version of
# the seller's rules.
risk_scores = Table(
    "risk_scores",
    metadata,
    Column("order_id", String(32), ForeignKey("orders.id"), primary_key=True),
    Column("score", Float, nullable=False),
    Column("source", String(32), nullable=False),  # detector | model v<N>
    Column("action", String(8), nullable=False),  # allow | review | block
    Column("rule", Integer, nullable=True),  # number of the deciding rule; none: default allow
    Column("rules_version", Integer, nullable=True),
    Column("reasons", Json, nullable=False),
    Column("features", Json, nullable=False),
    Column("country", String(2), nullable=False),
    Column("customer_id", String(64), nullable=True),
    Column("placed_at", DateTime, nullable=False),
    Column("scored_at", DateTime, nullable=False),
    Index("ix_risk_scores_action", "action", "score"),
)

risk_labels = Table(
    "risk_labels",
    metadata,
    Column("order_id", String(32), ForeignKey("orders.id"), primary_key=True),
    Column("label", Integer, nullable=False),  # 1 blocked (risky), 0 approved
    Column("decision", String(8), nullable=False),  # approve | block
    Column("note", Text, nullable=False, default=""),
    Column("decided_at", DateTime, nullable=False),
)

risk_rules = Table(
    "risk_rules",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("text", Text, nullable=False),
    Column("note", String(200), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
)

staff_accounts = Table(
    "staff_accounts",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),  # viewer | editor | admin
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)

staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Index("ix_staff_sessions_name", "name"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(64), nullable=False),  # e.g. copy.approve, support.reply
    Column("subject", String(200), nullable=False),
    Column("detail", Json, nullable=False),
    Index("ix_audit_log_at", "at"),
)


# Supply chain (migration 0006): stock and lead time per product and market, each market's
# service level, and the latest demand forecasts with the model each series was given.
stock_levels = Table(
    "stock_levels",
    metadata,
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    Column("country", String(2), ForeignKey("markets.code"), primary_key=True),
    Column("on_hand", Integer, nullable=False),
    Column("on_order", Integer, nullable=False, default=0),
    Column("lead_time_days", Integer, nullable=True),  # None: the market's default
    Column("updated_at", DateTime, nullable=False),
)

market_supply = Table(
    "market_supply",
    metadata,
    Column("country", String(2), ForeignKey("markets.code"), primary_key=True),
    Column("service_level", Float, nullable=False),
    Column("lead_time_days", Integer, nullable=True),
    Column("review_days", Integer, nullable=False, default=7),
    Column("updated_at", DateTime, nullable=False),
)

forecast_series = Table(
    "forecast_series",
    metadata,
    Column("level", String(16), primary_key=True),  # sku_market | sku | market | total
    Column("frequency", String(8), primary_key=True),  # daily | weekly
    Column("series_id", String(80), primary_key=True),
    Column("model", String(32), nullable=False),
    Column("kind", String(16), nullable=False),  # smooth | intermittent | short
    Column("sigma", Float, nullable=False),  # backtest RMSE per period
    Column("created_at", DateTime, nullable=False),
)

demand_forecasts = Table(
    "demand_forecasts",
    metadata,
    Column("level", String(16), primary_key=True),
    Column("frequency", String(8), primary_key=True),
    Column("series_id", String(80), primary_key=True),
    Column("ds", DateTime, primary_key=True),
    Column("yhat", Float, nullable=False),
    Column("lo_80", Float, nullable=False),
    Column("hi_80", Float, nullable=False),
    Column("lo_95", Float, nullable=False),
    Column("hi_95", Float, nullable=False),
)

# Model lifecycle (migration 0010): every trained version with the data it saw and its held-out
# metrics, the one active version per task (`generation` grows on every change, so a running
# service sees a promotion), champion/challenger comparisons, staff corrections as labelled
# examples, and per-minute monitoring samples of each worker.
model_versions = Table(
    "model_versions",
    metadata,
    Column("task", String(32), primary_key=True),
    Column("version", String(64), primary_key=True),
    Column("path", Text, nullable=False),
    Column("parameters", Json, nullable=False),
    Column("data", Json, nullable=False),  # file, sha256, rows, date range
    Column("metrics", Json, nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("train_seconds", Float, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("replaced", String(64), nullable=True),  # the version active when this one was promoted
    Column("promoted_at", DateTime, nullable=True),
)

model_tasks = Table(
    "model_tasks",
    metadata,
    Column("task", String(32), primary_key=True),
    Column("active_version", String(64), nullable=False),
    Column("generation", Integer, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

model_comparisons = Table(
    "model_comparisons",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("task", String(32), nullable=False),
    Column("champion", String(64), nullable=True),
    Column("challenger", String(64), nullable=False),
    Column("metric", String(64), nullable=False),
    Column("champion_score", Float, nullable=True),
    Column("challenger_score", Float, nullable=True),
    Column("margin", Float, nullable=False),
    Column("decision", String(16), nullable=False),  # promoted | kept
    Column("detail", Json, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Index("ix_model_comparisons_task", "task", "created_at"),
)

model_feedback = Table(
    "model_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("task", String(32), nullable=False),
    Column("input", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("predicted", Text, nullable=True),
    Column("source", String(64), nullable=False),  # e.g. support.relabel
    Column("subject", String(200), nullable=False),  # what was corrected (message id, ...)
    Column("model_version", String(64), nullable=True),
    Column("actor", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("task", "source", "subject", name="uq_model_feedback_subject"),
    Index("ix_model_feedback_task", "task", "id"),
)

monitor_samples = Table(
    "monitor_samples",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("minute", DateTime, nullable=False),
    Column("capability", String(32), nullable=False),
    Column("version", String(64), nullable=False),
    Column("worker", String(32), nullable=False),
    Column("requests", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("p50_ms", Float, nullable=True),
    Column("p95_ms", Float, nullable=True),
    Column("p99_ms", Float, nullable=True),
    Column("signals", Json, nullable=False),  # name -> mean over the minute's observations
    Index("ix_monitor_samples_minute", "capability", "minute"),
)

product_attributes = Table(
    "product_attributes",
    metadata,
    Column("sku", String(64), ForeignKey("products.sku", ondelete="CASCADE"), primary_key=True),
    Column("name", String(32), primary_key=True),
    Column("value_key", String(500), primary_key=True),  # lower case: what filters match
    Column("value", String(500), nullable=False),
    Column("span", String(500), nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("field", String(16), nullable=False),  # title | description | seller
    Column("source", String(16), nullable=False),  # vocabulary | catalog | rule | seller ...
    Column("status", String(16), nullable=False),  # stated | suggested | confirmed | rejected
    Column("actor", String(64), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_product_attributes_value", "name", "value_key", "status"),
)

# Shipments and fulfilment (migration 0014): shipments per order with their carrier scans, the
# delivery promise per market, and the warehouse/carrier lanes that fulfilment plans choose from.
shipments = Table(
    "shipments",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("order_id", String(32), ForeignKey("orders.id"), nullable=False),
    Column("carrier", String(64), nullable=False),
    Column("tracking", String(64), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Index("ix_shipments_order", "order_id"),
)

shipment_events = Table(
    "shipment_events",
    metadata,
    Column("shipment_id", String(64), ForeignKey("shipments.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("status", String(24), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("location", String(120), nullable=False, default=""),
)

delivery_promises = Table(
    "delivery_promises",
    metadata,
    Column("country", String(2), ForeignKey("markets.code"), primary_key=True),
    Column("days", Integer, nullable=False),  # from order to the customer's door
    Column("updated_at", DateTime, nullable=False),
)

fulfilment_lanes = Table(
    "fulfilment_lanes",
    metadata,
    Column("warehouse", String(64), primary_key=True),
    Column("carrier", String(64), primary_key=True),
    Column("country", String(2), ForeignKey("markets.code"), primary_key=True),
    Column("cost_per_order", Money, nullable=False),
    Column("cost_per_kg", Money, nullable=False),
    Column("lead_time_days", Integer, nullable=False),
    Column("capacity", Integer, nullable=True),  # orders per plan, warehouse+carrier; None: any
    Column("updated_at", DateTime, nullable=False),
)

# Background jobs (migration 0013): catalog translation and copy started from the dashboard or
# the API, run one at a time by the service's job runner, with their progress.
jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # translate | copy
    Column("parameters", Json, nullable=False),
    Column("status", String(16), nullable=False),  # queued | running | done | failed | cancelled
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=True),  # known once the job has counted its work
    Column("error", Text, nullable=True),
    Column("summary", Text, nullable=True),  # what a finished job did, in words
    Column("started_by", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("started_at", DateTime, nullable=True),
    Column("finished_at", DateTime, nullable=True),
    Index("ix_jobs_status", "status", "id"),
)

# The shop's glossary (migration 0013): brand terms to keep ("" target) or force, for one
# target language or, with language "", for every one.
glossary_terms = Table(
    "glossary_terms",
    metadata,
    Column("language", String(8), primary_key=True),
    Column("source_key", String(200), primary_key=True),  # lower case: one term per spelling
    Column("source", String(200), nullable=False),
    Column("target", String(200), nullable=False),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# The seller's exchange rates (migration 0015): units of `currency` one unit of `base` buys,
# and how prices converted into it are rounded (catalog/money.py).
market_rates = Table(
    "market_rates",
    metadata,
    Column("currency", String(3), primary_key=True),
    Column("base", String(3), nullable=False),
    Column("rate", Numeric(18, 8), nullable=False),
    Column("rounding", String(8), nullable=False),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# What `borderless images catalog` found on each catalog image (migration 0016): tags, checks,
# the text OCR read, the perceptual hash and the image features for similar-by-photo (float16,
# unit length). One row per image the catalog names (listing handle, variant SKU, src).
image_analyses = Table(
    "image_analyses",
    metadata,
    Column("handle", String(255), primary_key=True),  # "" for a product without a listing
    Column("sku", String(64), primary_key=True),  # "" for a listing image
    Column("src", String(1000), primary_key=True),
    Column("file", Text, nullable=False),  # the local file read ("" when none was found)
    Column("ok", Boolean, nullable=False),
    Column("error", Text, nullable=True),
    Column("width", Integer, nullable=True),
    Column("height", Integer, nullable=True),
    Column("tags", Json, nullable=False),
    Column("category", String(64), nullable=True),
    Column("phash", String(16), nullable=True),
    Column("checks", Json, nullable=False),
    Column("text", Text, nullable=True),
    Column("features", LargeBinary, nullable=True),
    Column("image_model", String(64), nullable=False),
    Column("analysed_at", DateTime, nullable=False),
)
