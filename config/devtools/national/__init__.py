"""A generated national dataset (every ISCG post of France, years of history) for the benchmark.

``load_national_dataset`` writes it; ``bench`` measures the pages against it.
"""

from config.devtools.national.generator import (
    REFERENCE_PREFIX,
    DatasetSummary,
    dataset_present,
    delete_dataset,
    generate,
)

__all__ = ["REFERENCE_PREFIX", "DatasetSummary", "dataset_present", "delete_dataset", "generate"]
