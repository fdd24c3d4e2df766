import json
import os
import subprocess
import sys

import pytest

from backprop import cli


def run(argv, capsys):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_trace_prints_the_documented_keys(classic_config, config_file, capsys):
    code, out, err = run(["trace", config_file(classic_config)], capsys)
    assert code == 0 and err == ""
    doc = json.loads(out)
    for key in ("layers", "loss", "deltas", "grad_weights", "grad_biases", "weights", "biases",
                "loss_after", "events"):
        assert key in doc
    assert doc["loss"] == pytest.approx(0.298371109, abs=1e-9)
    assert doc["weights"][1][0][0] == pytest.approx(0.35891648, abs=1e-8)
    assert len(doc["grad_weights"][0]) == 2 and len(doc["grad_weights"][0][0]) == 2


def test_train_losses_start_before_the_first_step(classic_config, config_file, capsys):
    classic_config["steps"] = 3
    code, out, _ = run(["train", config_file(classic_config)], capsys)
    doc = json.loads(out)
    assert code == 0 and len(doc["losses"]) == 4
    assert doc["losses"][0] == pytest.approx(0.298371109, abs=1e-9)
    assert doc["losses"] == sorted(doc["losses"], reverse=True)
    # one step more than `trace`: the first update gives the same weights
    classic_config["steps"] = 1
    _, out1, _ = run(["train", config_file(classic_config, "one.json")], capsys)
    _, out2, _ = run(["trace", config_file(classic_config, "two.json")], capsys)
    assert json.loads(out1)["weights"] == json.loads(out2)["weights"]


def test_mse_and_regularization_semantics(config_file, capsys):
    # One linear neuron, w = 2, b = 0, x = 1, y = 0, mse, l2 = 0.5, lr = 0.1:
    # loss = 4, ∂L/∂w = 2·(2 − 0)·1 = 4, plus λ·w = 1 → w = 2 − 0.1·5 = 1.5; b has no decay.
    config = {"layers": [1, 1], "activations": ["linear"], "loss": "mse",
              "weights": [[[2.0]]], "biases": [[0.0]],
              "optimizer": {"name": "sgd", "learning_rate": 0.1},
              "regularization": {"l2": 0.5}, "inputs": [[1.0]], "targets": [[0.0]]}
    _, out, _ = run(["trace", config_file(config)], capsys)
    doc = json.loads(out)
    assert doc["loss"] == 4.0
    assert doc["grad_weights"] == [[[4.0]]]
    assert doc["weights"][0][0][0] == pytest.approx(1.5)
    assert doc["biases"][0][0] == pytest.approx(-0.4)
    assert doc["loss_after"] == pytest.approx((1.5 - 0.4) ** 2)   # data loss only


def test_example_writes_spanish_markdown_tables(classic_config, config_file, capsys):
    code, out, _ = run(["example", config_file(classic_config), "--format", "markdown"], capsys)
    assert code == 0
    assert "Propagación hacia adelante" in out and "Pérdida" in out
    assert "0,298371" in out           # decimal comma
    assert "0,358916" in out           # w5 after the update
    assert "| capa |" in out and "tasa de aprendizaje" in out
    assert out.count("\n| ") > 10


@pytest.mark.parametrize("mutate,field", [
    (lambda c: c.update(layers=[2, 0]), "layers"),
    (lambda c: c.update(activations=["sigmoid"]), "activations"),
    (lambda c: c.update(loss="hinge"), "loss"),
    (lambda c: c.update(weights=[[[0.1, 0.2]], [[0.4, 0.45], [0.5, 0.55]]]), "weights[0]"),
    (lambda c: c["optimizer"].update(learning_rate=-1), "optimizer.learning_rate"),
    (lambda c: c.update(targets=[[0.01]]), "targets"),
    (lambda c: c.update(steps=0), "steps"),
    (lambda c: c.update(clip_norm=0), "clip_norm"),
    (lambda c: c.update(colour="red"), "colour"),
    (lambda c: c.pop("inputs"), "inputs"),
])
def test_invalid_config_exits_2_with_one_line_naming_the_field(
        mutate, field, classic_config, config_file, capsys):
    mutate(classic_config)
    code, out, err = run(["trace", config_file(classic_config)], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"'{field}'" in err


def test_unreadable_and_malformed_files(tmp_path, capsys):
    code, _, err = run(["train", str(tmp_path / "missing.json")], capsys)
    assert code == 2 and "No se puede leer" in err
    bad = tmp_path / "bad.json"
    bad.write_text("{layers: [2, 1]", encoding="utf-8")
    code, _, err = run(["train", str(bad)], capsys)
    assert code == 2 and "JSON" in err and err.count("\n") == 1


@pytest.mark.skipif(sys.platform == "emscripten", reason="no subprocesses in Pyodide")
def test_python_dash_m_backprop(classic_config, config_file):
    env = dict(os.environ)
    root = os.path.join(os.path.dirname(__file__), "..", "..", "python")
    env["PYTHONPATH"] = os.path.abspath(root)
    proc = subprocess.run([sys.executable, "-m", "backprop", "train", config_file(classic_config)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["losses"][0] == pytest.approx(0.298371109, abs=1e-9)
    proc = subprocess.run([sys.executable, "-m", "backprop", "train", "/nonexistent.json"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1


def test_example_names_things_in_spanish(config_file, capsys):
    config = {"layers": [2, 2, 1], "activations": ["tanh", "sigmoid"], "loss": "bce",
              "optimizer": {"name": "momentum", "learning_rate": 0.1},
              "inputs": [[1.0, 0.0], [0.0, 1.0]], "targets": [[1], [0]]}
    code, out, _ = run(["example", config_file(config), "--decimals", "3"], capsys)
    assert code == 0
    assert "tangente hiperbólica, sigmoide" in out and "entropía cruzada binaria" in out
    assert "momento (momentum)" in out and "muestra 2" in out
    code, _, err = run(["example", config_file(config), "--decimals", "30"], capsys)
    assert code == 2 and "'decimals'" in err


# Issue 13, item 11: each of these ended in a traceback; now exit code 2 and one line.
def test_a_file_that_is_not_utf8_exits_2_with_one_line(tmp_path, capsys):
    bad = tmp_path / "latin1.json"
    bad.write_bytes('{"layers": [2, 1], "nota": "café"}'.encode("latin-1"))
    code, out, err = run(["trace", str(bad)], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and "UTF-8" in err


def test_deeply_nested_json_exits_2_with_one_line(tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    code, out, err = run(["train", str(deep)], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and "anidado" in err


def test_brackets_inside_strings_do_not_count_as_nesting(classic_config, tmp_path, capsys):
    classic_config["nota"] = "[" * 500
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(classic_config), encoding="utf-8")
    code, _, err = run(["trace", "--no-events", str(path)], capsys)
    assert err == "" or "nota" in err  # only the unknown field may be refused, never the depth
    assert "anidado" not in err


def test_a_huge_network_is_refused_up_front(classic_config, config_file, capsys):
    import time
    classic_config["layers"] = [2, 4096, 4096, 4096, 2]
    classic_config["inputs"] = classic_config["inputs"] * 20
    classic_config["targets"] = classic_config["targets"] * 20
    t0 = time.perf_counter()
    code, out, err = run(["trace", config_file(classic_config)], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and "Demasiado trabajo" in err
    assert time.perf_counter() - t0 < 2, "refused before building anything"
    for key in ("weights", "biases"):
        classic_config.pop(key, None)
    classic_config["layers"] = [2, 256, 2]
    classic_config["steps"] = 10 ** 6
    code, _, err = run(["train", config_file(classic_config)], capsys)
    assert code == 2 and "pasos" in err
