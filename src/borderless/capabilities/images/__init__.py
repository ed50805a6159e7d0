"""Product images: ImageNet tags mapped to categories, features for similar-by-photo,
perceptual hashes for near-duplicates, marketplace compliance checks and a few-shot classifier
trained on a seller's labelled photos. Local files only; URLs are refused, never fetched."""

from borderless.capabilities.images.analyse import ImageReport, analyse_images
from borderless.capabilities.images.categories import (
    DEFAULT_CATEGORIES,
    category_for,
    read_category_table,
)
from borderless.capabilities.images.checks import Check, Thresholds, check_image
from borderless.capabilities.images.fewshot import FewShotClassifier
from borderless.capabilities.images.hashing import hamming, near_duplicates, perceptual_hash
from borderless.capabilities.images.library import ImageLibrary, read_labels, train_library
from borderless.capabilities.images.load import MAX_PIXELS, load_image
from borderless.capabilities.images.sources import local_file_for

__all__ = [
    "DEFAULT_CATEGORIES",
    "MAX_PIXELS",
    "Check",
    "FewShotClassifier",
    "ImageLibrary",
    "ImageReport",
    "Thresholds",
    "analyse_images",
    "category_for",
    "check_image",
    "hamming",
    "load_image",
    "local_file_for",
    "near_duplicates",
    "perceptual_hash",
    "read_category_table",
    "read_labels",
    "train_library",
]
