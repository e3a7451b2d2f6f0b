package io.berth.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the fleet page's DOM as Chromium dumps it: a transcoder's row, its cells, an attribute. */
public final class PageDom {
  private PageDom() {}

  public static boolean hasRow(String dom, String key) {
    return dom.contains("data-key=\"" + key + "\"");
  }

  /** The {@code <tr>} of one transcoder ({@code tenant/transcoder}); fails when there is none. */
  public static String row(String dom, String key) {
    Matcher m = Pattern.compile("<tr[^>]*data-key=\"" + Pattern.quote(key) + "\"[^>]*>.*?</tr>", Pattern.DOTALL)
        .matcher(dom);
    assertThat(m.find()).as("a row for %s in%n%s", key, dom).isTrue();
    return m.group();
  }

  public static String openingTag(String row) {
    return row.substring(0, row.indexOf('>') + 1);
  }

  /** Each cell's text, tags dropped, entities left as Chromium wrote them. */
  public static List<String> cells(String row) {
    List<String> cells = new ArrayList<>();
    Matcher m = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL).matcher(row);
    while (m.find()) {
      cells.add(m.group(1).replaceAll("<[^>]*>", ""));
    }
    return cells;
  }

  public static String attribute(String dom, String name) {
    Matcher m = Pattern.compile(Pattern.quote(name) + "=\"([^\"]*)\"").matcher(dom);
    assertThat(m.find()).as("%s in%n%s", name, dom).isTrue();
    return m.group(1);
  }
}
