package dev.weft.bench.report;

import dev.weft.samples.CommandLine;
import dev.weft.samples.Options;
import dev.weft.samples.UsageException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Generates {@code docs/performance.md} and its PNG plots from the {@code RESULT} lines of one
 * comparison run; {@code bench/compare.sh} calls it last. With {@code --network} it writes only
 * the network section from a run of {@code bench/net.sh} into the page as it is; without, it
 * regenerates the page and keeps the network section that the page already had.
 *
 * <pre>{@code
 * java -cp bench/target/weft-bench.jar dev.weft.bench.report.Report \
 *     --raw bench/results/latest/raw.txt --meta bench/results/latest/meta.txt \
 *     --out docs/performance.md --images docs/img [--jmh bench/results/jmh-latest]
 * }</pre>
 *
 * <p>The plots are drawn with java.awt in headless mode: no Python or plotting library needed.
 */
public final class Report {
  private static final Options OPTIONS =
      new Options(
              "usage: Report --raw RAW.txt [--meta META.txt] [--out performance.md]"
                  + " [--images DIR] [--jmh DIR] [--network]")
          .value("raw")
          .value("meta")
          .value("out")
          .value("images")
          .value("jmh")
          .flag("network");

  private Report() {}

  /** Writes the report; see the class comment. */
  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    CommandLine.exit(
        CommandLine.run(
            OPTIONS,
            args,
            System.out,
            System.err,
            (o, out, err) -> {
              if (!o.has("raw")) {
                throw new UsageException("--raw is required: the RESULT lines of a run");
              }
              Path raw = Paths.get(o.text("raw", null));
              if (!Files.isReadable(raw)) {
                throw new UsageException("cannot read --raw " + raw);
              }
              ResultSet results = ResultSet.read(raw);
              if (results.isEmpty()) {
                throw new UsageException(raw + " holds no RESULT line: did every run fail?");
              }
              Path md = Paths.get(o.text("out", "docs/performance.md"));
              File images = new File(o.text("images", "docs/images"));
              String link = relativeLink(md, images.toPath());
              Machine machine =
                  Machine.read(o.has("meta") ? Paths.get(o.text("meta", null)) : null);
              JmhTables jmh = JmhTables.read(o.has("jmh") ? Paths.get(o.text("jmh", null)) : null);
              String before =
                  Files.exists(md) ? new String(Files.readAllBytes(md), StandardCharsets.UTF_8) : "";
              String text;
              if (o.has("network")) {
                // bench/net.sh: its section only, into the page as it is.
                if (!NetworkReport.hasResults(results)) {
                  throw new UsageException(raw + " holds no network RESULT line");
                }
                text =
                    NetworkBlock.splice(
                        before, new NetworkReport(results, machine, images, link).write());
              } else {
                text = new PerformanceReport(results, machine, jmh, images, link).write();
                String network =
                    NetworkReport.hasResults(results)
                        ? new NetworkReport(results, machine, images, link).write()
                        : NetworkBlock.extract(before); // compare.sh keeps net.sh's section
                if (network != null) {
                  text = NetworkBlock.splice(text, network);
                }
              }
              Path parent = md.toAbsolutePath().getParent();
              Files.createDirectories(parent);
              Files.write(md, text.getBytes(StandardCharsets.UTF_8));
              out.println("wrote " + md + " and its plots in " + images);
            }));
  }

  /** The images directory as a link relative to the Markdown file, ending with a slash. */
  private static String relativeLink(Path markdown, Path images) {
    Path from = markdown.toAbsolutePath().normalize().getParent();
    String rel = from.relativize(images.toAbsolutePath().normalize()).toString().replace('\\', '/');
    return rel.isEmpty() ? "" : rel + "/";
  }
}
