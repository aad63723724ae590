"""`DatasetInfo`: what a data source tells the rest of the library about itself."""

from __future__ import annotations

import dataclasses
from typing import Optional


@dataclasses.dataclass(frozen=True)
class DatasetInfo:
    """Static facts about a loaded image dataset.

    Attributes:
        num_examples: Number of examples in the source, or None when it cannot be
            known without reading the whole source.
        num_classes: Number of label classes, or None when the source carries no
            labels. Elements carry a "labels" entry exactly when this is not None.
        image_size: Height and width of every (square) image.
        channels: Channels of every image, 1 (grey) or 3 (RGB).
    """

    num_examples: Optional[int]
    num_classes: Optional[int]
    image_size: int
    channels: int

    @property
    def has_labels(self) -> bool:
        """Whether elements from this source carry integer class labels."""
        return self.num_classes is not None
