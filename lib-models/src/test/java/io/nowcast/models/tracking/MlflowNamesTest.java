package io.nowcast.models.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Key and value rules ({@link MlflowNames}) and artifact paths ({@link ProxiedArtifactRoot}), no server. */
class MlflowNamesTest {

  @Test
  void keysKeepAllowedCharactersAndReplaceOthers() {
    assertEquals("model.max_depth", MlflowNames.key("model.max_depth"));
    assertEquals("a-b c:d/e", MlflowNames.key("a-b c:d/e"));
    assertEquals("price__", MlflowNames.key("price$€"));
    assertEquals("a_b", MlflowNames.key("a\tb"));
  }

  @Test
  void keysThatLookLikeOddPathsAreNormalised() {
    // The server refuses names whose normalised path differs ("a//b", "/a", "a/", "./a", "a/..").
    assertEquals("a/b", MlflowNames.key("a//b"));
    assertEquals("a", MlflowNames.key("/a/"));
    assertEquals("_/a", MlflowNames.key("./a"));
    assertEquals("a/_", MlflowNames.key("a/.."));
    assertEquals("_", MlflowNames.key(""));
    assertEquals("_", MlflowNames.key("///"));
  }

  @Test
  void longKeysAndValuesAreCut() {
    assertEquals(250, MlflowNames.key("k".repeat(300)).length());
    assertEquals(6000, MlflowNames.paramValue("v".repeat(7000)).length());
    assertEquals(8000, MlflowNames.tagValue("t".repeat(9000)).length());
    assertEquals("", MlflowNames.paramValue(null));
    // A surrogate pair is never split: 5999 chars + an emoji (2 chars) cuts before the emoji.
    String emoji = "\uD83D\uDE00";
    assertEquals("v".repeat(5999), MlflowNames.paramValue("v".repeat(5999) + emoji + "tail"));
  }

  @Test
  void keysThatCollideWithDifferentValuesFail() {
    Map<String, String> same = new LinkedHashMap<>();
    same.put("a$b", "1");
    same.put("a%b", "1");
    assertEquals(Map.of("a_b", "1"), MlflowNames.sanitiseKeys(same));
    Map<String, String> different = new LinkedHashMap<>();
    different.put("a$b", "1");
    different.put("a%b", "2");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MlflowNames.sanitiseKeys(different));
    assertTrue(e.getMessage().contains("'a$b' and 'a%b'"), e.getMessage());
  }

  @Test
  void proxiedArtifactRootsAndUrls() {
    ProxiedArtifactRoot root = ProxiedArtifactRoot.of("mlflow-artifacts:/1/abc/artifacts", "abc", "http://h");
    assertEquals("1/abc/artifacts", root.proxyPath());
    assertEquals("api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/plots/mae%20h15%23.png",
        root.url("plots/mae h15#.png"));
    assertEquals("api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts", root.url(""));
    assertEquals("1/abc/artifacts",
        ProxiedArtifactRoot.of("mlflow-artifacts://host:5000/1/abc/artifacts", "abc", "http://h").proxyPath());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ProxiedArtifactRoot.of("s3://bucket/1/abc/artifacts", "abc", "http://h"));
    assertTrue(e.getMessage().contains("--serve-artifacts"), e.getMessage());
  }

  @Test
  void artifactPathsAreCleanedAndMayNotEscape() {
    assertEquals("", ProxiedArtifactRoot.cleanArtifactPath(null));
    assertEquals("", ProxiedArtifactRoot.cleanArtifactPath("/"));
    assertEquals("a/b", ProxiedArtifactRoot.cleanArtifactPath("/a//./b/"));
    assertEquals("a/b", ProxiedArtifactRoot.cleanArtifactPath("a\\b"));
    assertThrows(IllegalArgumentException.class, () -> ProxiedArtifactRoot.cleanArtifactPath("a/../../b"));
  }

  @Test
  void trackingUrisMustBeHttp() {
    assertEquals("http://127.0.0.1:5000", TrackingEndpoint.of(" http://127.0.0.1:5000// ").uri());
    assertEquals(
        "https://mlflow.example.com/prefix", TrackingEndpoint.of("https://mlflow.example.com/prefix/").uri());
    for (String bad : new String[] {"file:///tmp/mlruns", "databricks", "/tmp/mlruns", "not a uri"}) {
      assertThrows(IllegalArgumentException.class, () -> TrackingEndpoint.of(bad), bad);
    }
  }
}
