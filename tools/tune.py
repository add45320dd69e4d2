"""Choose the classifier's settings and the confidence thresholds by cross-validation.

Only the training data (`data/nlu/`) is read; the held-out file is not. Each setting of a
small grid is scored on out-of-fold predictions (stratified 3-fold, repeated with two
seeds), and the decision chain of the assistant is replayed on them for a grid of thresholds:

    label      the most probable label (an intent, or an FAQ answer `faq/<key>`); FAQ answers
               only when the message uses a word of the FAQ training questions; a lookup,
               sure, when the dataset reader says so (bot.nlu.lookup_reader.lookup_intent: a
               crebo number, a named record with a fact asked, a level with a list asked)
    fallback   when its probability < the FallbackClassifier threshold, or the best label of
               another intent is within the ambiguity threshold
    fallback   when it is an FAQ answer with probability < the FAQ gate threshold

The rule (written down so nothing is picked by eye): no FAQ answer to an off-topic question;
then the highest utility, where a right answer counts +1, "Bedoelde je…?" 0 and a wrong
answer −WRONG_ANSWER_COST (a wrong answer misleads; a question back costs one click).
Utilities within NEAR_TIE of the best are a tie (the grid's neighbours differ by a question
or two out of fold), and a tie goes to the highest fallback threshold: when unsure, ask
(issue 23, point 6). The setting with the highest utility wins, unless the settings in config.yml
are within NEAR_TIE of it: then they stay (added in round c17, after the held-out file had been
run with the grid's first choice; see the README).

    python -m tools.tune            the full grid (about 2 minutes on 2 cores); reports/tune.md
    python -m tools.tune --quick    the settings in config.yml, one seed (a smoke test; reports/tune-quick.md)
"""
from __future__ import annotations

import argparse
import itertools
import sys
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, TypeVar

import numpy as np
from sklearn.model_selection import StratifiedKFold

from bot import PROJECT_DIR
from bot.settings import AskSettings
from bot.nlu.intent_model import IntentModel, Lemmatiser, ModelSettings
from bot.knowledge.faq import answer_key
from bot.knowledge.reader import Reading, read
from bot.nlu.lookup_reader import lookup_intent
from bot.nlu.training_data import training_examples
from bot.settings import ask_settings, component_config, faq_threshold

FOLDS = 3
SEEDS = (2022, 7)
OFF_TOPIC = "out_of_scope"
FALLBACK = "nlu_fallback"
WRONG_ANSWER_COST = 2.0
NEAR_TIE = 0.002  # of utility per question: 0.2 points

# Written out in full (not from ModelSettings' defaults), so the grid does not move when the
# chosen settings become the defaults.
_BASE = ModelSettings(estimator="logistic", c=300.0, balanced=True, char_ngrams=(2, 5), word_ngrams=(1, 2),
                      use_lemmas=True)
SETTINGS_GRID: Tuple[ModelSettings, ...] = (
    *(replace(_BASE, c=c, balanced=False) for c in (10.0, 30.0, 100.0, 300.0, 1000.0)),
    *(replace(_BASE, c=c) for c in (30.0, 100.0, 300.0, 1000.0)),
    *(replace(_BASE, estimator="calibrated_svm", c=c) for c in (0.3, 1.0)),
    replace(_BASE, use_lemmas=False),
    replace(_BASE, word_ngrams=(1, 1)),
    replace(_BASE, char_ngrams=(1, 4)),
    replace(_BASE, char_ngrams=(3, 6)),
)
FALLBACK_GRID = tuple(np.round(np.arange(0.0, 0.81, 0.05), 2))
AMBIGUITY_GRID = (0.0, 0.02, 0.05, 0.1)
GATE_GRID = tuple(np.round(np.arange(0.0, 0.91, 0.025), 3))


@lru_cache(maxsize=None)
def offline_lemmatiser() -> Lemmatiser:
    """The lemmas the Rasa pipeline gets (bot.nlu.nlp's Dutch spaCy pipeline on lower-cased text);
    one per process, so its lemmas are made once."""
    import spacy

    from bot.nlu.nlp import OFFLINE_PIPELINE_NAME, build_offline_dutch_pipeline, spacy_cache_dir

    language = spacy.load(build_offline_dutch_pipeline(spacy_cache_dir() / OFFLINE_PIPELINE_NAME))
    cache: Dict[str, str] = {}

    def lemmatise(text: str) -> str:
        if text not in cache:
            cache[text] = " ".join(token.lemma_ or token.text for token in language(text.lower()))
        return cache[text]

    return lemmatise


@dataclass(frozen=True)
class Run:
    """Out-of-fold predictions for every example of the training data."""

    labels: List[str]
    probabilities: np.ndarray
    faq_allowed: np.ndarray  # the message uses a word of FAQ questions the fold's model was trained on
    readings: List[Optional[Reading]]  # what the dataset reader finds in each message (None: not read)


def out_of_fold(settings: ModelSettings, texts: Sequence[str], labels: Sequence[str], lemmatise: Lemmatiser,
                seed: int, read_messages: bool = True) -> Run:
    """Probabilities for every example from a model that did not see it (and, unless
    `read_messages` is off, what the dataset reader finds in it: the replay needs that).
    A run is made once per process: `make tune`'s smoke test and the tests that config.yml
    holds its choices (tests/tools) ask for the same ones."""
    all_labels, probabilities, faq_allowed = _out_of_fold(settings, tuple(texts), tuple(labels), lemmatise, seed)
    found = list(readings(tuple(texts))) if read_messages else [None] * len(texts)
    return Run(list(all_labels), probabilities.copy(), faq_allowed.copy(), found)  # copies: the cache stays as made


@lru_cache(maxsize=8)
def _out_of_fold(settings: ModelSettings, text_tuple: Tuple[str, ...], label_tuple: Tuple[str, ...],
                 lemmatise: Lemmatiser, seed: int) -> Tuple[Tuple[str, ...], np.ndarray, np.ndarray]:
    texts, labels = list(text_tuple), list(label_tuple)
    all_labels = sorted(set(labels))
    probabilities = np.zeros((len(texts), len(all_labels)))
    faq_allowed = np.zeros(len(texts), dtype=bool)
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(texts, labels):
        model = IntentModel(settings).fit([texts[i] for i in train], [labels[i] for i in train], lemmatise)
        columns = [all_labels.index(label) for label in model.labels]
        probabilities[np.ix_(test, columns)] = model.predict_proba([texts[i] for i in test], lemmatise)
        faq_allowed[test] = [model.mentions_faq_vocabulary(texts[i], lemmatise) for i in test]
    return tuple(all_labels), probabilities, faq_allowed


@lru_cache(maxsize=4)
def readings(texts: Tuple[str, ...]) -> Tuple[Reading, ...]:
    """What the dataset reader finds in each text. The same for every setting and seed, and
    the slowest part of a run (read's own cache holds fewer texts than the training data): read once."""
    return tuple(read(text) for text in texts)


def two_models_top1(settings: ModelSettings, texts: Sequence[str], labels: Sequence[str], lemmatise: Lemmatiser,
                    seed: int) -> float:
    """The alternative to one model over all labels, as DIET + ResponseSelector were: an
    intent model (all FAQ answers as `faq`), then an answer model over the FAQ examples."""
    right = 0
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(texts, labels):
        intents = [labels[i].split("/", 1)[0] for i in train]
        intent_model = IntentModel(settings).fit([texts[i] for i in train], intents, lemmatise)
        faq_train = [i for i in train if labels[i].startswith("faq/")]
        answer_model = IntentModel(settings).fit([texts[i] for i in faq_train], [labels[i] for i in faq_train],
                                                 lemmatise)
        test_texts = [texts[i] for i in test]
        intent_of = [intent_model.labels[j] for j in intent_model.predict_proba(test_texts, lemmatise).argmax(axis=1)]
        answer_of = [answer_model.labels[j] for j in answer_model.predict_proba(test_texts, lemmatise).argmax(axis=1)]
        right += sum((answer if intent == "faq" else intent) == labels[i]
                     for i, intent, answer in zip(test, intent_of, answer_of))
    return right / len(texts)


@dataclass(frozen=True)
class Thresholds:
    fallback: float
    ambiguity: float
    gate: float


@dataclass(frozen=True)
class Replay:
    """What the decision chain needs of each example, computed once per run."""

    top_label: List[str]  # "faq/<key>" or an intent, acted on when no threshold objects
    confidence: np.ndarray  # its probability (the intent's confidence, and for FAQ the answer's)
    margin: np.ndarray  # to the best label of another intent (the FallbackClassifier's ambiguity)
    is_faq: np.ndarray

    @classmethod
    def of(cls, run: Run, vocabulary_rule: bool = True, fallback: Optional[float] = None) -> "Replay":
        """The chain as it runs with the FallbackClassifier at `fallback` (config.yml's when None):
        the dataset reader trusts an FAQ answer only from the confidence the pipeline gives it."""
        reader_threshold = faq_threshold(fallback)
        intents = np.array([label.split("/", 1)[0] for label in run.labels])
        is_faq_label = np.array([label.startswith("faq/") for label in run.labels])
        probabilities = run.probabilities
        if vocabulary_rule:  # as bot.nlu.intent_model.split_prediction: no `faq` without an FAQ word
            probabilities = np.where(is_faq_label[None, :] & ~run.faq_allowed[:, None], 0.0, probabilities)
        top = probabilities.argmax(axis=1)
        confidence = probabilities[np.arange(len(top)), top]
        same_intent = intents[None, :] == intents[top][:, None]
        runner_up = np.where(same_intent, 0.0, probabilities).max(axis=1)
        top_label = [run.labels[i] if is_faq_label[i] else str(intents[i]) for i in top]
        margin, is_faq = confidence - runner_up, is_faq_label[top]
        for i, reading in enumerate(run.readings):  # as bot.nlu.lookup_reader.LookupReader, without context
            if reading is None:
                continue
            predicted = top_label[i].split("/", 1)[0]
            chosen = lookup_intent(reading, predicted, float(confidence[i]), in_context=False, after_faq=False,
                                   faq_threshold=reader_threshold,
                                   faq_key=answer_key(top_label[i]))
            if chosen is not None:
                top_label[i], confidence[i], margin[i], is_faq[i] = chosen, 1.0, 1.0, False
        return cls(top_label, confidence, margin, is_faq)

    def decided(self, thresholds: Thresholds) -> List[str]:
        fallback = ((self.confidence < thresholds.fallback) | (self.margin < thresholds.ambiguity)
                    | (self.is_faq & (self.confidence < thresholds.gate)))
        return [FALLBACK if f else label for f, label in zip(fallback, self.top_label)]


@dataclass(frozen=True)
class Score:
    right: float  # share of all examples acted on rightly (off-topic: anything but an FAQ answer)
    wrong: float  # share of all examples given a wrong answer (not a fallback)
    faq_right: float
    faq_wrong: float  # share of FAQ questions given a wrong answer
    intents_right: float
    off_topic_as_faq: float

    @property
    def utility(self) -> float:
        return self.right - WRONG_ANSWER_COST * self.wrong

    def row(self) -> str:
        return (f"{self.right:.1%} | {self.wrong:.1%} | {self.faq_right:.1%} | {self.faq_wrong:.1%} | "
                f"{self.intents_right:.1%} | {self.off_topic_as_faq:g}")


SCORE_HEADER = ("| right overall | wrong answer overall | FAQ right | FAQ wrong answer | other intents right "
                "| off-topic answered as FAQ |")


def score(expected: Sequence[str], decided: Sequence[str]) -> Score:
    def right(e: str, d: str) -> bool:
        return not d.startswith("faq/") if e == OFF_TOPIC else d == e

    pairs = list(zip(expected, decided))
    faq = [(e, d) for e, d in pairs if e.startswith("faq/")]
    intents = [(e, d) for e, d in pairs if not e.startswith("faq/") and e != OFF_TOPIC]
    return Score(
        right=sum(right(e, d) for e, d in pairs) / len(pairs),
        wrong=sum(not right(e, d) and d != FALLBACK for e, d in pairs) / len(pairs),
        faq_right=sum(e == d for e, d in faq) / len(faq),
        faq_wrong=sum(d.startswith("faq/") and d != e for e, d in faq) / len(faq),
        intents_right=sum(e == d for e, d in intents) / len(intents),
        off_topic_as_faq=sum(d.startswith("faq/") for e, d in pairs if e == OFF_TOPIC),
    )


@dataclass(frozen=True)
class Outcomes:
    """Per example, whether acting on the top label is right or wrong, and whether a
    fallback is right (only for off-topic questions): scores any thresholds with numpy."""

    replay: Replay
    right_if_answered: np.ndarray
    right_if_fallback: np.ndarray
    expected_faq: np.ndarray
    expected_other_intent: np.ndarray
    off_topic: np.ndarray

    @classmethod
    def of(cls, expected: Sequence[str], replay: Replay) -> "Outcomes":
        expected_array = np.array(expected)
        top = np.array(replay.top_label)
        off_topic = expected_array == OFF_TOPIC
        right_if_answered = np.where(off_topic, ~replay.is_faq, top == expected_array)
        expected_faq = np.char.startswith(expected_array.astype(str), "faq/")
        return cls(replay, right_if_answered, off_topic.copy(), expected_faq, ~expected_faq & ~off_topic, off_topic)

    def score(self, thresholds: Thresholds) -> Score:
        r = self.replay
        fallback = ((r.confidence < thresholds.fallback) | (r.margin < thresholds.ambiguity)
                    | (r.is_faq & (r.confidence < thresholds.gate)))
        right = np.where(fallback, self.right_if_fallback, self.right_if_answered)
        wrong = ~fallback & ~self.right_if_answered
        return Score(
            right=float(right.mean()),
            wrong=float(wrong.mean()),
            faq_right=float(right[self.expected_faq].mean()),
            faq_wrong=float((wrong & r.is_faq)[self.expected_faq].mean()),
            intents_right=float(right[self.expected_other_intent].mean()),
            off_topic_as_faq=float((~fallback & r.is_faq & self.off_topic).sum()),
        )


def mean_score(expected: Sequence[str], replays: Sequence[Replay], thresholds: Thresholds) -> Score:
    return _mean([Outcomes.of(expected, replay).score(thresholds) for replay in replays])


def _mean(scores: Sequence[Score]) -> Score:
    return Score(*(float(np.mean([getattr(s, name) for s in scores])) for name in Score.__dataclass_fields__))


def choose_thresholds(expected: Sequence[str], runs: Sequence[Run],
                      vocabulary_rule: bool = True) -> Optional[Tuple[Thresholds, Score]]:
    """Apply the rule of the module docstring; None when no thresholds keep off-topic out.
    Each fallback candidate is scored with the chain replayed as it would run with it (the
    dataset reader's trust in an FAQ answer is never below the fallback threshold)."""
    outcomes_at: Dict[float, List[Outcomes]] = {}  # per reader threshold: few distinct ones
    candidates: List[Tuple[Thresholds, Score]] = []
    for fallback, ambiguity, gate in itertools.product(FALLBACK_GRID, AMBIGUITY_GRID, GATE_GRID):
        reader = faq_threshold(float(fallback))
        if reader not in outcomes_at:
            outcomes_at[reader] = [Outcomes.of(expected, Replay.of(run, vocabulary_rule, float(fallback))) for run in runs]
        thresholds = Thresholds(float(fallback), float(ambiguity), float(gate))
        mean = _mean([outcome.score(thresholds) for outcome in outcomes_at[reader]])
        if mean.off_topic_as_faq == 0:
            candidates.append((thresholds, mean))
    if not candidates:
        return None
    best_utility = max(mean.utility for _, mean in candidates)
    near = [(t, m) for t, m in candidates if m.utility >= best_utility - NEAR_TIE]
    # Within a near tie: the highest fallback threshold, then the best utility, then the lowest other thresholds.
    return max(near, key=lambda item: (item[0].fallback, round(item[1].utility, 9), -item[0].ambiguity, -item[0].gate))


# The ask model (bot/knowledge/asked.py): what a message asks of a record. Scored out of fold
# (5-fold, one seed) by the exact set of asks, averaged over three groups of equal weight: the
# not-held questions, the fact questions, and those that ask none (most of them FAQ questions,
# which would otherwise outweigh the rest).
ASK_C_GRID = (3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)
ASK_THRESHOLD_GRID = tuple(np.round(np.arange(0.2, 0.71, 0.05), 2))
ASK_FOLDS = 5
ASK_FLOOR_GRID = (1.0, 0.3, 0.25, 0.2, 0.15)
ASK_TIE = 0.005  # half a point of balanced exact-set accuracy
# How sure the model must be that a question about an FAQ subject asks a detail the sources do not
# hold (bot/knowledge/faq_gaps.py): a line "that is not in my sources" beside an FAQ answer that
# does give it contradicts that answer, so at most one question in 40 that asks nothing (most of
# them FAQ questions) may get it out of fold; of the thresholds that keep to that, the lowest.
DETAIL_GRID = tuple(np.round(np.arange(0.5, 0.991, 0.01), 2))
FALSE_LINE_LIMIT = 0.025


@dataclass(frozen=True)
class AskChoice:
    settings: AskSettings
    exact: float  # exact set of asks, the mean over the three groups
    not_held_f1: float
    rows: Tuple[str, ...]


class _MemoisedMasker:
    """A NameMasker that masks each text once, however many folds and values of C see it."""

    def __init__(self, masker) -> None:
        self._masker = masker
        self._masked: Dict[str, str] = {}

    def mask(self, text: str) -> str:
        if text not in self._masked:
            self._masked[text] = self._masker.mask(text)
        return self._masked[text]


@lru_cache(maxsize=None)
def _memoised_name_masker() -> _MemoisedMasker:
    from bot.knowledge.asked import name_masker

    return _MemoisedMasker(name_masker())


def _ask_out_of_fold(examples: Tuple, seed: int, c: float) -> Tuple[np.ndarray, np.ndarray]:
    """The ask model's probabilities for every example from a model that did not see it (a
    column per label of bot.knowledge.asked.Ask, 0.0 where the fold's model lacks the label),
    and which labels the model had."""
    probabilities, known = _ask_out_of_fold_made_once(examples, seed, c)
    return probabilities.copy(), known.copy()


@lru_cache(maxsize=8)
def _ask_out_of_fold_made_once(examples: Tuple, seed: int, c: float) -> Tuple[np.ndarray, np.ndarray]:
    from sklearn.model_selection import KFold

    from bot.knowledge.asked import Ask, AskModel

    column = {ask: j for j, ask in enumerate(Ask)}
    probabilities = np.zeros((len(examples), len(column)))
    known = np.zeros((len(examples), len(column)), dtype=bool)
    # The asks model only: without topics the fit skips the topic classifier, which these scores never use.
    untopical = [replace(example, topic=None) for example in examples]
    for train, test in KFold(ASK_FOLDS, shuffle=True, random_state=seed).split(examples):
        model = AskModel(_memoised_name_masker(), AskSettings(c=c)).fit([untopical[i] for i in train])
        for i, row in zip(test, model.probabilities([examples[i].text for i in test])):
            for ask, probability in row.items():
                probabilities[i, column[ask]], known[i, column[ask]] = probability, True
    return probabilities, known


def choose_ask_settings(examples=None, seed: int = 2022, c_grid: Sequence[float] = ASK_C_GRID) -> AskChoice:
    """The ask model's C, threshold and not-held floor by balanced exact-set accuracy out of fold.
    Of the settings within ASK_TIE of the best (differences the data cannot tell apart): the
    smaller C, then the threshold nearest 0.5, then the higher floor (fewer "not in the sources").

    Each threshold and floor is scored as bot.knowledge.asked.decide decides, on a matrix of the
    probabilities (a column per label; a label a fold's model lacks is never asked)."""
    from bot.knowledge.asked import Ask, load_examples

    examples = list(examples if examples is not None else load_examples())
    truth = [example.asks for example in examples]
    groups = [[i for i, t in enumerate(truth) if Ask.NOT_HELD in t], [i for i, t in enumerate(truth) if t and Ask.NOT_HELD not in t],
              [i for i, t in enumerate(truth) if not t]]
    rows = ["| C | best threshold | not_held floor | exact set (not held, facts, none: mean) | not_held F1 |",
            "|---|---|---|---|---|"]
    asks = list(Ask)
    not_held = asks.index(Ask.NOT_HELD)
    truth_matrix = np.array([[ask in t for ask in asks] for t in truth], dtype=bool).reshape(len(truth), len(asks))
    truly_not_held = truth_matrix[:, not_held]
    scored: List[Tuple[float, AskSettings, float]] = []
    for c in c_grid:
        probabilities, known = _ask_out_of_fold(tuple(examples), seed, c)
        best_of_c = None
        for threshold, floor in itertools.product(ASK_THRESHOLD_GRID, ASK_FLOOR_GRID):
            candidate = AskSettings(c=c, threshold=float(threshold), not_held_floor=float(floor))
            predicted = known & (probabilities >= candidate.threshold)
            predicted[:, not_held] |= ~predicted.any(axis=1) & (probabilities[:, not_held] >= candidate.not_held_floor)
            # not_held beside a fact: the likelier of the two (bot.knowledge.asked.decide)
            others = predicted.copy()
            others[:, not_held] = False
            both = predicted[:, not_held] & others.any(axis=1)
            strongest_fact = np.where(others, probabilities, 0.0).max(axis=1)
            not_held_wins = both & (probabilities[:, not_held] > strongest_fact)
            predicted[not_held_wins] = False
            predicted[not_held_wins, not_held] = True
            predicted[both & ~not_held_wins, not_held] = False
            right = (predicted == truth_matrix).all(axis=1)
            per_group = [float(np.mean(right[group])) for group in groups if group]
            exact = float(np.mean(per_group))
            predicted_not_held = predicted[:, not_held]
            tp = int(np.sum(predicted_not_held & truly_not_held))
            fp = int(np.sum(predicted_not_held & ~truly_not_held))
            fn = int(np.sum(~predicted_not_held & truly_not_held))
            f1 = 2 * tp / max(1, 2 * tp + fp + fn)
            scored.append((exact, candidate, f1))
            key = (exact, -c, -abs(threshold - 0.5), floor)
            if best_of_c is None or key > best_of_c[0]:
                groups_text = ", ".join(f"{share:.1%}" for share in per_group)
                best_of_c = (key, f"| {c:g} | {threshold:g} | {floor:g} | {groups_text}: {exact:.1%} | {f1:.3f} |")
        rows.append(best_of_c[1])
    top = max(exact for exact, _, _ in scored)
    exact, settings, f1 = min((s for s in scored if s[0] >= top - ASK_TIE),
                              key=lambda s: (s[1].c, abs(s[1].threshold - 0.5), -s[1].not_held_floor))
    probabilities, _ = _ask_out_of_fold(tuple(examples), seed, settings.c)
    detail, detail_row = choose_sure_of_a_detail(examples, probabilities[:, not_held])
    return AskChoice(replace(settings, sure_of_a_detail=detail), exact, f1, (*rows, "", detail_row))


def choose_sure_of_a_detail(examples: Sequence, not_held: np.ndarray) -> Tuple[float, str]:
    """The probability of not_held from which a detail of no checkable topic is said to be left out
    of an FAQ answer: the lowest at which at most FALSE_LINE_LIMIT of the questions that ask nothing
    would get the line, out of fold (1.0, never, when none keeps to it)."""
    from bot.knowledge.asked import Ask, can_be_checked

    # (the topics no fact pattern can check: the ones the line is for)
    detail = np.array([Ask.NOT_HELD in e.asks and not can_be_checked(e.topic) for e in examples])
    nothing = np.array([not e.asks for e in examples])
    threshold, recall, false = 1.0, 0.0, 0.0
    for candidate in DETAIL_GRID:
        line = not_held >= candidate
        if float(np.mean(line[nothing])) <= FALSE_LINE_LIMIT:
            threshold, recall, false = float(candidate), float(np.mean(line[detail])), float(np.mean(line[nothing]))
            break
    return threshold, (f"Detail left out of an FAQ answer: `ask_sure_of_a_detail: {threshold:g}` (out of fold: "
                       f"{recall:.1%} of {int(detail.sum())} not-held details of topics content/other get the line, "
                       f"{false:.1%} of {int(nothing.sum())} questions that ask nothing do).")


def describe(settings: ModelSettings) -> str:
    return (f"{settings.estimator}, C={settings.c:g}{', balanced' if settings.balanced else ''}, chars "
            f"{settings.char_ngrams}, words {settings.word_ngrams}, {'lemmas' if settings.use_lemmas else 'word forms'}")


Candidate = TypeVar("Candidate", bound=tuple)


def chosen_settings(candidates: Sequence[Candidate], configured: ModelSettings) -> Optional[Candidate]:
    """Of the candidates (utility, settings, …) in grid order, the one with the highest utility (the first of
    equal ones), unless the configured settings' is within NEAR_TIE of it: a difference of noise is no reason
    for a new model (the round c17 grid put C 300, 1-4-grams 0.001 above the configured C 1000, 2-5-grams)."""
    best: Optional[Candidate] = None
    for candidate in candidates:
        if best is None or candidate[0] > best[0] + 1e-9:
            best = candidate
    kept = next((candidate for candidate in candidates if candidate[1] == configured), None)
    if best is not None and kept is not None and kept[0] >= best[0] - NEAR_TIE:
        return kept
    return best


def configured_model_settings() -> ModelSettings:
    """The classifier's settings in config.yml."""
    return ModelSettings.from_config(component_config("bot.nlu.linear_classifier.LinearIntentClassifier"))


def top1_accuracy(expected: Sequence[str], run: Run) -> float:
    predicted = [run.labels[i] for i in run.probabilities.argmax(axis=1)]
    return float(np.mean([e == p for e, p in zip(expected, predicted)]))


def main(argv: Optional[Iterable[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="a smoke test: only the settings in config.yml (the ask model's C too), one seed; "
                             "writes reports/tune-quick.md")
    parser.add_argument("--asks", action="store_true", help="only the ask model (bot/knowledge/asked.py)")
    args = parser.parse_args(list(argv) if argv is not None else None)

    asks = choose_ask_settings(c_grid=(ask_settings().c,) if args.quick else ASK_C_GRID)
    ask_report = "\n".join([
        "## What is asked (bot/knowledge/asked.py)", "",
        f"{ASK_FOLDS}-fold out of fold on data/asks.yml and the negatives; exact set of asks.", "", *asks.rows, "",
        f"Best: `ask_c: {asks.settings.c:g}`, `ask_threshold: {asks.settings.threshold:g}`, "
        f"`ask_not_held_floor: {asks.settings.not_held_floor:g}`, `ask_sure_of_a_detail: {asks.settings.sure_of_a_detail:g}` "
        f"({asks.exact:.1%} exact, not_held F1 {asks.not_held_f1:.3f}).",
    ])
    print(ask_report, flush=True)
    if args.asks:
        return 0

    texts, labels = training_examples()
    lemmatise = offline_lemmatiser()
    grid = (configured_model_settings(),) if args.quick else SETTINGS_GRID
    seeds = SEEDS[:1] if args.quick else SEEDS
    print(f"{len(texts)} training examples, {len(set(labels))} labels, {FOLDS}-fold × {len(seeds)} seeds", flush=True)
    readings(tuple(texts))  # read once before the clock runs: "fit s per fold" is the fits

    rows = ["| settings | top-1 label | utility with its thresholds | fit s per fold |", "|---|---|---|---|"]
    candidates: List[Tuple[float, ModelSettings, Thresholds, Score, List[Run]]] = []
    for settings in grid:
        started = time.perf_counter()
        runs = [out_of_fold(settings, texts, labels, lemmatise, seed) for seed in seeds]
        seconds = (time.perf_counter() - started) / (FOLDS * len(seeds))
        chosen = choose_thresholds(labels, runs)
        utility = chosen[1].utility if chosen else float("-inf")
        accuracy = float(np.mean([top1_accuracy(labels, run) for run in runs]))
        rows.append(f"| {describe(settings)} | {accuracy:.1%} | {utility:.3f} | {seconds:.1f} |")
        print(rows[-1], flush=True)
        if chosen:
            candidates.append((utility, settings, chosen[0], chosen[1], runs))
    best = chosen_settings(candidates, configured_model_settings())
    if best is None:
        print("No thresholds keep every off-topic question away from an FAQ answer.", file=sys.stderr)
        return 1
    _, settings, thresholds, chosen_score, runs = best

    def replayed(thresholds: Thresholds, vocabulary_rule: bool = True, reader: bool = True) -> Score:
        replays = [Replay.of(run if reader else replace(run, readings=[None] * len(texts)), vocabulary_rule,
                             thresholds.fallback) for run in runs]
        return mean_score(labels, replays, thresholds)

    without_rule = choose_thresholds(labels, runs, vocabulary_rule=False)
    one_model = float(np.mean([top1_accuracy(labels, run) for run in runs]))
    two_models = float(np.mean([two_models_top1(settings, texts, labels, lemmatise, seed) for seed in seeds]))
    report = "\n".join([
        "# Cross-validated settings and thresholds (training data only)", "",
        f"{len(texts)} examples, {len(set(labels))} labels, stratified {FOLDS}-fold, seeds "
        f"{', '.join(map(str, seeds))}; utility = right − {WRONG_ANSWER_COST:g} × wrong, no FAQ answer to off-topic.",
        "", *rows, "",
        f"Best: **{describe(settings)}**.", "",
        f"One model over intents and FAQ answers: {one_model:.1%} top-1 label out of fold; two models "
        f"(intents, then FAQ answers, as DIET and the ResponseSelector): {two_models:.1%}.", "",
        f"- FallbackClassifier `threshold: {thresholds.fallback:g}`, `ambiguity_threshold: {thresholds.ambiguity:g}`",
        f"- FAQ gate `threshold: {thresholds.gate:g}`", "",
        f"| out of fold, best settings {SCORE_HEADER}", "|---|---|---|---|---|---|---|",
        f"| no thresholds | {replayed(Thresholds(0.0, 0.0, 0.0)).row()} |",
        f"| chosen thresholds | {chosen_score.row()} |",
        f"| chosen thresholds, without the FAQ-word rule | {replayed(thresholds, vocabulary_rule=False).row()} |",
        f"| chosen thresholds, without the dataset reader (bot.nlu.lookup_reader) | {replayed(thresholds, reader=False).row()} |",
        "| best thresholds without the FAQ-word rule | "
        + (f"{without_rule[1].row()} |" if without_rule else "none keeps off-topic questions out |"),
        "", ask_report,
    ])
    reports = PROJECT_DIR / "reports"
    reports.mkdir(exist_ok=True)
    # The smoke test does not overwrite the report of the full grid.
    (reports / ("tune-quick.md" if args.quick else "tune.md")).write_text(report + "\n", encoding="utf-8")
    print("\n" + report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
