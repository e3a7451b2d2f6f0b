package io.berth.worker.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table for people: left-aligned columns two spaces apart, header first, no trailing blanks. */
public final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... header) {
    this.header = List.of(header);
  }

  public Table row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
    }
    rows.add(Arrays.stream(cells).map(c -> c == null || c.isEmpty() ? "-" : c).toList());
    return this;
  }

  public List<String> lines() {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> row : rows) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(line(header, width));
    rows.forEach(row -> lines.add(line(row, width)));
    return lines;
  }

  private static String line(List<String> cells, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      line.append(i == 0 ? "" : "  ").append(String.format("%-" + width[i] + "s", cells.get(i)));
    }
    return line.toString().stripTrailing();
  }
}
