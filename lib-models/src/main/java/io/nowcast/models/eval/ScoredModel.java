package io.nowcast.models.eval;

import io.nowcast.models.ForecastModel;
import java.util.List;

/**
 * A model as the evaluator sees it: its name, its quantile levels besides P50, and whether it forecasts
 * every row ({@code partial = false}: a row it misses is dropped for all models) or only some (the ISO
 * forecast: scored on the rows it covers, skill against persistence on those same rows).
 */
public record ScoredModel(String name, List<Double> quantiles, boolean partial) {
  public ScoredModel {
    quantiles = quantiles.stream().sorted().toList();
  }

  public static ScoredModel of(ForecastModel model, boolean partial) {
    return new ScoredModel(model.name(), model.quantiles(), partial);
  }

  public static ScoredModel point(String name) {
    return new ScoredModel(name, List.of(), false);
  }
}
