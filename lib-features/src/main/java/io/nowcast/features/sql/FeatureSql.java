package io.nowcast.features.sql;

import io.nowcast.features.FeatureTable;
import io.nowcast.features.SeriesChunks;
import io.nowcast.features.SeriesColumns;
import io.nowcast.features.spec.FeatureGroup;
import io.nowcast.features.spec.FeatureSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The Spark SQL text equivalent to FeatureBuilder for the load-derived columns of a spec — {@code
 * load_now}, lags, deltas, rolling mean/std/min/max and the targets — for {@code nowcast features
 * --explain-sql}, Spark Connect and SQL users. {@link #gridView} turns a raw load view into the
 * regular grid view {@value #GRID_VIEW} (as RegularGridStage does); {@link #select} is one {@code
 * SELECT} with window functions over it. Both are the same expressions as the stages, so they give the
 * same rows, bit for bit (FeatureSqlTest runs them).
 *
 * <p>Calendar and weather columns are not rendered: they join tables built on the driver (holiday days
 * from Jollyday, station slots and weights from the region map) that plain SQL text cannot carry.
 */
public final class FeatureSql {
  /** The view {@link #select} reads: region, ts, load_mw, is_missing on the regular grid. */
  public static final String GRID_VIEW = "raw_load_grid";

  private static final long MICROS_PER_MINUTE = 60_000_000L;
  // Windows over the monthly chunks of each region's series (SeriesChunks), as the builder's.
  private static final String RUNNING =
      "(PARTITION BY month, region ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)";
  private static final String BACKWARD =
      "(PARTITION BY month, region ORDER BY ts DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)";
  private static final String ORDERED = "(PARTITION BY month, region ORDER BY ts)";

  private FeatureSql() {}

  /** Both statements for the CLI: the grid view from {@code rawLoadView}, then the select. */
  public static String explain(FeatureSpec spec, String rawLoadView) {
    return gridView(rawLoadView, spec.stepMinutes()) + ";\n\n" + select(spec) + ";\n";
  }

  /**
   * {@code CREATE OR REPLACE TEMP VIEW raw_load_grid} from a view in the raw load contract: on-grid
   * stamps only, duplicates collapsed to the largest load, every instant of each region's span, a
   * missing instant with a null load and {@code is_missing = 1}.
   */
  public static String gridView(String rawLoadView, int stepMinutes) {
    long stepMicros = stepMinutes * MICROS_PER_MINUTE;
    return "CREATE OR REPLACE TEMP VIEW " + GRID_VIEW + " AS\n"
        + "WITH series AS (\n"
        + "  SELECT region, ts, max(load_mw) AS load_mw\n"
        + "  FROM " + rawLoadView + "\n"
        + "  WHERE region IS NOT NULL AND pmod(unix_micros(ts), " + stepMicros + "L) = 0\n"
        + "  GROUP BY region, ts\n"
        + "),\n"
        + "span AS (\n"
        + "  SELECT region, min(ts) AS first_ts, max(ts) AS last_ts FROM series GROUP BY region\n"
        + "),\n"
        + "instants AS (\n"
        + "  SELECT region, explode(sequence(first_ts, last_ts, INTERVAL " + stepMinutes
        + " MINUTES)) AS ts FROM span\n"
        + ")\n"
        + "SELECT i.region, i.ts, s.load_mw, CASE WHEN s.load_mw IS NULL THEN 1 ELSE 0 END AS is_missing\n"
        + "FROM instants i LEFT JOIN series s ON i.region = s.region AND i.ts = s.ts";
  }

  /** The {@code SELECT} of the spec's load-derived feature columns over {@value #GRID_VIEW}. */
  public static String select(FeatureSpec spec) {
    int step = spec.stepMinutes();
    boolean extrema = spec.has(FeatureGroup.ROLLING_EXTREMA) && !spec.windowMinutes().isEmpty();
    boolean stats = spec.has(FeatureGroup.ROLLING_STATS) && !spec.windowMinutes().isEmpty();
    StringBuilder sql = new StringBuilder();
    sql.append("-- Load, lag, delta, rolling and target columns of the feature spec, as Spark SQL.\n");
    sql.append("-- Rolling mean/std: differenced running sums of (load - first load). Rolling min/max:\n");
    sql.append("-- van Herk/Gil-Werman, min(suffix of the window's first w-block, prefix of its last).\n");
    sql.append("-- Each region's series is cut into UTC months with a halo of the longest look-back and\n");
    sql.append("-- look-ahead (SeriesChunks); each row is kept in its own month at the end.\n");
    sql.append("WITH\n");
    long lookback = 60L * SeriesChunks.lookbackMinutes(spec);
    long lookahead = 60L * SeriesChunks.lookaheadMinutes(spec);
    sql.append("chunked AS (\n  SELECT *, substring(CAST(_chunk_start AS STRING), 1, 7) AS month\n  FROM ")
        .append(GRID_VIEW)
        .append("\n  LATERAL VIEW explode(sequence(")
        .append("trunc(" + utcDate("unix_seconds(ts) - " + lookahead + "L") + ", 'MM'), ")
        .append("trunc(" + utcDate("unix_seconds(ts) + " + lookback + "L") + ", 'MM'), INTERVAL 1 MONTH))")
        .append(" c AS _chunk_start\n),\n");

    // 1. Backward running extrema within w-minute blocks (RollingExtremaStage pass 1).
    List<String> backward = new ArrayList<>();
    backward.add("unix_micros(ts) AS _us");
    if (extrema) {
      for (int w : spec.windowMinutes()) {
        backward.add("min(" + keyed(block(w, 0)) + ") OVER bwd AS _sfx_min_" + w);
        backward.add("max(" + keyed("(" + block(w, 0) + " * -1)") + ") OVER bwd AS _sfx_max_" + w);
      }
    }
    cte(sql, "backward", backward, "chunked", extrema ? "bwd AS " + BACKWARD : null, true);

    // 2. Forward running values: count, offset, prefix extrema, suffix at the window start.
    List<String> forward = new ArrayList<>();
    forward.add("sum(CASE WHEN load_mw IS NOT NULL THEN 1L ELSE 0L END) OVER fwd AS _n");
    if (stats) {
      forward.add("first(load_mw, true) OVER fwd AS _offset");
    }
    if (extrema) {
      for (int w : spec.windowMinutes()) {
        int rows = w / step - 1;
        forward.add("min(" + keyed("(" + block(w, 0) + " * -1)") + ") OVER fwd AS _pfx_min_" + w);
        forward.add("max(" + keyed(block(w, 0)) + ") OVER fwd AS _pfx_max_" + w);
        String start = "_us - " + (w - step) * MICROS_PER_MINUTE + "L";
        forward.add(
            (rows == 0
                    ? "true"
                    : "CASE WHEN " + lag("_us", rows) + " IS NULL THEN (first(_us) OVER fwd) > " + start
                        + " ELSE " + lag("_us", rows) + " = " + start + " END")
                + " AS _start_ok_" + w);
        for (String kind : List.of("min", "max")) {
          String suffix = "_sfx_" + kind + "_" + w;
          forward.add(
              (rows == 0
                      ? suffix
                      : "CASE WHEN " + lag("_us", rows) + " IS NULL THEN (first(" + suffix
                          + ") OVER fwd) ELSE " + lag(suffix, rows) + " END")
                  + " AS _at_s_" + kind + "_" + w);
        }
      }
    }
    cte(sql, "running", forward, "backward", "fwd AS " + RUNNING + (extrema ? ", ord AS " + ORDERED : ""), true);

    // 3. Running sums of the shifted load (RollingStatsStage), after the offset exists.
    List<String> sums = new ArrayList<>();
    if (stats) {
      sums.add("sum(coalesce(load_mw - _offset, 0D)) OVER fwd AS _s1");
      sums.add("sum(coalesce((load_mw - _offset) * (load_mw - _offset), 0D)) OVER fwd AS _s2");
    }
    cte(sql, "sums", sums, "running", stats ? "fwd AS " + RUNNING : null, true);

    // 4. Per window: count, and (mean/std) shifted sums, differenced over the window's rows.
    List<String> perWindow = new ArrayList<>();
    for (int w : spec.windowMinutes()) {
      int rows = w / step;
      String differenced = "_n - coalesce(" + lag("_n", rows) + ", 0L)";
      if (stats) {
        perWindow.add("CASE WHEN " + aligned(w, rows) + " THEN " + differenced + " END AS _n_" + w);
        perWindow.add("_s1 - coalesce(" + lag("_s1", rows) + ", 0D) AS _s1_" + w);
        perWindow.add("_s2 - coalesce(" + lag("_s2", rows) + ", 0D) AS _s2_" + w);
      }
      if (extrema) {
        perWindow.add(
            "CASE WHEN " + aligned(w, rows) + " AND _start_ok_" + w + " THEN " + differenced + " END AS _ne_" + w);
      }
    }
    cte(sql, "windows", perWindow, "sums", perWindow.isEmpty() ? null : "ord AS " + ORDERED, false);

    // 5. The feature columns.
    List<String> columns = new ArrayList<>();
    columns.add(SeriesColumns.REGION);
    columns.add("ts AS " + FeatureTable.ISSUE_TS);
    columns.add(FeatureTable.IS_MISSING);
    columns.add("load_mw AS " + FeatureTable.LOAD_NOW);
    if (spec.has(FeatureGroup.LOAD_LAGS)) {
      for (int k : spec.lagMinutes()) {
        columns.add(earlier("load_mw", k, step) + " AS " + FeatureTable.lag(k));
      }
    }
    if (spec.has(FeatureGroup.LOAD_DELTAS)) {
      for (int k : spec.deltaMinutes()) {
        columns.add("load_mw - " + earlier("load_mw", k, step) + " AS " + FeatureTable.delta(k));
      }
    }
    if (stats) {
      for (int w : spec.windowMinutes()) {
        String n = "_n_" + w;
        String s1 = "_s1_" + w;
        String s2 = "_s2_" + w;
        String enough = n + " >= " + Math.max(1, (w / step + 1) / 2);
        columns.add(
            "CASE WHEN " + enough + " THEN " + s1 + " / " + n + " + _offset END AS " + FeatureTable.rollingMean(w));
        columns.add(
            "CASE WHEN " + enough + " AND " + n + " >= 2 THEN sqrt(greatest(0D, (" + s2 + " - " + s1 + " * " + s1
                + " / " + n + ") / (" + n + " - 1))) END AS " + FeatureTable.rollingStd(w));
      }
    }
    if (extrema) {
      for (int w : spec.windowMinutes()) {
        String enough = "_ne_" + w + " >= " + Math.max(1, (w / step + 1) / 2);
        String current = block(w, 0);
        String start = block(w, step - w);
        columns.add(
            "CASE WHEN " + enough + " THEN least(" + part("_at_s_min_" + w, start) + ", "
                + part("_pfx_min_" + w, "(" + current + " * -1)") + ") END AS " + FeatureTable.rollingMin(w));
        columns.add(
            "CASE WHEN " + enough + " THEN greatest(" + part("_at_s_max_" + w, "(" + start + " * -1)") + ", "
                + part("_pfx_max_" + w, current) + ") END AS " + FeatureTable.rollingMax(w));
      }
    }
    for (int h : spec.horizons()) {
      int rows = h / step;
      columns.add(
          "CASE WHEN " + lead("_us", rows) + " - _us = " + h * MICROS_PER_MINUTE + "L THEN " + lead("load_mw", rows)
              + " END AS " + FeatureTable.target(h));
    }
    sql.append("SELECT\n  ").append(String.join(",\n  ", columns)).append("\nFROM windows\n");
    sql.append("WHERE month = substring(CAST(" + utcDate("unix_seconds(ts)") + " AS STRING), 1, 7)\n");
    sql.append("WINDOW ord AS ").append(ORDERED);
    return sql.toString();
  }

  private static void cte(
      StringBuilder sql, String name, List<String> columns, String from, String windows, boolean more) {
    sql.append(name).append(" AS (\n  SELECT *");
    for (String column : columns) {
      sql.append(",\n    ").append(column);
    }
    sql.append("\n  FROM ").append(from);
    if (windows != null) {
      sql.append("\n  WINDOW ").append(windows);
    }
    sql.append("\n)").append(more ? ",\n" : "\n");
  }

  /** The UTC date of an epoch-seconds expression (no session time zone involved). */
  private static String utcDate(String seconds) {
    return "date_from_unix_date(CAST(floor((" + seconds + ") / 86400) AS INT))";
  }

  /** {@code floor(epochSeconds(ts + shift) / 60w)}, the w-minute block (RollingExtremaStage). */
  private static String block(int w, int shiftMinutes) {
    String seconds = shiftMinutes == 0 ? "unix_seconds(ts)" : "(unix_seconds(ts) + " + 60L * shiftMinutes + "L)";
    return "floor(" + seconds + " / " + 60L * w + "L)";
  }

  private static String keyed(String block) {
    return "CASE WHEN load_mw IS NOT NULL THEN named_struct('b', " + block + ", 'v', load_mw) END";
  }

  private static String part(String keyed, String block) {
    return "CASE WHEN " + keyed + ".b = " + block + " THEN " + keyed + ".v END";
  }

  /** The value exactly {@code k} minutes earlier, else null (SeriesColumns.earlier). */
  private static String earlier(String value, int k, int step) {
    int rows = k / step;
    return "(CASE WHEN _us - " + lag("_us", rows) + " = " + k * MICROS_PER_MINUTE + "L THEN " + lag(value, rows)
        + " END)";
  }

  /** {@code value} {@code rows} rows back, parenthesised (a window name must not touch an operator). */
  private static String lag(String value, int rows) {
    return "(lag(" + value + ", " + rows + ") OVER ord)";
  }

  private static String lead(String value, int rows) {
    return "(lead(" + value + ", " + rows + ") OVER ord)";
  }

  /** The row w/step back is absent or exactly w earlier (SeriesColumns.windowStartAligned). */
  private static String aligned(int w, int rows) {
    return "(" + lag("_us", rows) + " IS NULL OR _us - " + lag("_us", rows) + " = "
        + w * MICROS_PER_MINUTE + "L)";
  }
}
