"""Scores of every household in every municipality: what the assignment maximises.

The score of a pair is the predicted probability that at least one adult of the
household is employed within two years of settling in the municipality (GeoMatch's
target). It comes from one of two sources, named in the input's ``scores``:

* ``file``: a matrix predicted elsewhere (e.g. by a model trained on register data).
  Either a ``.csv`` with a header ``household,<municipality id>,<municipality id>,...``
  and one row per household id (its score in each municipality, a number in [0, 1]),
  every household and every municipality of the input present, in any order; or a
  ``.npy`` file with a float array of shape (households, municipalities) in the order of
  the input. Problems name the row and column.
* ``synthetic`` (the default): a transparent logistic model over household and
  municipality features, ``SyntheticModel``. It is SYNTHETIC: its coefficients are
  plausible assumptions, not estimates from data, and it exists so that the engine, the
  generators and the benchmarks have a score with the right shape (education and the
  labour market interact, language and networks help, children and ill health slow
  entry into work). No decision about real people may rest on it.

Beside the score, a co-national network bonus ``rules.network_bonus * network`` is added
to the objective, where ``network`` in [0, 1] grows with the log of the number of
countrymen living in the municipality (full at ``NETWORK_FULL`` residents). The bonus is
kept apart from the score so that results report both.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import NationalInputError, NationalInstance

NETWORK_FULL = 1000  # countrymen (or speakers) from whom the network term is 1


@dataclass(frozen=True)
class SyntheticModel:
    """Coefficients of the synthetic score (logit of one adult's employment probability).

    z = intercept + education * e + labour_market * lab + interaction * (e - 0.4) * lab
        + low_skill * (1 - e) * (low_skill_jobs - 0.25) + language * lang + network * net
        - child * min(children, 6) - treatment * [needs treatment]
    with e = education level / 3 (0 none .. 1 tertiary), lab the municipality's standardised
    labour-market strength, lang and net in [0, 1] (speakers of the household's language
    and countrymen living there, log scale). One adult's probability is p = 1 / (1 + e^-z);
    a household's score is 1 - (1 - p)^a with a = 1 + correlation * (adults - 1): a second
    adult helps, but outcomes within a household are correlated. An unaccompanied minor
    counts as one "adult" (education or work).
    """

    intercept: float = -0.9
    education: float = 1.2
    labour_market: float = 0.35
    interaction: float = 0.5
    low_skill: float = 2.0
    language: float = 0.5
    network: float = 0.4
    child: float = 0.10
    treatment: float = 0.6
    correlation: float = 0.6


@dataclass(frozen=True)
class Scores:
    """The score and the network bonus of every pair ([households, municipalities])."""

    score: np.ndarray
    bonus: np.ndarray
    source: str  # words for the result: "synthetic model (not estimated from data)" or a file

    @property
    def value(self) -> np.ndarray:
        """What the assignment maximises per pair: score plus network bonus."""
        return self.score + self.bonus


def network_terms(instance: NationalInstance) -> tuple[np.ndarray, np.ndarray]:
    """([n, m] countrymen term, [n, m] speakers term), each in [0, 1] on a log scale."""
    munis = instance.municipalities
    scale = np.log1p(NETWORK_FULL)

    def term(keys: list[str], tables: list[dict[str, int]]) -> np.ndarray:
        codes = sorted(set(keys))
        index = {c: k for k, c in enumerate(codes)}
        counts = np.array([[t.get(c, 0) for t in tables] for c in codes], dtype=float)
        if not len(codes):
            return np.zeros((0, len(tables)))
        per_code = np.minimum(np.log1p(counts) / scale, 1.0)
        return per_code[[index[k] for k in keys]]

    net = term([h.nationality for h in instance.households], [m.countrymen for m in munis])
    lang = term([h.language for h in instance.households], [m.speakers for m in munis])
    return net, lang


def synthetic_scores(
    instance: NationalInstance, model: SyntheticModel = SyntheticModel()
) -> np.ndarray:
    """[n, m] scores of the synthetic logistic model (see ``SyntheticModel``)."""
    hs, ms = instance.households, instance.municipalities
    if not hs:
        return np.zeros((0, len(ms)))
    e = np.array([h.education for h in hs], dtype=float)[:, None] / 3.0
    children = np.array([min(h.children, 6) for h in hs], dtype=float)[:, None]
    treatment = np.array([h.treatment for h in hs], dtype=float)[:, None]
    adults = np.array([max(h.adults, 1) for h in hs], dtype=float)[:, None]
    lab = np.array([m.labour_market for m in ms])[None, :]
    low = np.array([m.low_skill_jobs for m in ms])[None, :]
    net, lang = network_terms(instance)
    z = (
        model.intercept
        + model.education * e
        + model.labour_market * lab
        + model.interaction * (e - 0.4) * lab
        + model.low_skill * (1.0 - e) * (low - 0.25)
        + model.language * lang
        + model.network * net
        - model.child * children
        - model.treatment * treatment
    )
    p = 1.0 / (1.0 + np.exp(-z))
    a = 1.0 + model.correlation * (adults - 1.0)
    return 1.0 - (1.0 - p) ** a


def file_scores(instance: NationalInstance, path: Path) -> np.ndarray:
    """[n, m] scores read from a .csv or .npy file (formats in the module docstring)."""
    if not path.exists():
        raise NationalInputError([f'field "scores.path": no such file {path}'])
    if path.suffix.lower() == ".npy":
        matrix = _npy(path, instance)
    elif path.suffix.lower() == ".csv":
        matrix = _csv(path, instance)
    else:
        raise NationalInputError([f'field "scores.path": {path.name} is neither .csv nor .npy'])
    bad = ~np.isfinite(matrix) | (matrix < 0) | (matrix > 1)
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise NationalInputError(
            [
                f"scores file {path.name}: {int(bad.sum())} value(s) outside [0, 1], the first for "
                f'household "{instance.households[i].id}" in municipality '
                f'"{instance.municipalities[j].id}"'
            ]
        )
    return matrix


def _npy(path: Path, instance: NationalInstance) -> np.ndarray:
    try:
        matrix = np.load(path, allow_pickle=False)
    except (ValueError, OSError) as exc:
        raise NationalInputError([f"scores file {path.name}: not a NumPy array ({exc})"]) from exc
    want = (len(instance.households), len(instance.municipalities))
    if matrix.shape != want or not np.issubdtype(matrix.dtype, np.number):
        raise NationalInputError(
            [
                f"scores file {path.name}: a numeric array of shape {want} "
                f"(households, municipalities) is needed, not {matrix.dtype} {matrix.shape}"
            ]
        )
    return matrix.astype(float)


def _csv(path: Path, instance: NationalInstance) -> np.ndarray:
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise NationalInputError([f"scores file {path.name}: empty"])
    header = [c.strip() for c in rows[0]]
    col_of = instance.municipality_index()
    problems = [
        f'scores file {path.name}, header: unknown municipality "{c}"'
        for c in header[1:]
        if c not in col_of
    ]
    problems += [
        f'scores file {path.name}, header: no column for municipality "{m}"'
        for m in col_of
        if m not in header[1:]
    ]
    row_of = {h.id: i for i, h in enumerate(instance.households)}
    matrix = np.full((len(row_of), len(col_of)), np.nan)
    seen = set()
    for line, row in enumerate(rows[1:], start=2):
        if not row or not any(c.strip() for c in row):
            continue
        hid = row[0].strip()
        if hid not in row_of:
            problems.append(f'scores file {path.name}, line {line}: unknown household "{hid}"')
            continue
        if hid in seen:
            problems.append(f'scores file {path.name}, line {line}: household "{hid}" again')
        seen.add(hid)
        if len(row) != len(header):
            problems.append(
                f"scores file {path.name}, line {line} (household {hid}): {len(row)} values, "
                f"the header has {len(header)}"
            )
            continue
        for name, cell in zip(header[1:], row[1:], strict=True):
            try:
                value = float(cell)
            except ValueError:
                problems.append(
                    f'scores file {path.name}, line {line} (household {hid}), column "{name}": '
                    f'"{cell}" is not a number'
                )
                continue
            if name in col_of:
                matrix[row_of[hid], col_of[name]] = value
    problems += [
        f'scores file {path.name}: no row for household "{h}"' for h in row_of if h not in seen
    ]
    if problems:
        raise NationalInputError(problems)
    return matrix


def scores_of(instance: NationalInstance, model: SyntheticModel = SyntheticModel()) -> Scores:
    """The scores the instance names, with the network bonus of its rules."""
    if instance.scores.source == "file" and instance.scores.path is not None:
        score = file_scores(instance, instance.scores.path)
        source = f"file {instance.scores.path.name}"
    else:
        score = synthetic_scores(instance, model)
        source = "synthetic model (not estimated from data)"
    net, _ = network_terms(instance)
    return Scores(score, instance.rules.network_bonus * net, source)
