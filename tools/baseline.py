"""A plain search baseline: the label of the nearest training example.

TF-IDF over character n-grams (2-5, within word boundaries) and cosine similarity; below
`threshold` the question counts as not understood (`nlu_fallback`). Same training data,
same labels ("faq/<key>" or intent) as the assistant, so the two are comparable.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Sequence, Tuple

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.nlu.training_data import training_examples
from bot.text import normalise

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
    def from_training_data(cls, threshold: float = DEFAULT_THRESHOLD) -> "NearestExampleBaseline":
        texts, labels = training_examples()
        return cls(texts=texts, labels=labels, threshold=threshold)

    def predict(self, text: str) -> Tuple[str, float]:
        similarities = (self._matrix @ self._vectorizer.transform([normalise(text)]).T).toarray().ravel()
        best = int(np.argmax(similarities))
        if similarities[best] < self.threshold:
            return "nlu_fallback", float(similarities[best])
        return self.labels[best], float(similarities[best])

    def predict_all(self, texts: Sequence[str]) -> List[str]:
        return [self.predict(text)[0] for text in texts]
