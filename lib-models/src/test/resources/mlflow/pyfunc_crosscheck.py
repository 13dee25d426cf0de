"""Cross-check of an MLflow xgboost model directory written from Java (MlflowXgboostFlavorTest).

Usage: python pyfunc_crosscheck.py MODEL_DIR ROWS_JSON OUT_JSON

ROWS_JSON is {"columns": [...], "data": [[...], ...]} (NaN allowed). Writes OUT_JSON with the pyfunc
predictions, the xgboost version that made them, the parsed YAML files of MODEL_DIR, and the MLmodel that
MLflow's own mlflow.xgboost.save_model writes for the same booster and signature (the reference layout).
"""
import json
import os
import sys
import tempfile

import mlflow
import mlflow.pyfunc
import mlflow.xgboost
import pandas as pd
import xgboost
import yaml

model_dir, rows_path, out_path = sys.argv[1:4]
with open(rows_path) as f:
    rows = json.load(f)
frame = pd.DataFrame(rows["data"], columns=rows["columns"], dtype="float64")

model = mlflow.pyfunc.load_model(model_dir)
predictions = model.predict(frame)

booster = mlflow.xgboost.load_model(model_dir)
reference_dir = os.path.join(tempfile.mkdtemp(), "reference")
mlflow.xgboost.save_model(booster, reference_dir, model_format="ubj", signature=model.metadata.signature)


def read_yaml(directory, name):
    with open(os.path.join(directory, name)) as f:
        return yaml.safe_load(f)


with open(os.path.join(model_dir, "requirements.txt")) as f:
    requirements = [line.strip() for line in f if line.strip()]

out = {
    "predictions": predictions.tolist(),
    "xgboost_version": xgboost.__version__,
    "mlflow_version": mlflow.__version__,
    "booster_feature_names": booster.feature_names,
    "mlmodel": read_yaml(model_dir, "MLmodel"),
    "conda": read_yaml(model_dir, "conda.yaml"),
    "python_env": read_yaml(model_dir, "python_env.yaml"),
    "requirements": requirements,
    "reference_mlmodel": read_yaml(reference_dir, "MLmodel"),
    "reference_python_env": read_yaml(reference_dir, "python_env.yaml"),
    "reference_conda": read_yaml(reference_dir, "conda.yaml"),
}
with open(out_path, "w") as f:
    json.dump(out, f)
