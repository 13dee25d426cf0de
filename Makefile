# Thin wrappers over scripts/nowcast, keeping the original workflow's target names.
NOWCAST := scripts/nowcast
ARCHIVES ?= ../shared/data/nyiso/pal

.PHONY: demo test build synth ingest features train-xgb evaluate run-nyiso mlflow-ui api bench-serve promote serve-mlflow clean

demo:            ## whole pipeline on synthetic data, local MLflow
	$(NOWCAST) run
test:            ## the test suite (what CI runs)
	.ci/run
build:
	mvn -B -q -DskipTests package
synth:
	$(NOWCAST) synth
ingest:          ## NYISO monthly archives from $(ARCHIVES) (FROM=2019-01 TO=2019-01 to limit)
	$(NOWCAST) ingest --source nyiso-archive --archives $(ARCHIVES) $(if $(FROM),--from $(FROM)) $(if $(TO),--to $(TO))
features:
	$(NOWCAST) features $(if $(SOURCE),--source $(SOURCE))
train-xgb:
	$(NOWCAST) train $(if $(SOURCE),--source $(SOURCE))
evaluate:
	$(NOWCAST) evaluate $(if $(SOURCE),--source $(SOURCE))
run-nyiso:       ## whole pipeline on one month of real NYISO data
	$(NOWCAST) run --source nyiso-pal --archives $(ARCHIVES) --from $(or $(FROM),2019-01) --to $(or $(TO),2019-01) --set evaluate.test_days=7
mlflow-ui:       ## browse local runs at http://127.0.0.1:5000
	scripts/mlflow-ui
api:             ## the HTTP API on 127.0.0.1:8080 (MODEL_DIR=bundle, or MLFLOW_URI / MLFLOW_TRACKING_URI for models:/power-nowcast-xgb@production)
	scripts/api $(if $(MODEL_DIR),--model-dir $(MODEL_DIR)) $(if $(MLFLOW_URI),--mlflow-uri $(MLFLOW_URI)) $(if $(PORT),--port $(PORT)) $(if $(PREDICTIONS),--predictions $(PREDICTIONS))
bench-serve:     ## latency/throughput of the API vs mlflow models serve (JSON)
	scripts/bench-serve
promote:         ## move production to the staging version if it beats production (MODEL=, MARGIN=, FORCE=1)
	$(NOWCAST) promote $(if $(MODEL),--model $(MODEL)) $(if $(MARGIN),--margin $(MARGIN)) $(if $(FORCE),--force)
serve-mlflow:    ## MLflow's model server for models:/power-nowcast-xgb@production on 127.0.0.1:5001
	scripts/serve-mlflow
clean:
	mvn -B -q clean; rm -rf work
