package io.nowcast.models.report;

import java.awt.Color;
import java.util.List;
import java.util.TreeSet;

/**
 * One colour per model, the same in every chart of a report: models sorted by name take the Okabe–Ito
 * colour-blind-safe palette in turn (its yellow left out: unreadable on white). The actual load is
 * always black.
 */
public final class ModelPalette {
  public static final Color ACTUAL = Color.BLACK;
  private static final Color[] COLOURS = {
    new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
    new Color(0xE69F00), new Color(0x56B4E9), new Color(0x999999),
  };

  private final List<String> models;

  private ModelPalette(List<String> models) {
    this.models = models;
  }

  /** A palette for {@code models} (order and duplicates do not matter). */
  public static ModelPalette of(List<String> models) {
    return new ModelPalette(List.copyOf(new TreeSet<>(models)));
  }

  /** The colour of {@code model}; a model the palette was not made for gets grey. */
  public Color colour(String model) {
    int i = models.indexOf(model);
    if (i < 0) {
      return Color.GRAY;
    }
    Color base = COLOURS[i % COLOURS.length];
    // Past the palette's length, repeat it darker rather than reuse a colour outright.
    return i < COLOURS.length ? base : base.darker();
  }
}
