package io.berth.loadtests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** The run's PNG charts (XChart), named as the report links them. */
final class Charts {
  static final String BURST_RATE = "burst-rate.png";
  static final String BURST_LATENCY = "burst-latency.png";
  static final String TEARDOWN_RATE = "teardown-rate.png";
  static final String CONTROL_PLANE = "control-plane.png";
  static final String PORT_RANGES = "port-ranges.png";
  static final String SCALE_MEMORY = "scale-memory.png";
  static final String SCALE_TIME = "scale-time.png";

  private Charts() {}

  static void write(Results r, Path dir) throws IOException {
    Files.createDirectories(dir);
    rates(r, Results.BURST, "Provisioning bursts: to TranscoderStarted (Berth) / started (baselines)",
        dir.resolve(BURST_RATE));
    rates(r, Results.TEARDOWN, "Teardown of the same bursts", dir.resolve(TEARDOWN_RATE));
    burstLatency(r, dir.resolve(BURST_LATENCY));
    controlPlane(r, dir.resolve(CONTROL_PLANE));
    ports(r, dir.resolve(PORT_RANGES));
    scale(r, dir);
  }

  private static CategoryChart category(String title, String x, String y) {
    CategoryChart chart = new CategoryChartBuilder().width(900).height(480).title(title).xAxisTitle(x).yAxisTitle(y)
        .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setLabelsVisible(false); // the figures are in the report's tables
    return chart;
  }

  private static void rates(Results r, String section, String title, Path file) throws IOException {
    List<Integer> sizes = r.sizes(section);
    CategoryChart chart = category(title, "requests in the burst", "per second");
    for (String who : List.of(Results.BERTH, Results.RAW, Results.SHELL)) {
      chart.addSeries(who, sizes.stream().map(String::valueOf).toList(),
          values(sizes, s -> r.find(section, who, s).map(Metrics::rate).orElse(0.0)));
    }
    save(chart, file);
  }

  private static void burstLatency(Results r, Path file) throws IOException {
    List<Integer> sizes = r.sizes(Results.BURST);
    CategoryChart chart = category("Burst latency per request (publish to TranscoderStarted; create+start)",
        "requests in the burst", "milliseconds");
    for (String who : List.of(Results.BERTH, Results.RAW)) {
      for (double p : new double[] {50, 99}) {
        chart.addSeries(who + " p" + (int) p, sizes.stream().map(String::valueOf).toList(),
            values(sizes, s -> r.find(Results.BURST, who, s).map(m -> (double) m.percentile(p)).orElse(0.0)));
      }
    }
    save(chart, file);
  }

  private static void controlPlane(Results r, Path file) throws IOException {
    List<String> x = new ArrayList<>(List.of("broker alone (confirm + ack)"));
    List<Number> y = new ArrayList<>(List.of(r.brokerRate));
    r.series.stream().filter(s -> s.section().equals(Results.CONTROL)).forEach(s -> {
      x.add("Berth: " + s.what());
      y.add(s.metrics().rate());
    });
    CategoryChart chart = category("Commands per second (log scale)", "", "per second");
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(1.0); // bars start at 0 otherwise, which a log axis cannot show
    chart.getStyler().setLegendVisible(false);
    chart.addSeries("per second", x, y);
    save(chart, file);
  }

  private static void ports(Results r, Path file) throws IOException {
    CategoryChart chart = category("One stand-in: published UDP port range vs a static address", "", "seconds");
    List<String> x = r.ports.stream().map(Results.PortRow::what).toList();
    chart.addSeries("start", x, r.ports.stream().map(p -> (Number) (p.startMs() / 1000)).toList());
    chart.addSeries("removal", x, r.ports.stream().map(p -> (Number) (p.removalMs() / 1000)).toList());
    save(chart, file);
  }

  private static void scale(Results r, Path dir) throws IOException {
    double[] held = r.scale.stream().mapToDouble(Results.ScalePoint::held).toArray();
    XYChart memory = new XYChartBuilder().width(900).height(480).title("Worker memory while holding transcoders")
        .xAxisTitle("transcoders held").yAxisTitle("MB").build();
    memory.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    memory.addSeries("RSS", held, r.scale.stream().mapToDouble(Results.ScalePoint::rssMb).toArray());
    memory.addSeries("heap in use after a full GC", held,
        r.scale.stream().mapToDouble(Results.ScalePoint::heapMb).toArray());
    save(memory, dir.resolve(SCALE_MEMORY));
    XYChart time = new XYChartBuilder().width(900).height(480).title("Reconcile pass and one request while holding")
        .xAxisTitle("transcoders held").yAxisTitle("milliseconds").build();
    time.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    time.addSeries("reconcile pass (mean)", held,
        r.scale.stream().mapToDouble(Results.ScalePoint::reconcileMs).toArray());
    time.addSeries("one request, publish to TranscoderStarted (p50)", held,
        r.scale.stream().mapToDouble(p -> p.requests().percentile(50)).toArray());
    save(time, dir.resolve(SCALE_TIME));
  }

  private static List<Number> values(List<Integer> sizes, ToDoubleFunction<Integer> f) {
    return sizes.stream().map(s -> (Number) f.applyAsDouble(s)).toList();
  }

  private static void save(Chart<?, ?> chart, Path file) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
  }
}
