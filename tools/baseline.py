"""A plain search baseline: the label of the nearest training example.

TF-IDF over character n-grams (2-5, within word boundaries) and cosine similarity; below
`threshold` the question counts as not understood (`nlu_fallback`). Same training data,
same labels ("faq/<key>" or intent) as the assistant, so the two are comparable.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Sequence, Tuple

import numpy as np
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.feature_extraction.text import TfidfVectorizer

from bot import PROJECT_DIR
from bot.text import normalise

TRAINING_PATH = PROJECT_DIR / "data" / "nlu"
DEFAULT_THRESHOLD = 0.35


@dataclass
class NearestExampleBaseline:
    texts: List[str]
    labels: List[str]
    threshold: float = DEFAULT_THRESHOLD

    def __post_init__(self) -> None:
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
        self._matrix = self._vectorizer.fit_transform([normalise(t) for t in self.texts])

    @classmethod
    def from_training_data(cls, path: Path = TRAINING_PATH, threshold: float = DEFAULT_THRESHOLD) -> "NearestExampleBaseline":
        examples = load_data(str(path)).intent_examples
        return cls(
            texts=[m.get("text") for m in examples],
            labels=[m.get("intent_response_key") or m.get("intent") for m in examples],
            threshold=threshold,
        )

    def predict(self, text: str) -> Tuple[str, float]:
        similarities = (self._matrix @ self._vectorizer.transform([normalise(text)]).T).toarray().ravel()
        best = int(np.argmax(similarities))
        if similarities[best] < self.threshold:
            return "nlu_fallback", float(similarities[best])
        return self.labels[best], float(similarities[best])

    def predict_all(self, texts: Sequence[str]) -> List[str]:
        return [self.predict(text)[0] for text in texts]
