package io.nowcast.ingest.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shipped region configs load; invalid configs fail naming file and key. Validation is tested on parsed
 * trees (JSON is YAML's subset, and Jackson's JSON parser is always here); loading the YAML files needs
 * jackson-dataformat-yaml, which lib-ingest does not depend on yet, so that test skips without it.
 */
class RegionConfigLoaderTest {
  private static final Path CONF = Path.of("..", "conf", "regions");
  private static final String VALID = """
      {"iso": "NYISO", "time_zone": "America/New_York", "holiday_calendar": "US-NY",
       "stations": {"KLGA": {"isd": "725030-14732"}, "KALB": {"isd": "725180-14735", "meteostat": "72518"}},
       "regions": {"N.Y.C.": {"KLGA": 1.0}, "CAPITL": {"KALB": 2}}}""";

  private static JsonNode tree(String json) throws Exception {
    return new ObjectMapper().readTree(json);
  }

  @Test
  void shippedNyisoConfigLoads() {
    RegionMap map = RegionConfigLoader.load(CONF.resolve("nyiso.yaml"));
    Set<String> names = map.all().stream().map(Region::name).collect(Collectors.toSet());
    Set<String> expected = new java.util.HashSet<>(RegionMap.NYISO_ZONES);
    expected.add("NYISO");
    assertEquals(expected, names);
    map.all().forEach(r -> {
      assertEquals(ZoneId.of("America/New_York"), r.zone());
      assertEquals("US-NY", r.holidayCalendar());
    });
    assertEquals(1.0, map.find("N.Y.C.").orElseThrow().stations().get("KLGA"));
    assertTrue(map.isdStations().containsAll(Set.of("725180-14735", "725280-14733", "725190-14771")));
  }

  @Test
  void shippedCaisoConfigLoads() {
    RegionMap map = RegionConfigLoader.load(CONF.resolve("caiso.yaml"));
    assertEquals(Set.of("CA ISO-TAC", "PGE-TAC", "SCE-TAC", "SDGE-TAC"),
        map.all().stream().map(Region::name).collect(Collectors.toSet()));
    map.all().forEach(r -> assertEquals(ZoneId.of("America/Los_Angeles"), r.zone()));
    assertEquals(4, map.isdStations().size());
  }

  @Test
  void validTreeBuildsRegionsAndCatalogue() throws Exception {
    RegionMap map = RegionConfigLoader.fromTree(tree(VALID), "test.yaml");
    assertEquals(2.0, map.find("CAPITL").orElseThrow().stations().get("KALB"));
    assertEquals(java.util.List.of("725030-14732", "725180-14735"), map.isdStations());
    assertEquals(java.util.List.of("72518"), map.meteostatStations());
  }

  private static void assertInvalid(String json, String key) throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RegionConfigLoader.fromTree(tree(json), "conf/regions/x.yaml"));
    assertTrue(e.getMessage().contains("conf/regions/x.yaml") && e.getMessage().contains("'" + key + "'"),
        e.getMessage());
  }

  @Test
  void invalidConfigsNameFileAndKey() throws Exception {
    assertInvalid(VALID.replace("\"N.Y.C.\"", "\"NYC\""), "regions.NYC");
    assertInvalid(VALID.replace("2}}}", "-1}}}"), "regions.CAPITL.KALB");
    assertInvalid(VALID.replace("2}}}", "\"heavy\"}}}"), "regions.CAPITL.KALB");
    assertInvalid(VALID.replace("{\"KLGA\": 1.0}", "{\"KJFK\": 1.0}"), "regions.N.Y.C..KJFK");
    assertInvalid(VALID.replace("America/New_York", "America/Gotham"), "time_zone");
    assertInvalid(VALID.replace("US-NY", "XX-NY"), "holiday_calendar");
    assertInvalid(VALID.replace("NYISO", "ERCOT"), "iso");
    assertInvalid(VALID.replace("725030-14732", "72503"), "stations.KLGA.isd");
  }

  @Test
  void shippedFilesExist() {
    assertTrue(Files.exists(CONF.resolve("nyiso.yaml")) && Files.exists(CONF.resolve("caiso.yaml")));
  }
}
