package io.nowcast.serve.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reading Vegeta's JSON report. The two fixtures are real {@code vegeta report -type=json} output
 * (v12.13.0): a short run against our API, and the MLflow server overloaded at 500 req/s (error list
 * shortened).
 */
class VegetaLoadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aHealthyRunGivesLatenciesInMillisecondsAndNoErrors() throws Exception {
    Map<String, Object> result = VegetaLoad.toResult(fixture("report-ok.json"));
    assertEquals(20L, result.get("requests"));
    assertEquals(0L, result.get("errors"));
    assertEquals(4.797, (double) result.get("p50_ms"), 1e-9);
    assertEquals(12.874, (double) result.get("p99_ms"), 1e-9);
    assertEquals(0.95, (double) result.get("seconds"), 1e-9);
    assertTrue((double) result.get("p50_ms") <= (double) result.get("p90_ms"));
  }

  @Test
  void answersOtherThan200AreErrorsNotSuccessfulRequests() throws Exception {
    Map<String, Object> result = VegetaLoad.toResult(fixture("report-overloaded.json"));
    assertEquals(0L, result.get("requests"));
    assertEquals(7500L, result.get("errors"));
    assertEquals(30000.605, (double) result.get("p50_ms"), 1e-9);
  }

  private static com.fasterxml.jackson.databind.JsonNode fixture(String name) throws Exception {
    try (InputStream in = VegetaLoadTest.class.getResourceAsStream("/vegeta/" + name)) {
      return JSON.readTree(in);
    }
  }
}
