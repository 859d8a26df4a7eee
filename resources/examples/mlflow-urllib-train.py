#!/usr/bin/env python3
"""Train a small classifier and log it over MLflow's tracking REST API, with the standard library only.

No mlflow package: plain urllib requests, as MLflow's own client sends them, so this runs
against `lathe serve` (or any MLflow tracking server) on a bare Python:

    MLFLOW_TRACKING_URI=http://127.0.0.1:7272 MLFLOW_TRACKING_TOKEN=<token> \
        python3 resources/examples/mlflow-urllib-train.py --epochs 20 --lr 0.05

It trains scikit-learn's SGD logistic regression on the breast-cancer table that ships with
scikit-learn when scikit-learn is installed (Debian: python3-sklearn), else the same model in
pure Python on a generated two-class table. Per epoch it logs train loss, validation loss and
accuracy in one runs/log-batch; it logs its params and tags, uploads the fitted weights as the
artifact model/weights.json, and ends the run FINISHED (FAILED on an error).

Environment: MLFLOW_TRACKING_URI (required), MLFLOW_TRACKING_TOKEN (sent as a bearer token),
MLFLOW_EXPERIMENT_NAME (default "urllib-example") or MLFLOW_EXPERIMENT_ID, and MLFLOW_RUN_ID: a
run made for this process (as `lathe run` does) is logged to, and its end is left to its owner.
Prints the run id on its last line.
"""
import argparse
import json
import math
import os
import random
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class MlflowError(Exception):
    pass


class Tracking:
    """The few REST calls a training loop needs."""

    def __init__(self, uri, token):
        self.uri = uri.rstrip("/")
        self.token = token

    def _send(self, method, path, body=None, data=None, content_type="application/json"):
        headers = {}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        if body is not None:
            data = json.dumps(body).encode("utf-8")
        if data is not None:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.uri + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")
            try:
                parsed = json.loads(detail)
                detail = "%s: %s" % (parsed.get("error_code"), parsed.get("message"))
            except ValueError:
                pass
            raise MlflowError("%s %s answered %d (%s)" % (method, path, error.code, detail)) from None
        return json.loads(text) if text.strip() else {}

    def post(self, endpoint, body):
        return self._send("POST", "/api/2.0/mlflow/" + endpoint, body)

    def get(self, endpoint, **query):
        return self._send("GET", "/api/2.0/mlflow/" + endpoint + "?" + urllib.parse.urlencode(query))

    def experiment_id(self, name):
        try:
            return self.get("experiments/get-by-name", experiment_name=name)["experiment"]["experiment_id"]
        except MlflowError as error:
            if "RESOURCE_DOES_NOT_EXIST" not in str(error):
                raise
            return self.post("experiments/create", {"name": name})["experiment_id"]

    def upload(self, artifact_uri, path, data):
        # mlflow-artifacts:/<experiment>/<run>/artifacts -> the server's artifact proxy
        prefix = "mlflow-artifacts:"
        if not artifact_uri.startswith(prefix):
            raise MlflowError("this script uploads only to an mlflow-artifacts: URI, not %s" % artifact_uri)
        where = artifact_uri[len(prefix):].lstrip("/") + "/" + path
        self._send("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + urllib.parse.quote(where), data=data, content_type="application/octet-stream")


def now_ms():
    return int(time.time() * 1000)


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def log_loss(probabilities, labels):
    eps = 1e-12
    return -sum(y * math.log(max(p, eps)) + (1 - y) * math.log(max(1 - p, eps)) for p, y in zip(probabilities, labels)) / len(labels)


def accuracy(probabilities, labels):
    return sum((p >= 0.5) == (y == 1) for p, y in zip(probabilities, labels)) / len(labels)


def sklearn_trainer(lr, seed):
    """scikit-learn's SGD logistic regression on its bundled breast-cancer table, one epoch per step."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import SGDClassifier
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    import sklearn

    x, y = load_breast_cancer(return_X_y=True)
    x_train, x_val, y_train, y_val = train_test_split(x, y, test_size=0.25, random_state=seed, stratify=y)
    scaler = StandardScaler().fit(x_train)
    x_train, x_val = scaler.transform(x_train), scaler.transform(x_val)
    model = SGDClassifier(loss="log_loss", learning_rate="constant", eta0=lr, random_state=seed)

    def epoch():
        model.partial_fit(x_train, y_train, classes=[0, 1])
        train_p = model.predict_proba(x_train)[:, 1]
        val_p = model.predict_proba(x_val)[:, 1]
        return log_loss(train_p, y_train), log_loss(val_p, y_val), accuracy(val_p, y_val)

    def weights():
        return {"coef": model.coef_[0].tolist(), "intercept": float(model.intercept_[0]), "features": int(x.shape[1])}

    info = {"library": "scikit-learn " + sklearn.__version__, "dataset": "sklearn breast_cancer", "rows": str(len(y))}
    return epoch, weights, info


def python_trainer(lr, seed):
    """Logistic regression by gradient descent in pure Python on a generated two-class table."""
    rng = random.Random(seed)
    features = 4
    true_w = [rng.uniform(-2, 2) for _ in range(features)]

    def sample():
        x = [rng.gauss(0, 1) for _ in range(features)]
        return x, 1 if sum(a * b for a, b in zip(true_w, x)) + rng.gauss(0, 0.5) > 0 else 0

    rows = [sample() for _ in range(600)]
    train, val = rows[:450], rows[450:]
    w = [0.0] * features
    b = [0.0]

    def predict(x):
        return sigmoid(sum(a * c for a, c in zip(w, x)) + b[0])

    def epoch():
        for x, y in train:
            error = predict(x) - y
            for i in range(features):
                w[i] -= lr * error * x[i]
            b[0] -= lr * error
        train_p = [predict(x) for x, _ in train]
        val_p = [predict(x) for x, _ in val]
        return log_loss(train_p, [y for _, y in train]), log_loss(val_p, [y for _, y in val]), accuracy(val_p, [y for _, y in val])

    def weights():
        return {"coef": list(w), "intercept": b[0], "features": features}

    info = {"library": "pure python", "dataset": "generated two-class", "rows": str(len(rows))}
    return epoch, weights, info


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pure-python", action="store_true", help="skip scikit-learn even when it is installed")
    args = parser.parse_args()

    uri = os.environ.get("MLFLOW_TRACKING_URI")
    if not uri or not uri.startswith(("http://", "https://")):
        sys.exit("Set MLFLOW_TRACKING_URI to the tracking server, e.g. http://127.0.0.1:7272 (lathe serve prints it).")
    tracking = Tracking(uri, os.environ.get("MLFLOW_TRACKING_TOKEN"))

    given_run = os.environ.get("MLFLOW_RUN_ID")
    if given_run:
        run = tracking.get("runs/get", run_id=given_run)["run"]
    else:
        experiment = os.environ.get("MLFLOW_EXPERIMENT_ID") or tracking.experiment_id(os.environ.get("MLFLOW_EXPERIMENT_NAME", "urllib-example"))
        run = tracking.post("runs/create", {
            "experiment_id": experiment,
            "run_name": "logreg-lr%s" % args.lr,
            "start_time": now_ms(),
            "tags": [{"key": "mlflow.source.name", "value": os.path.basename(__file__)}, {"key": "mlflow.source.type", "value": "LOCAL"}],
        })["run"]
    run_id = run["info"]["run_id"]

    try:
        trainer = python_trainer
        if not args.pure_python:
            try:
                import sklearn  # noqa: F401
                trainer = sklearn_trainer
            except ImportError:
                pass
        epoch, weights, info = trainer(args.lr, args.seed)
        tracking.post("runs/log-batch", {
            "run_id": run_id,
            "params": [{"key": "lr", "value": str(args.lr)}, {"key": "epochs", "value": str(args.epochs)},
                       {"key": "seed", "value": str(args.seed)}, {"key": "model", "value": "logistic-regression"}],
            "tags": [{"key": "library", "value": info["library"]}, {"key": "dataset", "value": info["dataset"]}],
        })
        for step in range(args.epochs):
            train_loss, val_loss, val_accuracy = epoch()
            stamp = now_ms()
            tracking.post("runs/log-batch", {"run_id": run_id, "metrics": [
                {"key": "train_loss", "value": train_loss, "timestamp": stamp, "step": step},
                {"key": "val_loss", "value": val_loss, "timestamp": stamp, "step": step},
                {"key": "val_accuracy", "value": val_accuracy, "timestamp": stamp, "step": step},
            ]})
            print("epoch %d: train_loss %.4f  val_loss %.4f  val_accuracy %.3f" % (step, train_loss, val_loss, val_accuracy), flush=True)
        tracking.post("runs/set-tag", {"run_id": run_id, "key": "rows", "value": info["rows"]})
        tracking.upload(run["info"]["artifact_uri"], "model/weights.json", json.dumps(weights(), indent=2).encode("utf-8"))
    except BaseException:
        if not given_run:
            tracking.post("runs/update", {"run_id": run_id, "status": "FAILED", "end_time": now_ms()})
        raise
    if not given_run:
        tracking.post("runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": now_ms()})
    print(run_id)


if __name__ == "__main__":
    try:
        main()
    except MlflowError as error:
        sys.exit("mlflow-urllib-train: %s" % error)
