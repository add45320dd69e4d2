"""One intent/FAQ classifier over Dutch and English examples, or one per language?

Decided by cross-validation on the training data (bot.NLU_FILES; the held-out files are not
read). An example's language is the file it comes from: data/nlu/english.yml is English, the
other files are Dutch. Stratified 5-fold by label (intents and `faq/<key>`), with the seeds
and fold style of tools/tune.py; in each fold:

    one model      one IntentModel (config.yml's settings) on all the fold's training examples
    per language   two IntentModels, one on the fold's Dutch and one on its English training
                   examples; a held-out example goes to the model of
                   bot.language.detect(text, "nl"), as the assistant would route a message
                   (and, for reference, to the model of its own file: perfect routing)

Scored on the held-out examples: top-1 label accuracy on the Dutch and on the English
examples, and macro-F1 over the FAQ labels per language (each FAQ label the language's
examples hold, over all of that language's examples, so an intent read as an FAQ answer
counts against precision); the mean over the seeds. Also the fitting time per fold and the
size of the fitted models (pickled).

The rule (written down before any result): one model, unless per language, routed by
bot.language.detect, is better by more than 1 point of accuracy on either language without
being worse on the other.

    python -m tools.language_models           both seeds (about 75 s on 2 cores); reports/language_models.md
    python -m tools.language_models --quick   one seed
"""
from __future__ import annotations

import argparse
import pickle
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from bot import NLU_FILES, PROJECT_DIR
from bot.language import DUTCH, ENGLISH, LANGUAGES, detect
from bot.nlu.intent_model import FAQ_LABEL_PREFIX, IntentModel, Lemmatiser, ModelSettings
from bot.settings import component_config
from tools.tune import SEEDS, offline_lemmatiser

ENGLISH_FILE = "data/nlu/english.yml"
CLASSIFIER = "bot.nlu.linear_classifier.LinearIntentClassifier"
FOLDS = 5
MARGIN = 0.01  # "more than 1 point"
REPORT = PROJECT_DIR / "reports" / "language_models.md"

ONE_MODEL = "one model"
PER_LANGUAGE = "per language, routed by detect"
PER_FILE = "per language, routed by file"
ARMS = (ONE_MODEL, PER_LANGUAGE, PER_FILE)

Router = Callable[[str], str]


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # an intent, or `faq/<key>` for an FAQ answer
    language: str  # "nl" or "en": the file it comes from


def language_of_file(name: str) -> str:
    return ENGLISH if name == ENGLISH_FILE else DUTCH


def tagged_examples() -> List[Example]:
    """bot.nlu.training_data.training_examples(), each example with the language of its file."""
    from rasa.shared.nlu.training_data.loading import load_data

    if ENGLISH_FILE not in NLU_FILES:
        raise RuntimeError(f"{ENGLISH_FILE} is not in bot.NLU_FILES: which examples are English?")
    return [Example(m.get("text"), m.get("intent_response_key") or m.get("intent"), language_of_file(name))
            for name in NLU_FILES for m in load_data(str(PROJECT_DIR / name)).intent_examples]


def config_settings() -> ModelSettings:
    """The classifier's settings as config.yml gives them to the Rasa component."""
    return ModelSettings.from_config(component_config(CLASSIFIER))


def detect_route(text: str) -> str:
    return detect(text, DUTCH)


@dataclass
class SeedRun:
    """Out-of-fold predictions of each arm for every example, with one seed's folds."""

    predicted: Dict[str, List[str]]
    fit_seconds: Dict[str, List[float]] = field(default_factory=dict)  # per fold
    model_bytes: Dict[str, List[int]] = field(default_factory=dict)  # per fold
    routed: List[str] = field(default_factory=list)  # the language each example was routed to


def _fit(texts: Sequence[str], labels: Sequence[str], settings: ModelSettings,
         lemmatise: Optional[Lemmatiser]) -> Tuple[IntentModel, float, int]:
    started = time.perf_counter()
    model = IntentModel(settings).fit(texts, labels, lemmatise)
    return model, time.perf_counter() - started, len(pickle.dumps(model))


def _top1(model: IntentModel, texts: Sequence[str], lemmatise: Optional[Lemmatiser]) -> List[str]:
    if not texts:
        return []
    return [model.labels[j] for j in model.predict_proba(texts, lemmatise).argmax(axis=1)]


def cross_validate(examples: Sequence[Example], settings: ModelSettings, lemmatise: Optional[Lemmatiser],
                   seed: int, folds: int = FOLDS, route: Router = detect_route) -> SeedRun:
    """Every arm's prediction for every example, from models that did not see it."""
    texts, labels = [e.text for e in examples], [e.label for e in examples]
    routed = [route(text) for text in texts]
    run = SeedRun({arm: [""] * len(examples) for arm in ARMS}, {arm: [] for arm in ARMS},
                  {arm: [] for arm in ARMS}, routed)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, labels):
        one, seconds, size = _fit([texts[i] for i in train], [labels[i] for i in train], settings, lemmatise)
        for i, label in zip(test, _top1(one, [texts[i] for i in test], lemmatise)):
            run.predicted[ONE_MODEL][i] = label
        run.fit_seconds[ONE_MODEL].append(seconds)
        run.model_bytes[ONE_MODEL].append(size)

        models: Dict[str, IntentModel] = {}
        seconds = size = 0
        for language in LANGUAGES:
            own = [i for i in train if examples[i].language == language]
            models[language], s, b = _fit([texts[i] for i in own], [labels[i] for i in own], settings, lemmatise)
            seconds, size = seconds + s, size + b
        for arm, language_of in ((PER_LANGUAGE, lambda i: routed[i]), (PER_FILE, lambda i: examples[i].language)):
            for language in LANGUAGES:
                mine = [i for i in test if language_of(i) == language]
                for i, label in zip(mine, _top1(models[language], [texts[i] for i in mine], lemmatise)):
                    run.predicted[arm][i] = label
            run.fit_seconds[arm].append(seconds)
            run.model_bytes[arm].append(size)
    return run


@dataclass(frozen=True)
class Figures:
    """One arm's out-of-fold figures for one language (the mean over the seeds)."""

    accuracy: float
    faq_macro_f1: float


def figures(examples: Sequence[Example], runs: Sequence[SeedRun], arm: str, language: str) -> Figures:
    mine = [i for i, e in enumerate(examples) if e.language == language]
    expected = [examples[i].label for i in mine]
    faq_labels = sorted({label for label in expected if label.startswith(FAQ_LABEL_PREFIX)})
    accuracies, f1s = [], []
    for run in runs:
        predicted = [run.predicted[arm][i] for i in mine]
        accuracies.append(float(np.mean([e == p for e, p in zip(expected, predicted)])))
        if faq_labels:
            f1s.append(float(f1_score(expected, predicted, labels=faq_labels, average="macro", zero_division=0)))
    return Figures(float(np.mean(accuracies)), float(np.mean(f1s)) if f1s else float("nan"))


def decide(one: Dict[str, float], per_language: Dict[str, float], margin: float = MARGIN) -> bool:
    """The rule: per language when it is better by more than `margin` on one language and not
    worse on the other (accuracies as fractions)."""
    gains = {language: per_language[language] - one[language] for language in LANGUAGES}
    return any(gains[language] > margin and all(gains[other] >= 0 for other in LANGUAGES if other != language)
               for language in LANGUAGES)


@dataclass(frozen=True)
class Comparison:
    examples: Tuple[Example, ...]
    runs: Tuple[SeedRun, ...]
    seeds: Tuple[int, ...]
    folds: int

    def figures(self, arm: str, language: str) -> Figures:
        return figures(self.examples, self.runs, arm, language)

    def accuracies(self, arm: str) -> Dict[str, float]:
        return {language: self.figures(arm, language).accuracy for language in LANGUAGES}

    @property
    def per_language_wins(self) -> bool:
        return decide(self.accuracies(ONE_MODEL), self.accuracies(PER_LANGUAGE))

    def routed_right(self, language: str) -> float:
        mine = [i for i, e in enumerate(self.examples) if e.language == language]
        return float(np.mean([self.runs[0].routed[i] == language for i in mine])) if mine else float("nan")


def compare(examples: Sequence[Example], settings: ModelSettings, lemmatise: Optional[Lemmatiser],
            seeds: Sequence[int] = SEEDS, folds: int = FOLDS, route: Router = detect_route) -> Comparison:
    runs = tuple(cross_validate(examples, settings, lemmatise, seed, folds, route) for seed in seeds)
    return Comparison(tuple(examples), runs, tuple(seeds), folds)


_NAMES = {DUTCH: "Dutch", ENGLISH: "English"}


def _count(examples: Sequence[Example], language: str) -> str:
    mine = [e for e in examples if e.language == language]
    return f"{len(mine)} ({len({e.label for e in mine})} labels)"


def one_language_labels(examples: Sequence[Example]) -> Dict[str, List[str]]:
    """The labels only one language's files hold: the other language's model cannot predict them."""
    held = {language: {e.label for e in examples if e.language == language} for language in LANGUAGES}
    return {language: sorted(held[language] - set().union(*(held[o] for o in LANGUAGES if o != language)))
            for language in LANGUAGES}


def _without_one_language_labels(c: Comparison) -> Optional[str]:
    """Accuracy per language without the labels one language lacks (None when both hold all)."""
    only = one_language_labels(c.examples)
    left_out = {label for labels in only.values() for label in labels}
    if not left_out:
        return None
    parts = []
    for language in LANGUAGES:
        kept = [i for i, e in enumerate(c.examples) if e.label not in left_out and e.language == language]
        runs = [SeedRun({arm: [run.predicted[arm][i] for i in kept] for arm in ARMS}) for run in c.runs]
        one, per = (figures([c.examples[i] for i in kept], runs, arm, language).accuracy
                    for arm in (ONE_MODEL, PER_LANGUAGE))
        parts.append(f"{_NAMES[language]} {one:.1%} one model, {per:.1%} per language")
    held = "; ".join(f"{', '.join(f'`{label}`' for label in labels)} only in the {_NAMES[language]} files"
                     for language, labels in only.items() if labels)
    return (f"Labels only one language's files hold ({held}; the other language's model cannot predict them): "
            f"without their examples, {'; '.join(parts)}.")


def report(comparison: Comparison, settings: ModelSettings, day: Optional[date] = None) -> str:
    c = comparison
    rows = ["| out of fold | Dutch accuracy | English accuracy | Dutch FAQ macro-F1 | English FAQ macro-F1 "
            "| fit s per fold | models' size |", "|---|---|---|---|---|---|---|"]
    for arm in ARMS:
        nl, en = c.figures(arm, DUTCH), c.figures(arm, ENGLISH)
        seconds = float(np.mean([s for run in c.runs for s in run.fit_seconds[arm]]))
        megabytes = float(np.mean([b for run in c.runs for b in run.model_bytes[arm]])) / 1e6
        rows.append(f"| {arm} | {nl.accuracy:.1%} | {en.accuracy:.1%} | {nl.faq_macro_f1:.3f} | {en.faq_macro_f1:.3f} "
                    f"| {seconds:.1f} | {megabytes:.1f} MB |")
    per_seed = []
    for seed, run in zip(c.seeds, c.runs):
        single = Comparison(c.examples, (run,), (seed,), c.folds)
        one, per = single.accuracies(ONE_MODEL), single.accuracies(PER_LANGUAGE)
        per_seed.append(f"seed {seed}: Dutch {100 * (per[DUTCH] - one[DUTCH]):+.1f}, "
                        f"English {100 * (per[ENGLISH] - one[ENGLISH]):+.1f}")
    one, per = c.accuracies(ONE_MODEL), c.accuracies(PER_LANGUAGE)
    caveat = _without_one_language_labels(c)
    verdict = ("**one model per language**" if c.per_language_wins else "**one model** over Dutch and English")
    return "\n".join([
        "# One classifier for Dutch and English, or one per language", "",
        f"{(day or date.today()).isoformat()}, `python -m tools.language_models` (training data only). "
        f"{len(c.examples)} examples: Dutch {_count(c.examples, DUTCH)}, English {_count(c.examples, ENGLISH)} "
        f"({ENGLISH_FILE}; the other files of bot.NLU_FILES are Dutch). Stratified {c.folds}-fold by label, "
        f"seeds {', '.join(map(str, c.seeds))}; config.yml's settings ({settings.estimator}, C={settings.c:g}, "
        f"chars {settings.char_ngrams}, words {settings.word_ngrams}, "
        f"{'lemmas' if settings.use_lemmas else 'word forms'}).",
        "",
        "Rule, written down before the result: one model unless per language (routed by "
        "`bot.language.detect(text, \"nl\")`) is better by more than 1 point on either language "
        "without being worse on the other (top-1 label accuracy).", "",
        *rows, "",
        "Top-1 label (intent or `faq/<key>`), no thresholds. FAQ macro-F1: over the FAQ labels, on all "
        "examples of the language. \"Routed by file\" sends each example to its own language's model (perfect "
        "routing), for reference. Fit time: both models together for per language; size: pickled.", "",
        f"Routing by detect: {c.routed_right(DUTCH):.1%} of the Dutch examples to the Dutch model, "
        f"{c.routed_right(ENGLISH):.1%} of the English examples to the English model.", "",
        *([caveat, ""] if caveat else []),
        f"Per language minus one model, accuracy points: Dutch {100 * (per[DUTCH] - one[DUTCH]):+.1f}, "
        f"English {100 * (per[ENGLISH] - one[ENGLISH]):+.1f} ({'; '.join(per_seed)}).", "",
        f"Decision: {verdict}.",
    ])


def main(argv: Optional[Iterable[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one seed")
    args = parser.parse_args(list(argv) if argv is not None else None)

    examples = tagged_examples()
    settings = config_settings()
    lemmatise = offline_lemmatiser()
    for example in examples:  # lemmatise once, before any fit is timed
        lemmatise(example.text)
    seeds = SEEDS[:1] if args.quick else SEEDS
    print(f"{len(examples)} training examples, {FOLDS}-fold × {len(seeds)} seeds", flush=True)
    comparison = compare(examples, settings, lemmatise, seeds)
    text = report(comparison, settings)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(text + "\n", encoding="utf-8")
    print("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
