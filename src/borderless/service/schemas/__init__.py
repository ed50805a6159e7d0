"""Request and response shapes of the API, one module per area, under one naming rule.

- `XCreate`: the body of a POST that makes something (a product, a job, a scan, a message).
- `XUpdate`: the body of a PUT or PATCH that changes something.
- `XPublic`: one record in an answer; parts nested in it are `YPublic` too.
- `XPage`: a list answer, `Page[XPublic]`: `data`, `count` (matches over all pages), `limit`,
  `offset`, and sometimes a few fields about the whole list (a search's facets).

The class name is the OpenAPI component name, so the rule is what API users see;
tests/test_schemas.py holds every component to it, and keeps models out of the route modules.
"""

from __future__ import annotations

from borderless.service.schemas.attributes import AttributePage, AttributePublic, AttributesUpdate
from borderless.service.schemas.common import Page, Timestamp
from borderless.service.schemas.copywriting import (
    CopyCreate,
    CopyDraftPage,
    CopyDraftPublic,
    CopyUpdate,
)
from borderless.service.schemas.fulfilment import LanePublic, LanesUpdate
from borderless.service.schemas.jobs import JobCreate, JobPage, JobPublic, JobStatus
from borderless.service.schemas.markets import LocalizedPublic, RatePage, RatePublic, RateUpdate
from borderless.service.schemas.profiles import ProfilePublic, SegmentPublic, TagPublic
from borderless.service.schemas.recommendations import RecommendationPage, RecommendationPublic
from borderless.service.schemas.registry import (
    ComparisonPage,
    ComparisonPublic,
    CorrectionCreate,
    CorrectionPage,
    CorrectionPublic,
    ModelVersionPage,
    ModelVersionPublic,
)
from borderless.service.schemas.reviews import ReviewPage, ReviewPublic
from borderless.service.schemas.risk import (
    RiskAssessmentPublic,
    RiskDecisionCreate,
    RiskDecisionPublic,
    RiskLineCreate,
    RiskOrderCreate,
    RiskPage,
    RiskPublic,
    RiskReasonPublic,
    RiskRulesPublic,
    RiskRulesUpdate,
)
from borderless.service.schemas.search import FacetValuePublic, SearchHitPublic, SearchPage
from borderless.service.schemas.shipments import (
    PromiseUpdate,
    ScanCreate,
    ScanPublic,
    ScansCreate,
    ShipmentPublic,
)
from borderless.service.schemas.shop import (
    CustomerDetailPublic,
    CustomerPage,
    CustomerPublic,
    HealthPublic,
    OrderDetailPublic,
    OrderLinePublic,
    OrderPage,
    OrderPublic,
    ProductCreate,
    ProductPage,
    ProductPublic,
    ProductUpdate,
    StatsPublic,
)
from borderless.service.schemas.supply import (
    ForecastCreate,
    ForecastPointPublic,
    ForecastPublic,
    MarketSupplyUpdate,
    StockPublic,
    StockUpdate,
)
from borderless.service.schemas.support import (
    ConversationCreate,
    ConversationPage,
    ConversationPublic,
    ConversationSummaryPublic,
    CustomerTokenCreate,
    MessageCreate,
    MessagePublic,
    ReplyCreate,
)
from borderless.service.schemas.translate import (
    GlossaryTermCreate,
    TranslationCreate,
    TranslationPage,
    TranslationPublic,
    TranslationUpdate,
)

__all__ = [
    "AttributePage",
    "AttributePublic",
    "AttributesUpdate",
    "ComparisonPage",
    "ComparisonPublic",
    "ConversationCreate",
    "ConversationPage",
    "ConversationPublic",
    "ConversationSummaryPublic",
    "CopyCreate",
    "CopyDraftPage",
    "CopyDraftPublic",
    "CopyUpdate",
    "CorrectionCreate",
    "CorrectionPage",
    "CorrectionPublic",
    "CustomerDetailPublic",
    "CustomerPage",
    "CustomerPublic",
    "CustomerTokenCreate",
    "FacetValuePublic",
    "ForecastCreate",
    "ForecastPointPublic",
    "ForecastPublic",
    "GlossaryTermCreate",
    "HealthPublic",
    "JobCreate",
    "JobPage",
    "JobPublic",
    "JobStatus",
    "LanePublic",
    "LanesUpdate",
    "LocalizedPublic",
    "MarketSupplyUpdate",
    "MessageCreate",
    "MessagePublic",
    "ModelVersionPage",
    "ModelVersionPublic",
    "OrderDetailPublic",
    "OrderLinePublic",
    "OrderPage",
    "OrderPublic",
    "Page",
    "ProductCreate",
    "ProductPage",
    "ProductPublic",
    "ProductUpdate",
    "ProfilePublic",
    "PromiseUpdate",
    "RatePage",
    "RatePublic",
    "RateUpdate",
    "RecommendationPage",
    "RecommendationPublic",
    "ReplyCreate",
    "ReviewPage",
    "ReviewPublic",
    "RiskAssessmentPublic",
    "RiskDecisionCreate",
    "RiskDecisionPublic",
    "RiskLineCreate",
    "RiskOrderCreate",
    "RiskPage",
    "RiskPublic",
    "RiskReasonPublic",
    "RiskRulesPublic",
    "RiskRulesUpdate",
    "ScanCreate",
    "ScanPublic",
    "ScansCreate",
    "SearchHitPublic",
    "SearchPage",
    "SegmentPublic",
    "ShipmentPublic",
    "StatsPublic",
    "StockPublic",
    "StockUpdate",
    "TagPublic",
    "Timestamp",
    "TranslationCreate",
    "TranslationPage",
    "TranslationPublic",
    "TranslationUpdate",
]
