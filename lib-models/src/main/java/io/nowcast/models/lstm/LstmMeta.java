package io.nowcast.models.lstm;

import io.nowcast.features.spec.FeatureSpec;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Everything but the weights that a trained LSTM needs to predict, saved as {@code lstm.json} beside
 * the parameters: the feature spec parts its inputs derive from, the network's shape, the static input
 * names in order, the scaler, the settings and the training report.
 *
 * @param format {@link #FORMAT}
 * @param horizons forecast horizons (minutes), in output order
 * @param stepMinutes grid step of the features table
 * @param lagMinutes the feature spec's load lags (the static inputs derive from them)
 * @param windowMinutes the feature spec's rolling windows
 * @param shape the network's dimensions
 * @param staticInputs names of the static inputs ({@code x_*} of ModelInputs), in network order
 * @param scaler input and target scaling fitted on the training sample
 * @param settings the training settings as config keys and values
 * @param report what training did
 * @param djlVersion the DJL version that wrote the parameters
 */
public record LstmMeta(
    String format,
    List<Integer> horizons,
    int stepMinutes,
    List<Integer> lagMinutes,
    List<Integer> windowMinutes,
    LstmShape shape,
    List<String> staticInputs,
    LstmScaler scaler,
    Map<String, String> settings,
    LstmTrainingReport report,
    String djlVersion) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The format tag of {@code lstm.json}. */
  public static final String FORMAT = "power-nowcast-lstm/1";

  public LstmMeta {
    horizons = List.copyOf(horizons);
    lagMinutes = List.copyOf(lagMinutes);
    windowMinutes = List.copyOf(windowMinutes);
    staticInputs = List.copyOf(staticInputs);
    settings = Map.copyOf(settings);
  }

  /** The feature spec the inputs are derived with (ModelInputs reads lags, windows and horizons). */
  FeatureSpec featureSpec() {
    return new FeatureSpec(stepMinutes, lagMinutes, windowMinutes, horizons);
  }
}
