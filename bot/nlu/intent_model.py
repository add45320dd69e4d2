"""The linear text classifier behind the NLU: TF-IDF n-grams and a calibrated linear model.

One model learns every label of the training data: the intents and, for FAQ questions, the
answer key (`faq/<key>`). Pure scikit-learn and no Rasa, so the Rasa component
(`bot.nlu.linear_classifier`) and the cross-validation that chooses its settings
(`tools/tune.py`) train exactly the same thing.

Features (each choice measured by `make tune`, see the README):
- character n-grams within word boundaries, so typos and Dutch compounds still overlap;
- word uni- and bigrams, over spaCy lemmas when a lemmatiser is given;
- text normalised first (`bot.text.normalise`: lower case, no accents or punctuation).

An FAQ answer also needs one content word that FAQ questions in the training data use
(`mentions_faq_vocabulary`): character n-grams alone sent "waarom is de lucht blauw" to
"Waarom is er een herziening?" at 0.82 out of fold.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
from scipy.sparse import hstack
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from spacy.lang.nl.stop_words import STOP_WORDS

from bot.knowledge.faq import RETRIEVAL_INTENT
from bot.text import normalise

Lemmatiser = Callable[[str], str]
FAQ_LABEL_PREFIX = f"{RETRIEVAL_INTENT}/"
_STOP_WORDS = frozenset(normalise(word) for word in STOP_WORDS)


@dataclass(frozen=True)
class ModelSettings:
    """Hyper-parameters; the defaults are the ones `make tune` chose by cross-validation."""

    estimator: str = "logistic"  # "logistic" or "calibrated_svm"
    c: float = 300.0
    char_ngrams: Tuple[int, int] = (1, 4)
    word_ngrams: Tuple[int, int] = (1, 2)
    use_lemmas: bool = True
    balanced: bool = True  # weight labels inversely to their number of examples
    random_state: int = 2022

    @classmethod
    def from_config(cls, config: Dict) -> "ModelSettings":
        known = {name: config[name] for name in asdict(cls()) if name in config}
        for pair in ("char_ngrams", "word_ngrams"):
            if pair in known:
                known[pair] = tuple(known[pair])
        return cls(**known)


class IntentModel:
    """Fit on (text, label) pairs; predict a probability for every label."""

    def __init__(self, settings: ModelSettings = ModelSettings()) -> None:
        self.settings = settings
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=settings.char_ngrams, sublinear_tf=True,
                                      lowercase=False)
        # Whitespace tokens: the text is normalised already, and single-letter words ("n 4") count.
        self._words = TfidfVectorizer(analyzer="word", ngram_range=settings.word_ngrams, sublinear_tf=True,
                                      lowercase=False, token_pattern=r"\S+")
        self._estimator = self._new_estimator(settings)
        self.labels: List[str] = []
        self.faq_vocabulary: frozenset = frozenset()

    @staticmethod
    def _new_estimator(settings: ModelSettings):
        if settings.estimator == "logistic":
            # liblinear (one-vs-rest): ten times faster to fit here than lbfgs, as accurate.
            return LogisticRegression(C=settings.c, solver="liblinear", random_state=settings.random_state,
                                      class_weight="balanced" if settings.balanced else None)
        if settings.estimator == "calibrated_svm":
            # Sigmoid calibration on 3 internal folds: probabilities the thresholds can be compared with.
            return CalibratedClassifierCV(LinearSVC(C=settings.c, random_state=settings.random_state,
                                                    class_weight="balanced" if settings.balanced else None),
                                          method="sigmoid", cv=3)
        raise ValueError(f"unknown estimator {settings.estimator!r}: use 'logistic' or 'calibrated_svm'")

    def _word_text(self, text: str, lemmatise: Optional[Lemmatiser]) -> str:
        if self.settings.use_lemmas and lemmatise is not None:
            return normalise(lemmatise(text))
        return normalise(text)

    def _features(self, texts: Sequence[str], lemmatise: Optional[Lemmatiser], fit: bool):
        chars = [normalise(text) for text in texts]
        words = [self._word_text(text, lemmatise) for text in texts]
        if fit:
            return hstack([self._chars.fit_transform(chars), self._words.fit_transform(words)]).tocsr()
        return hstack([self._chars.transform(chars), self._words.transform(words)]).tocsr()

    def fit(self, texts: Sequence[str], labels: Sequence[str], lemmatise: Optional[Lemmatiser] = None) -> "IntentModel":
        if len(set(labels)) < 2:
            raise ValueError("the classifier needs examples of at least two labels")
        # Integer classes: scikit-learn 1.1's calibration miscounts string classes per fold.
        self.labels = sorted({str(label) for label in labels})
        position = {label: i for i, label in enumerate(self.labels)}
        classes = np.array([position[str(label)] for label in labels])
        self._estimator.fit(self._features(texts, lemmatise, fit=True), classes)
        self.faq_vocabulary = frozenset(
            word
            for text, label in zip(texts, labels) if str(label).startswith(FAQ_LABEL_PREFIX)
            for word in self._content_words(text, lemmatise)
        )
        return self

    @staticmethod
    def _content_words(text: str, lemmatise: Optional[Lemmatiser]) -> set:
        words = set(normalise(text).split())
        if lemmatise is not None:
            words |= set(normalise(lemmatise(text)).split())
        return {word for word in words if len(word) > 2 and word not in _STOP_WORDS and not word.isdigit()}

    def mentions_faq_vocabulary(self, text: str, lemmatise: Optional[Lemmatiser] = None) -> bool:
        """Whether the text has a content word (form or lemma) that FAQ training questions use."""
        return not self._content_words(text, lemmatise).isdisjoint(self.faq_vocabulary)

    def predict_proba(self, texts: Sequence[str], lemmatise: Optional[Lemmatiser] = None) -> np.ndarray:
        """One row per text, one column per label in `self.labels`; each row sums to 1."""
        return self._estimator.predict_proba(self._features(texts, lemmatise, fit=False))


@dataclass(frozen=True)
class Prediction:
    """The labels' probabilities grouped as Rasa reports them: per intent and per FAQ answer."""

    intents: List[Tuple[str, float]]  # best first; `faq` has its best answer's probability
    faq_answers: List[Tuple[str, float]]  # "faq/<key>", best first

    @property
    def intent(self) -> Tuple[str, float]:
        return self.intents[0]


def split_prediction(labels: Sequence[str], probabilities: Sequence[float], faq_allowed: bool = True) -> Prediction:
    """An intent's confidence is its best label's probability, so `faq` is as sure as its
    best answer. (Summing the answers instead gave `faq` the tails of 33 labels and sent
    lookups and small talk to it.) Without `faq_allowed`, `faq` is left out of the intents;
    the answers stay ranked."""
    intents: Dict[str, float] = {}
    answers: List[Tuple[str, float]] = []
    for label, probability in zip(labels, probabilities):
        intent = label.split("/", 1)[0]
        if label.startswith(FAQ_LABEL_PREFIX):
            answers.append((label, float(probability)))
            if not faq_allowed:
                continue
        intents[intent] = max(intents.get(intent, 0.0), float(probability))
    return Prediction(
        intents=sorted(intents.items(), key=lambda item: -item[1]),
        faq_answers=sorted(answers, key=lambda item: -item[1]),
    )
